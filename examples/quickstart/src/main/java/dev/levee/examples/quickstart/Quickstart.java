package dev.levee.examples.quickstart;

import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.Criticality;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.Verdict;
import dev.levee.contract.Contract;
import dev.levee.contract.ContractAdapter;
import dev.levee.examples.quickstart.Options.Kind;
import dev.levee.examples.quickstart.Options.Phase;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Levee's quickstart: starts two upstreams on loopback, drives steady open-loop load through Levee to both
 * while "pricing" goes slow, then hard down, then recovers, prints a live table once a second and ends with
 * a summary of measured figures. Run it with {@code mvn -B -q -pl examples/quickstart -am compile exec:java}.
 */
public final class Quickstart {

    static final BigDecimal UNKNOWN_PRICE = BigDecimal.valueOf(-1);
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // pricing may add fields
            .build();

    /** Pricing's answer as the demo reads it, and what it relies on in it. */
    record PriceQuote(BigDecimal amount) {

        static final Contract<PriceQuote> CONTRACT = Contract.of("pricing-quote", PriceQuote.class)
                .present("has-amount", "amount")
                .range("amount-not-negative", "amount", BigDecimal.ZERO, new BigDecimal("1000000"))
                .build();
    }

    /** Pricing's answer, read with Jackson, checked against its contract, translated: business code never sees the HTTP response. */
    static final ContractAdapter<HttpResponse<String>, PriceQuote, BigDecimal> PRICE = new ContractAdapter<>() {
        @Override
        public Verdict<BigDecimal> classify(HttpResponse<String> response) {
            return response.statusCode() >= 500 ? Verdict.failure("http " + response.statusCode()) : Verdict.proceed();
        }

        @Override
        public PriceQuote read(HttpResponse<String> response) {
            return JSON.readValue(response.body(), PriceQuote.class);
        }

        @Override
        public Contract<PriceQuote> contract() {
            return PriceQuote.CONTRACT;
        }

        @Override
        public BigDecimal toDomain(PriceQuote quote) {
            return quote.amount();
        }
    };

    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"); // health changes are shown in the table
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println();
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        Summary summary = run(options, System.out, System.console() != null);
        System.out.println();
        System.out.println(summary.render());
    }

    /** Runs the whole scenario and returns the measured figures. */
    static Summary run(Options options, PrintStream out, boolean redraw) throws InterruptedException {
        Traffic catalogTraffic = new Traffic("catalog");
        Traffic pricingTraffic = new Traffic("pricing");
        List<String> events = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Stubs stubs = new Stubs();
                Upstreams upstreams = Upstreams.builder()
                        .observer(u -> u.name().equals("catalog") ? catalogTraffic : pricingTraffic)
                        .healthListener((before, now) -> {
                            synchronized (events) {
                                events.add(String.format(Locale.ROOT, "%5.1fs  %s: %s -> %s (%s)", (System.nanoTime() - t0) / 1e9,
                                        now.upstream(), before.state(), now.state(), now.reason()));
                            }
                        })
                        .build()) {
            Upstream catalog = upstreams.register(UpstreamSpec.named("catalog").owner("catalog-team")
                    .criticality(Criticality.CRITICAL)
                    .attemptTimeout(Duration.ofMillis(500)).deadline(Duration.ofSeconds(1))
                    .maxConcurrentCalls(20)
                    .build());
            Upstream pricing = upstreams.register(UpstreamSpec.named("pricing").owner("pricing-team")
                    .criticality(Criticality.OPTIONAL)
                    .attemptTimeout(Duration.ofMillis(250)).deadline(Duration.ofMillis(800))
                    .circuitBreaker(cb -> cb.timeWindow(Duration.ofSeconds(5)).minimumCalls(20).waitInOpenState(Duration.ofSeconds(2))
                            .halfOpenProbes(3))
                    .retry(r -> r.maxAttempts(2).exponentialBackoff(Duration.ofMillis(50), 2.0))
                    .maxConcurrentCalls(10)
                    .build());

            // One client per upstream, as an application would have: pricing's broken connections stay pricing's.
            HttpClient catalogHttp = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(250)).build();
            HttpClient pricingHttp = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(250)).build();
            URI catalogUri = URI.create(stubs.catalog.baseUrl() + "/items/");
            URI pricingUri = URI.create(stubs.pricing.baseUrl() + "/prices/");
            warmUp(catalogHttp, catalogUri);
            warmUp(pricingHttp, pricingUri);
            Map<Kind, Latencies> catalogByPhase = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                catalogByPhase.put(k, new Latencies());
            }
            Latencies rejected = new Latencies();
            AtomicLong issued = new AtomicLong();
            Kind[] phase = {options.phases().get(0).kind()};

            ExecutorService callers = Executors.newFixedThreadPool(options.threads());
            ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
            long period = 1_000_000_000L / options.rate();
            long loadStart = System.nanoTime();
            AtomicLong tick = new AtomicLong();
            CallOptions<BigDecimal> priceOptions = CallOptions.<BigDecimal>idempotent().withFallback(e -> UNKNOWN_PRICE);
            load.scheduleAtFixedRate(() -> {
                long scheduled = loadStart + tick.getAndIncrement() * period; // latency from here: no coordinated omission
                long n = issued.incrementAndGet();
                callers.execute(() -> {
                    try {
                        catalog.call(ctx -> catalogHttp.send(HttpRequest.newBuilder(catalogUri.resolve(String.valueOf(n)))
                                .timeout(ctx.remaining()).build(), HttpResponse.BodyHandlers.ofString()));
                    } catch (RuntimeException e) {
                        // counted by the observer as a failed call
                    }
                    long waited = System.nanoTime() - scheduled;
                    catalogTraffic.finished(waited);
                    catalogByPhase.get(phase[0]).add(waited);
                });
                callers.execute(() -> {
                    long started = System.nanoTime();
                    Outcome[] outcome = {Outcome.SUCCESS};
                    pricing.call(ctx -> pricingHttp.send(HttpRequest.newBuilder(pricingUri.resolve(String.valueOf(n)))
                            .timeout(ctx.remaining()).build(), HttpResponse.BodyHandlers.ofString()), PRICE,
                            priceOptions.withFallback(e -> {
                                outcome[0] = e.outcome();
                                return UNKNOWN_PRICE;
                            }));
                    if (outcome[0] == Outcome.CIRCUIT_OPEN && pricingTraffic.lastAttempts.get()[0] == 1) {
                        rejected.add(System.nanoTime() - started); // rejected outright, fallback included
                    }
                    pricingTraffic.finished(System.nanoTime() - scheduled);
                });
            }, 0, period, TimeUnit.NANOSECONDS);

            Table table = new Table(out, redraw, events);
            long recoveredAt = Long.MIN_VALUE;
            long fullSuccessAt = Long.MIN_VALUE;
            for (Phase p : options.phases()) {
                phase[0] = p.kind();
                stubs.phase(p.kind());
                long phaseStart = System.nanoTime();
                if (p.kind() == Kind.RECOVERED && recoveredAt == Long.MIN_VALUE) {
                    recoveredAt = phaseStart;
                }
                long phaseEnd = phaseStart + p.duration().toNanos();
                while (System.nanoTime() < phaseEnd) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(1_000_000_000L, phaseEnd - System.nanoTime()));
                    boolean clean = pricingTraffic.failures.sum() == 0 && pricingTraffic.calls.sum() > 0;
                    table.print((System.nanoTime() - t0) / 1e9, p, List.of(row(catalog, catalogTraffic), row(pricing, pricingTraffic)));
                    if (recoveredAt != Long.MIN_VALUE && fullSuccessAt == Long.MIN_VALUE && clean) {
                        fullSuccessAt = System.nanoTime();
                    }
                }
            }
            load.shutdownNow();
            callers.shutdown();
            boolean drained = callers.awaitTermination(5, TimeUnit.SECONDS);
            long closedAt = pricingTraffic.closedAt.get();
            return new Summary(
                    catalogByPhase.get(Kind.HEALTHY).percentileMillis(99),
                    outage(catalogByPhase).percentileMillis(99),
                    issued.get(), catalogTraffic.completed.sum(), drained,
                    Math.max(catalogTraffic.longestWait.get(), pricingTraffic.longestWait.get()) / 1e6,
                    rejected.count(), rejected.percentileMillis(50), rejected.percentileMillis(99),
                    recoveredAt == Long.MIN_VALUE || closedAt < recoveredAt || pricing.circuitState() != CircuitState.CLOSED
                            ? Double.NaN : (closedAt - recoveredAt) / 1e9,
                    recoveredAt == Long.MIN_VALUE || fullSuccessAt == Long.MIN_VALUE ? Double.NaN : (fullSuccessAt - recoveredAt) / 1e9,
                    pricingTraffic.totalReached.sum() == 0 ? Double.NaN
                            : pricingTraffic.totalAttempts.sum() / (double) pricingTraffic.totalReached.sum());
        }
    }

    /** Warms the stub server, the client and the JIT, so the first second's latency is not mostly start-up. */
    private static void warmUp(HttpClient http, URI base) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                http.send(HttpRequest.newBuilder(base.resolve("warm-up")).build(), HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException e) {
                return; // the stub is not up: the run will show it
            }
        }
    }

    private static Latencies outage(Map<Kind, Latencies> byPhase) {
        Latencies all = new Latencies();
        all.addAll(byPhase.get(Kind.SLOW));
        all.addAll(byPhase.get(Kind.DOWN));
        return all;
    }

    private static Table.Row row(Upstream upstream, Traffic t) {
        long attempts = t.attempts.sumThenReset();
        long reached = t.reached.sumThenReset();
        return new Table.Row(upstream.name(), upstream.health().state().name(), upstream.circuitState().name(),
                t.calls.sumThenReset(), t.window.drain().percentileMillis(99), t.failures.sumThenReset(), t.fallbacks.sumThenReset(),
                reached == 0 ? Double.NaN : attempts / (double) reached);
    }
}
