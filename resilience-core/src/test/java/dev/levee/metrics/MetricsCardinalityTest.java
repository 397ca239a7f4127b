package dev.levee.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CallerFaultException;
import dev.levee.ContractViolationException;
import dev.levee.Expectation;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Request data never reaches a tag: the number of series depends on the outcomes that happened, not on the
 * arguments, values or exception messages of the calls; expectation names are capped.
 */
class MetricsCardinalityTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Upstreams upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();

    @AfterEach
    void tearDown() {
        upstreams.close();
    }

    /** A port whose arguments are request data. */
    public interface Catalog {
        String describe(String sku, int quantity) throws IOException;
    }

    private static final class BadSku extends RuntimeException {
        BadSku(String message) {
            super(message);
        }
    }

    private UpstreamSpec.Builder spec(String name) {
        return UpstreamSpec.named(name).timeSource(MetricsConcurrencyTest.FROZEN).timeoutMode(TimeoutMode.COOPERATIVE)
                // Never opens: too few calls for the window, whatever their outcomes.
                .circuitBreaker(b -> b.countWindow(10_000).minimumCalls(10_000).consecutiveFailures(0))
                .classification(c -> c.callerFault(BadSku.class));
    }

    @Test
    void tenThousandDistinctCallsAddNoSeriesAfterTheFirstOfEachOutcome() throws Exception {
        Upstream u = upstreams.register(spec("catalog").build());
        Adapter<String, String> adapter = new Adapter<>() {
            final List<Expectation<? super String>> expectations = List.of(Expectation.of("not-blank", s -> !s.isBlank()));

            @Override
            public String translate(String s) {
                return s.toUpperCase();
            }

            @Override
            public Verdict<String> classify(String s) {
                return s.startsWith("404 ") ? Verdict.answer("none") : Verdict.proceed();
            }

            @Override
            public List<Expectation<? super String>> expectations() {
                return expectations;
            }
        };
        Catalog direct = (sku, quantity) -> {
            switch (quantity % 7) {
                case 0:
                    return sku + " x" + quantity;
                case 1:
                    throw new IOException("connection reset while fetching " + sku + " #" + quantity);
                case 2:
                    throw new BadSku("no such sku " + sku + " (" + quantity + ")");
                default:
                    return sku + " ok " + quantity;
            }
        };
        Catalog port = u.protect(Catalog.class, direct, (sku, quantity) -> "fallback for " + sku);

        int meterCountAfterWarmUp = -1;
        Set<String> tagValuesAfterWarmUp = null;
        for (int i = 0; i < 10_000; i++) {
            String sku = "sku-" + Integer.toHexString(i * 7919) + "-" + i;
            int q = i;
            switch (i % 5) {
                case 0 -> { // through a port: success, failure answered by the fallback, or caller fault
                    try {
                        assertThat(port.describe(sku, q)).isIn(sku + " x" + q, sku + " ok " + q, "fallback for " + sku);
                    } catch (CallerFaultException e) {
                        assertThat(q % 7).isEqualTo(2);
                        assertThat(e).hasMessageNotContaining(sku);
                    }
                }
                case 1 -> {
                    String v = u.call(ctx -> q % 3 == 0 ? "404 " + sku : "   ", adapter,
                            CallOptions.<String>defaults().withFallback(e -> "fb " + sku));
                    assertThat(v).isIn("none", "fb " + sku);
                }
                case 2 -> assertThatThrownBy(() -> u.call(ctx -> {
                    throw new IllegalStateException("upstream said: " + sku + " is locked by request " + q);
                })).isInstanceOf(UpstreamException.class);
                case 3 -> assertThat(u.call(ctx -> sku.toLowerCase(), adapter)).isEqualTo(sku.toUpperCase());
                default -> assertThatThrownBy(() -> u.call(ctx -> {
                    throw new BadSku(sku + "/" + q);
                })).isInstanceOf(CallerFaultException.class).hasMessageNotContaining(sku);
            }
            if (i == 99) { // by now every outcome of the mix has happened at least once
                meterCountAfterWarmUp = registry.getMeters().size();
                tagValuesAfterWarmUp = tagValues();
            }
        }
        assertThat(registry.getMeters()).hasSize(meterCountAfterWarmUp);
        assertThat(tagValues()).isEqualTo(tagValuesAfterWarmUp);
        // 5 circuit states + health + inflight + bulkhead limit + info + 2 refusal counters + time not closed
        // = 12 gauges and counters from registration; then one timer per (outcome, fallback) and one counter per
        // (kind, outcome) seen.
        assertThat(registry.getMeters()).hasSize(12
                + 5 /* calls: success/false, failure/false, failure/true, caller_fault/false, contract_violation/true */
                + 4 /* attempts: first × success, failure, caller_fault, contract_violation */
                + 1 /* contract violations: not-blank */);
        assertThat(tagValues()).allSatisfy(v -> assertThat(v).doesNotContain("sku", "#", "reset", "locked"));
        assertThat(tagValues()).isSubsetOf(
                "catalog", "unassigned", "optional",
                "closed", "open", "half_open", "forced_open", "disabled", "budget", "deadline",
                "success", "failure", "caller_fault", "contract_violation", "true", "false", "first", "not-blank");
        assertThat(registry.get(LeveeMeters.CALLS).timers().stream().mapToLong(t -> t.count()).sum()).isEqualTo(10_000);
    }

    @Test
    void expectationNamesBeyondTheCapAreCountedAsOther() {
        Upstream u = upstreams.register(spec("contracts").build());
        int names = LeveeMeters.MAX_EXPECTATIONS + 70;
        for (int round = 0; round < 2; round++) {
            for (int n = 0; n < names; n++) {
                violate(u, "exp-" + n);
            }
        }
        Map<String, Double> byTag = violationsByTag("contracts");
        assertThat(byTag).hasSize(LeveeMeters.MAX_EXPECTATIONS + 1);
        for (int n = 0; n < LeveeMeters.MAX_EXPECTATIONS; n++) {
            assertThat(byTag).containsEntry("exp-" + n, 2.0); // the first 50 names keep their series
        }
        assertThat(byTag).containsEntry(LeveeMeters.EXPECTATION_OTHER, 140.0); // 70 names × 2 rounds
        assertThat(byTag.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(2.0 * names);

        // A failed translation is counted under its own fixed name.
        Upstream v = upstreams.register(spec("translations").build());
        assertThatThrownBy(() -> v.call(ctx -> "x", s -> {
            throw new IllegalArgumentException("bad body " + s);
        })).isInstanceOf(ContractViolationException.class);
        assertThat(violationsByTag("translations")).containsOnlyKeys(ContractViolationException.TRANSLATION);
    }

    @Test
    void theCapHoldsWhenManyThreadsViolateNewExpectationsAtOnce() throws Exception {
        int threads = 8;
        int rounds = 20;
        for (int round = 0; round < rounds; round++) {
            Upstream u = upstreams.register(spec("race-" + round).build());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        go.await(10, TimeUnit.SECONDS);
                        for (int n = 0; n < 20; n++) {
                            violate(u, "t" + thread + "-e" + n); // 160 distinct names in all
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            Map<String, Double> byTag = violationsByTag("race-" + round);
            assertThat(byTag.keySet().stream().filter(k -> !k.equals(LeveeMeters.EXPECTATION_OTHER)))
                    .as("named expectation series in round %d", round).hasSize(LeveeMeters.MAX_EXPECTATIONS);
            assertThat(byTag).containsKey(LeveeMeters.EXPECTATION_OTHER);
            assertThat(byTag.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(threads * 20.0);
        }
    }

    private static void violate(Upstream u, String expectation) {
        Adapter<String, String> adapter = new Adapter<>() {
            final List<Expectation<? super String>> expectations = List.of(Expectation.of(expectation, s -> false));

            @Override
            public String translate(String s) {
                return s;
            }

            @Override
            public List<Expectation<? super String>> expectations() {
                return expectations;
            }
        };
        assertThatThrownBy(() -> u.call(ctx -> "response", adapter)).isInstanceOf(ContractViolationException.class);
    }

    private Map<String, Double> violationsByTag(String upstream) {
        Map<String, Double> byTag = new TreeMap<>();
        for (Counter c : registry.find(LeveeMeters.CONTRACT_VIOLATIONS).tag(LeveeMeters.TAG_UPSTREAM, upstream).counters()) {
            byTag.put(c.getId().getTag(LeveeMeters.TAG_EXPECTATION), c.count());
        }
        return byTag;
    }

    private Set<String> tagValues() {
        Set<String> values = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
            values.addAll(m.getId().getTags().stream().map(Tag::getValue).collect(Collectors.toSet()));
        }
        return values;
    }
}
