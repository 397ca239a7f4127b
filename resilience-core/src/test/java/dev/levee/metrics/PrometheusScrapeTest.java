package dev.levee.metrics;

import static dev.levee.metrics.PrometheusText.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CallerFaultException;
import dev.levee.CircuitState;
import dev.levee.ContractViolationException;
import dev.levee.Criticality;
import dev.levee.DeadlineExceededException;
import dev.levee.Expectation;
import dev.levee.InvalidSpecException;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamRejectedException;
import dev.levee.UpstreamSpec;
import dev.levee.UpstreamTimeoutException;
import dev.levee.Upstreams;
import dev.levee.Verdict;
import dev.levee.testing.ManualTimeSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives a scripted sequence of every kind of outcome through three upstreams and checks the exact
 * Prometheus scrape an operator would see: families, label sets, values, HELP lines, and the Micrometer ids
 * underneath.
 */
class PrometheusScrapeTest {

    /** The upstream's response in these tests. */
    record Quote(Integer price, String currency) {
    }

    static final class NotFound extends RuntimeException {
        NotFound(String m) {
            super(m);
        }
    }

    static final class BadRequest extends RuntimeException {
        BadRequest(String m) {
            super(m);
        }
    }

    static final class Throttled extends RuntimeException {
        Throttled(String m) {
            super(m);
        }
    }

    /** Classifies errors like an HTTP adapter would, and checks two named expectations. */
    enum QuoteAdapter implements Adapter<Quote, String> {
        INSTANCE;

        static final List<Expectation<? super Quote>> EXPECTATIONS = List.of(
                Expectation.of("has-price", q -> q.price() != null),
                Expectation.of("has-currency", q -> q.currency() != null));

        @Override
        public String translate(Quote q) {
            if (q.price() < 0) {
                throw new IllegalArgumentException("negative price");
            }
            return q.price() + " " + q.currency();
        }

        @Override
        public Verdict<String> classifyError(Throwable e) {
            if (e instanceof NotFound) {
                return Verdict.answer("not listed");
            }
            if (e instanceof BadRequest) {
                return Verdict.callerFault("http 400");
            }
            if (e instanceof Throttled) {
                return Verdict.failure("http 429", Duration.ofSeconds(5));
            }
            return Verdict.unclassified();
        }

        @Override
        public List<Expectation<? super Quote>> expectations() {
            return EXPECTATIONS;
        }
    }

    private static final CallOptions<String> PLAIN = CallOptions.defaults();
    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();
    private static final CallOptions<String> PLAIN_FB = CallOptions.<String>defaults().withFallback(e -> "fallback:" + e.outcome().tag());
    private static final CallOptions<String> IDEMPOTENT_FB = CallOptions.<String>idempotent().withFallback(e -> "fallback:" + e.outcome().tag());

    private PrometheusMeterRegistry registry;
    private Upstreams upstreams;

    @BeforeEach
    void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();
    }

    @AfterEach
    void tearDown() {
        upstreams.close();
        registry.close();
    }

    @Test
    void scriptedSequenceShowsExactlyInTheScrape() throws Exception {
        ManualTimeSource catalogTime = new ManualTimeSource();
        Upstream catalog = upstreams.register(UpstreamSpec.named("catalog").owner("catalog-team")
                .criticality(Criticality.CRITICAL).timeSource(catalogTime).timeoutMode(TimeoutMode.COOPERATIVE)
                .attemptTimeout(Duration.ofSeconds(1)).deadline(Duration.ofMillis(1500))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(100), 2.0).jitter(0)
                        .budget(0.0, 5, Duration.ofSeconds(10)))
                .circuitBreaker(b -> b.countWindow(100).minimumCalls(100).consecutiveFailures(0))
                .maxConcurrentCalls(1)
                .build());
        ManualTimeSource pricingTime = new ManualTimeSource();
        Upstream pricing = upstreams.register(UpstreamSpec.named("pricing").owner("pricing-team")
                .criticality(Criticality.OPTIONAL).timeSource(pricingTime)
                .circuitBreaker(b -> b.countWindow(2).minimumCalls(2).consecutiveFailures(0).waitInOpenState(Duration.ofSeconds(10)))
                .maxConcurrentCalls(10)
                .build());
        Upstream search = upstreams.register(UpstreamSpec.named("search").owner("search-team")
                .criticality(Criticality.CRITICAL).timeoutMode(TimeoutMode.ENFORCED)
                .attemptTimeout(Duration.ofMillis(250)).deadline(Duration.ofSeconds(1))
                .build());

        // ---- catalog: every outcome a cooperative, manually timed upstream can have
        // S1: three plain successes.
        for (int i = 0; i < 3; i++) {
            assertThat(catalog.call(ctx -> new Quote(10, "EUR"), QuoteAdapter.INSTANCE, PLAIN)).isEqualTo("10 EUR");
        }
        // S2: idempotent, fails twice then succeeds: 2 retries (100 ms + 200 ms of backoff).
        assertThat(catalog.call(ctx -> {
            if (ctx.attempt() < 3) {
                throw new IOException("reset " + ctx.attempt());
            }
            return new Quote(11, "EUR");
        }, QuoteAdapter.INSTANCE, IDEMPOTENT)).isEqualTo("11 EUR");
        // S3: idempotent, fails on all 3 attempts: 2 more retries (4 of the budget's 5).
        assertThatThrownBy(() -> catalog.call(ctx -> {
            throw new IOException("down");
        }, QuoteAdapter.INSTANCE, IDEMPOTENT)).isInstanceOf(UpstreamFailureException.class);
        // S4: idempotent, the first attempt times out (1 s), the retry (5th of the budget) is clamped by the
        // deadline (0.4 s left) and runs out of it.
        assertThatThrownBy(() -> catalog.call(ctx -> {
            catalogTime.advance(ctx.remaining());
            throw new IOException("too slow");
        }, QuoteAdapter.INSTANCE, IDEMPOTENT)).isInstanceOf(DeadlineExceededException.class);
        // S5: idempotent failure; its retry is refused by the spent budget; the fallback answers.
        assertThat(catalog.call(ctx -> {
            throw new IOException("down again");
        }, QuoteAdapter.INSTANCE, IDEMPOTENT_FB)).isEqualTo("fallback:failure");
        // S6: idempotent failure asking to retry after 5 s: refused by the 1.5 s deadline, so the call ends as
        // deadline exceeded (its attempt stays a failure).
        assertThatThrownBy(() -> catalog.call(ctx -> {
            throw new Throttled("slow down");
        }, QuoteAdapter.INSTANCE, IDEMPOTENT)).isInstanceOf(DeadlineExceededException.class)
                .hasCauseInstanceOf(UpstreamFailureException.class);
        // S7: a plain attempt that takes its whole 1 s timeout and then fails: a timeout.
        assertThatThrownBy(() -> catalog.call(ctx -> {
            catalogTime.advance(Duration.ofSeconds(1));
            throw new IOException("read timed out");
        }, QuoteAdapter.INSTANCE, PLAIN)).isInstanceOf(UpstreamTimeoutException.class);
        // S8: caller faults: a domain answer, a caller fault, and a caller fault that a fallback must not hide.
        assertThat(catalog.call(ctx -> {
            throw new NotFound("sku-1");
        }, QuoteAdapter.INSTANCE, PLAIN)).isEqualTo("not listed");
        assertThatThrownBy(() -> catalog.call(ctx -> {
            throw new BadRequest("sku-2");
        }, QuoteAdapter.INSTANCE, PLAIN)).isInstanceOf(CallerFaultException.class);
        assertThatThrownBy(() -> catalog.call(ctx -> {
            throw new BadRequest("sku-3");
        }, QuoteAdapter.INSTANCE, IDEMPOTENT_FB)).isInstanceOf(CallerFaultException.class);
        // S9: contract violations: has-price twice (once idempotent: never retried), has-currency once
        // with a fallback, and a translation failure.
        assertThatThrownBy(() -> catalog.call(ctx -> new Quote(null, "EUR"), QuoteAdapter.INSTANCE, PLAIN))
                .isInstanceOf(ContractViolationException.class).hasMessageContaining("has-price");
        assertThatThrownBy(() -> catalog.call(ctx -> new Quote(null, "EUR"), QuoteAdapter.INSTANCE, IDEMPOTENT))
                .isInstanceOf(ContractViolationException.class);
        assertThat(catalog.call(ctx -> new Quote(12, null), QuoteAdapter.INSTANCE, PLAIN_FB))
                .isEqualTo("fallback:contract_violation");
        assertThatThrownBy(() -> catalog.call(ctx -> new Quote(-1, "EUR"), QuoteAdapter.INSTANCE, PLAIN))
                .isInstanceOf(ContractViolationException.class).hasMessageContaining("translation");
        // S10: the one bulkhead permit is held by an attempt: two calls made meanwhile are rejected.
        Map<String, Double> duringCall = new HashMap<>();
        assertThat(catalog.call(ctx -> {
            assertThat(catalog.call(c -> new Quote(1, "EUR"), QuoteAdapter.INSTANCE, PLAIN_FB))
                    .isEqualTo("fallback:bulkhead_full");
            assertThatThrownBy(() -> catalog.call(c -> new Quote(1, "EUR"), QuoteAdapter.INSTANCE, PLAIN))
                    .isInstanceOf(UpstreamRejectedException.class);
            PrometheusText inside = PrometheusText.parse(registry.scrape());
            duringCall.put("inflight", inside.series("levee_inflight").get(labels("upstream", "catalog")));
            return new Quote(13, "EUR");
        }, QuoteAdapter.INSTANCE, PLAIN)).isEqualTo("13 EUR");
        assertThat(duringCall).containsExactly(entry("inflight", 1.0));

        // ---- pricing: two failures open its circuit (window of 2); then three rejections.
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> pricing.call(ctx -> {
                throw new IOException("503");
            })).isInstanceOf(UpstreamFailureException.class);
        }
        assertThat(pricing.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThatThrownBy(() -> pricing.call(ctx -> "never")).isInstanceOf(UpstreamRejectedException.class);
        assertThatThrownBy(() -> pricing.call(ctx -> "never", Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOf(UpstreamRejectedException.class);
        assertThat(pricing.call(ctx -> "never", Adapter.identity(), CallOptions.<String>defaults().withFallback(e -> "cached")))
                .isEqualTo("cached");
        pricingTime.advance(Duration.ofMillis(7_500)); // open for 7.5 s of its 10 s wait when scraped

        // ---- search: enforced timeouts on the real clock: one success, one 250 ms timeout with a fallback.
        String hit = search.call(ctx -> "hit");
        assertThat(hit).isEqualTo("hit");
        CountDownLatch never = new CountDownLatch(1);
        assertThat(search.call(ctx -> {
            never.await(5, TimeUnit.SECONDS); // interrupted when abandoned at the timeout
            return "late";
        }, Adapter.identity(), CallOptions.<String>defaults().withFallback(e -> "stale"))).isEqualTo("stale");
        awaitTrue(() -> search.inFlight() == 0, Duration.ofSeconds(5)); // the abandoned worker has let go

        String text = registry.scrape();
        System.out.println("---- levee scrape (PrometheusScrapeTest) ----");
        System.out.println(text);
        System.out.println("---- end of scrape ----");
        PrometheusText scrape = PrometheusText.parse(text);

        // Families: exactly Levee's, each with a HELP line.
        assertThat(scrape.sampleNames()).containsExactlyInAnyOrder("levee_attempts_total", "levee_bulkhead_limit",
                "levee_calls_seconds_count", "levee_calls_seconds_sum", "levee_calls_seconds_max", "levee_circuit_state",
                "levee_circuit_transitions_total", "levee_circuit_not_closed_seconds_total",
                "levee_contract_violations_total", "levee_health", "levee_inflight", "levee_retries_refused_total",
                "levee_upstream_info");
        assertThat(scrape.type).containsOnly(entry("levee_attempts_total", "counter"), entry("levee_bulkhead_limit", "gauge"),
                entry("levee_calls_seconds", "summary"), entry("levee_calls_seconds_max", "gauge"),
                entry("levee_circuit_state", "gauge"), entry("levee_circuit_transitions_total", "counter"),
                entry("levee_circuit_not_closed_seconds_total", "counter"), entry("levee_contract_violations_total", "counter"),
                entry("levee_health", "gauge"), entry("levee_inflight", "gauge"),
                entry("levee_retries_refused_total", "counter"), entry("levee_upstream_info", "gauge"));
        assertThat(scrape.help.keySet()).isEqualTo(scrape.type.keySet());
        scrape.help.forEach((family, help) -> assertThat(help).as("HELP of %s", family).isNotBlank());

        // levee_calls_seconds_count{upstream,outcome,fallback}
        assertThat(scrape.series("levee_calls_seconds_count")).containsOnlyKeys(
                scrape.series("levee_calls_seconds_sum").keySet());
        assertThat(scrape.series("levee_calls_seconds_count", "catalog")).containsOnly(
                entry(call("success", false), 5.0),
                entry(call("failure", false), 1.0),
                entry(call("failure", true), 1.0),
                entry(call("deadline_exceeded", false), 2.0),
                entry(call("timeout", false), 1.0),
                entry(call("caller_fault", false), 3.0),
                entry(call("contract_violation", false), 3.0),
                entry(call("contract_violation", true), 1.0),
                entry(call("bulkhead_full", false), 1.0),
                entry(call("bulkhead_full", true), 1.0));
        assertThat(scrape.series("levee_calls_seconds_count", "pricing")).containsOnly(
                entry(call("failure", false), 2.0),
                entry(call("circuit_open", false), 2.0),
                entry(call("circuit_open", true), 1.0));
        assertThat(scrape.series("levee_calls_seconds_count", "search")).containsOnly(
                entry(call("success", false), 1.0),
                entry(call("timeout", true), 1.0));
        // Durations on the manual clock are exact: waits between retries are part of the call.
        Map<Map<String, String>, Double> catalogSum = scrape.series("levee_calls_seconds_sum", "catalog");
        assertThat(catalogSum.get(call("success", false))).isCloseTo(0.3, within(1e-9)); // S2: 100 + 200 ms
        assertThat(catalogSum.get(call("failure", false))).isCloseTo(0.3, within(1e-9)); // S3: 100 + 200 ms
        assertThat(catalogSum.get(call("deadline_exceeded", false))).isCloseTo(1.5, within(1e-9)); // S4: 1.5 s; S6: 0
        assertThat(catalogSum.get(call("timeout", false))).isCloseTo(1.0, within(1e-9));
        assertThat(catalogSum.get(call("caller_fault", false))).isEqualTo(0.0);
        assertThat(scrape.series("levee_calls_seconds_max", "catalog").get(call("deadline_exceeded", false)))
                .isCloseTo(1.5, within(1e-9));
        assertThat(scrape.series("levee_calls_seconds_sum", "search").get(call("timeout", true))).isBetween(0.25, 5.0);

        // levee_attempts_total{upstream,kind,outcome}
        assertThat(scrape.series("levee_attempts_total", "catalog")).containsOnly(
                entry(attempt("first", "success"), 4.0),
                entry(attempt("retry", "success"), 1.0),
                entry(attempt("first", "failure"), 4.0),
                entry(attempt("retry", "failure"), 3.0),
                entry(attempt("first", "timeout"), 2.0),
                entry(attempt("retry", "deadline_exceeded"), 1.0),
                entry(attempt("first", "caller_fault"), 3.0),
                entry(attempt("first", "contract_violation"), 4.0),
                entry(attempt("first", "bulkhead_full"), 2.0));
        assertThat(scrape.series("levee_attempts_total", "pricing")).containsOnly(
                entry(attempt("first", "failure"), 2.0),
                entry(attempt("first", "circuit_open"), 3.0));
        assertThat(scrape.series("levee_attempts_total", "search")).containsOnly(
                entry(attempt("first", "success"), 1.0),
                entry(attempt("first", "timeout"), 1.0));

        // levee_retries_refused_total{upstream,reason}: both reasons exist from registration.
        assertThat(scrape.series("levee_retries_refused_total")).containsOnly(
                entry(labels("upstream", "catalog", "reason", "budget"), 1.0),
                entry(labels("upstream", "catalog", "reason", "deadline"), 1.0),
                entry(labels("upstream", "pricing", "reason", "budget"), 0.0),
                entry(labels("upstream", "pricing", "reason", "deadline"), 0.0),
                entry(labels("upstream", "search", "reason", "budget"), 0.0),
                entry(labels("upstream", "search", "reason", "deadline"), 0.0));

        // levee_circuit_state{upstream,state}: five states each, exactly one of them 1.
        assertThat(scrape.series("levee_circuit_state", "catalog")).isEqualTo(circuit("closed"));
        assertThat(scrape.series("levee_circuit_state", "pricing")).isEqualTo(circuit("open"));
        assertThat(scrape.series("levee_circuit_state", "search")).isEqualTo(circuit("closed"));

        // levee_circuit_transitions_total{upstream,from,to}: pricing's one opening, nothing else.
        assertThat(scrape.series("levee_circuit_transitions_total")).containsOnly(
                entry(labels("upstream", "pricing", "from", "closed", "to", "open"), 1.0));
        // levee_circuit_not_closed_seconds_total{upstream}: pricing has been open 7.5 s on its clock.
        assertThat(scrape.series("levee_circuit_not_closed_seconds_total")).containsOnly(
                entry(labels("upstream", "catalog"), 0.0),
                entry(labels("upstream", "pricing"), 7.5),
                entry(labels("upstream", "search"), 0.0));

        // levee_health{upstream}: catalog degraded (its retry budget refused a retry 10 s ago at most),
        // pricing unavailable (open), search healthy.
        assertThat(scrape.series("levee_health")).containsOnly(
                entry(labels("upstream", "catalog"), 1.0),
                entry(labels("upstream", "pricing"), 0.0),
                entry(labels("upstream", "search"), 2.0));
        assertThat(upstreams.health()).extracting(h -> h.state().gaugeValue()).containsExactly(1, 0, 2);
        assertThat(upstreams.health().get(0).reason()).startsWith("retry budget exhausted");

        assertThat(scrape.series("levee_inflight")).containsOnly(
                entry(labels("upstream", "catalog"), 0.0),
                entry(labels("upstream", "pricing"), 0.0),
                entry(labels("upstream", "search"), 0.0));
        assertThat(scrape.series("levee_bulkhead_limit")).containsOnly(
                entry(labels("upstream", "catalog"), 1.0),
                entry(labels("upstream", "pricing"), 10.0),
                entry(labels("upstream", "search"), 25.0));

        // levee_contract_violations_total{upstream,expectation}
        assertThat(scrape.series("levee_contract_violations_total")).containsOnly(
                entry(labels("upstream", "catalog", "expectation", "has-price"), 2.0),
                entry(labels("upstream", "catalog", "expectation", "has-currency"), 1.0),
                entry(labels("upstream", "catalog", "expectation", "translation"), 1.0));

        // levee_upstream_info{upstream,owner,criticality}
        assertThat(scrape.series("levee_upstream_info")).containsOnly(
                entry(labels("upstream", "catalog", "owner", "catalog-team", "criticality", "critical"), 1.0),
                entry(labels("upstream", "pricing", "owner", "pricing-team", "criticality", "optional"), 1.0),
                entry(labels("upstream", "search", "owner", "search-team", "criticality", "critical"), 1.0));

        // A migration between two of them: the levee.migration.* meters, checked with the others below.
        upstreams.migrate(dev.levee.migration.MigrationSpec.<String, String>named("catalog-to-pricing")
                .primary("catalog", (q, ctx) -> q, dev.levee.Adapter.identity())
                .candidate("pricing", (q, ctx) -> q, dev.levee.Adapter.identity()).build());
        assertMicrometerIds();
    }

    @Test
    void inflightCountsAbandonedWorkUntilItReallyStops() {
        Upstream slow = upstreams.register(UpstreamSpec.named("slow").timeoutMode(TimeoutMode.ENFORCED)
                .attemptTimeout(Duration.ofMillis(20)).deadline(Duration.ofSeconds(1)).maxConcurrentCalls(2).build());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        String answer = slow.call(ctx -> {
            try {
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (release.getCount() > 0 && System.nanoTime() - giveUp < 0) {
                    try {
                        release.await(10, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        // a client that ignores interrupts: keeps going until released
                    }
                }
                return "too late";
            } finally {
                stopped.countDown();
            }
        }, Adapter.identity(), CallOptions.<String>defaults().withFallback(e -> "timed out: " + e.outcome().tag()));
        assertThat(answer).isEqualTo("timed out: timeout");

        PrometheusText whileRunning = PrometheusText.parse(registry.scrape());
        assertThat(whileRunning.series("levee_inflight")).containsOnly(entry(labels("upstream", "slow"), 1.0));
        assertThat(whileRunning.series("levee_calls_seconds_count", "slow")).containsOnly(entry(call("timeout", true), 1.0));
        assertThat(whileRunning.series("levee_attempts_total", "slow")).containsOnly(entry(attempt("first", "timeout"), 1.0));

        release.countDown();
        awaitTrue(() -> slow.inFlight() == 0, Duration.ofSeconds(10));
        assertThat(stopped.getCount()).isZero();
        assertThat(PrometheusText.parse(registry.scrape()).series("levee_inflight"))
                .containsOnly(entry(labels("upstream", "slow"), 0.0));
    }

    /**
     * Regression: an upstream with a percentile histogram and one without on the same registry made
     * {@code PrometheusMeterRegistry.scrape()} throw a ClassCastException (one family cannot be both a summary
     * and a histogram), taking down the application's whole scrape endpoint. Now the mix is refused at startup.
     */
    @Test
    void percentileHistogramsAreAllOrNothingPerRegistry() {
        upstreams.register(UpstreamSpec.named("plain").build());
        assertThatThrownBy(() -> upstreams.register(UpstreamSpec.named("histogram").percentileHistogram(true).build()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("percentileHistogram must be false, as on upstream 'plain' (one meter registry cannot expose "
                        + "levee.calls both as a histogram and as a summary), but was true");
        assertThat(upstreams.names()).containsExactly("plain");
        String plainOk = upstreams.get("plain").call(ctx -> "ok");
        assertThat(plainOk).isEqualTo("ok");
        assertThat(PrometheusText.parse(registry.scrape()).type).containsEntry("levee_calls_seconds", "summary");

        // All on: one histogram family, buckets for every upstream.
        PrometheusMeterRegistry histograms = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Upstreams all = Upstreams.builder().meterRegistry(histograms).healthCheckInterval(Duration.ZERO).build()) {
            for (String name : List.of("a", "b")) {
                String ok = all.register(UpstreamSpec.named(name).percentileHistogram(true).build()).call(ctx -> "ok");
                assertThat(ok).isEqualTo("ok");
            }
            PrometheusText scrape = PrometheusText.parse(histograms.scrape());
            assertThat(scrape.type).containsEntry("levee_calls_seconds", "histogram");
            Map<String, String> success = labels("outcome", "success", "fallback", "false");
            for (String name : List.of("a", "b")) {
                assertThat(scrape.series("levee_calls_seconds_bucket", name)).hasSizeGreaterThan(20)
                        .containsEntry(with(success, "le", "+Inf"), 1.0);
            }
        } finally {
            histograms.close();
        }

        // Without a registry there is nothing to mix.
        try (Upstreams unmetered = Upstreams.builder().healthCheckInterval(Duration.ZERO).build()) {
            unmetered.register(UpstreamSpec.named("plain").build());
            unmetered.register(UpstreamSpec.named("histogram").percentileHistogram(true).build());
            assertThat(unmetered.names()).containsExactly("plain", "histogram");
        }

        // Why: the registry itself cannot scrape such a mix (if Micrometer ever can, the check may go).
        PrometheusMeterRegistry mixed = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        io.micrometer.core.instrument.Timer.builder("mixed").tag("k", "summary").register(mixed).record(Duration.ofMillis(1));
        io.micrometer.core.instrument.Timer.builder("mixed").tag("k", "histogram").publishPercentileHistogram(true).register(mixed)
                .record(Duration.ofMillis(1));
        assertThatThrownBy(mixed::scrape).isInstanceOf(ClassCastException.class);
        mixed.close();
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> m = new java.util.TreeMap<>(labels);
        m.put(key, value);
        return Map.copyOf(m);
    }

    /** Names without unit or total suffix, a description on every meter, only LeveeMeters' tag keys. */
    private void assertMicrometerIds() throws IllegalAccessException {
        Map<String, Set<String>> tagKeysByName = Map.ofEntries(
                Map.entry(LeveeMeters.CALLS, Set.of("upstream", "outcome", "fallback")),
                Map.entry(LeveeMeters.ATTEMPTS, Set.of("upstream", "kind", "outcome")),
                Map.entry(LeveeMeters.RETRIES_REFUSED, Set.of("upstream", "reason")),
                Map.entry(LeveeMeters.CIRCUIT_STATE, Set.of("upstream", "state")),
                Map.entry(LeveeMeters.CIRCUIT_TRANSITIONS, Set.of("upstream", "from", "to")),
                Map.entry(LeveeMeters.CIRCUIT_NOT_CLOSED, Set.of("upstream")),
                Map.entry(LeveeMeters.HEALTH, Set.of("upstream")),
                Map.entry(LeveeMeters.IN_FLIGHT, Set.of("upstream")),
                Map.entry(LeveeMeters.BULKHEAD_LIMIT, Set.of("upstream")),
                Map.entry(LeveeMeters.CONTRACT_VIOLATIONS, Set.of("upstream", "expectation")),
                Map.entry(LeveeMeters.INFO, Set.of("upstream", "owner", "criticality")),
                Map.entry(LeveeMeters.MIGRATION_STAGE, Set.of("migration", "stage")),
                Map.entry(LeveeMeters.MIGRATION_PERCENTAGE, Set.of("migration")),
                Map.entry(LeveeMeters.MIGRATION_ANSWERS, Set.of("migration", "provider", "fallback")),
                Map.entry(LeveeMeters.MIGRATION_SHADOW_CALLS, Set.of("migration", "outcome")),
                Map.entry(LeveeMeters.MIGRATION_SHADOW_PAUSED, Set.of("migration")),
                Map.entry(LeveeMeters.MIGRATION_SHADOW_IN_FLIGHT, Set.of("migration")),
                Map.entry(LeveeMeters.MIGRATION_MISMATCHES, Set.of("migration", "kind")),
                Map.entry(LeveeMeters.MIGRATION_ROLLBACKS, Set.of("migration", "reason")));
        assertThat(tagKeysByName.keySet()).isEqualTo(constants("").stream()
                .filter(f -> !f.equals(LeveeMeters.PREFIX)).collect(Collectors.toSet()));
        Set<String> allowedTagKeys = constants("TAG_");
        Set<String> seen = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            String name = id.getName();
            seen.add(name);
            assertThat(tagKeysByName).as("meter %s is one of LeveeMeters'", id).containsKey(name);
            assertThat(name).as("dot-separated lowercase name").matches("levee(\\.[a-z]+)+");
            assertThat(name.split("\\.")).as("no unit or total suffix in %s", name)
                    .doesNotContain("total", "count", "sum", "max", "seconds", "second", "milliseconds", "ms", "nanos", "bytes");
            if (name.equals(LeveeMeters.CIRCUIT_NOT_CLOSED)) {
                assertThat(id.getBaseUnit()).as("base unit of %s: a time in seconds", name).isEqualTo("seconds");
            } else if (m.getId().getType() != Meter.Type.TIMER) {
                assertThat(id.getBaseUnit()).as("base unit of %s (Prometheus would append it)", name).isNull();
            }
            assertThat(id.getDescription()).as("description of %s", name).isNotBlank();
            Set<String> keys = id.getTags().stream().map(t -> t.getKey()).collect(Collectors.toSet());
            assertThat(keys).as("tag keys of %s", id).isEqualTo(tagKeysByName.get(name)).isSubsetOf(allowedTagKeys);
        }
        assertThat(seen).isEqualTo(tagKeysByName.keySet());
    }

    /** The values of LeveeMeters' String constants whose field names start with a prefix ("" = meter names). */
    static Set<String> constants(String fieldPrefix) throws IllegalAccessException {
        Set<String> out = new TreeSet<>();
        for (Field f : LeveeMeters.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                boolean meterName = !f.getName().startsWith("TAG_") && !f.getName().startsWith("KIND_")
                        && !f.getName().startsWith("EXPECTATION_");
                if (fieldPrefix.isEmpty() ? meterName : f.getName().startsWith(fieldPrefix)) {
                    out.add((String) f.get(null));
                }
            }
        }
        return out;
    }

    private static Map<String, String> call(String outcome, boolean fallback) {
        return labels("outcome", outcome, "fallback", Boolean.toString(fallback));
    }

    private static Map<String, String> attempt(String kind, String outcome) {
        return labels("kind", kind, "outcome", outcome);
    }

    private static Map<Map<String, String>, Double> circuit(String current) {
        Map<Map<String, String>, Double> m = new HashMap<>();
        for (String s : List.of("closed", "open", "half_open", "forced_open", "disabled")) {
            m.put(labels("state", s), s.equals(current) ? 1.0 : 0.0);
        }
        return m;
    }

    /** Waits, boundedly and without sleeping, for something another thread does. */
    static void awaitTrue(BooleanSupplier condition, Duration atMost) {
        long end = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("condition not met within " + atMost);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
