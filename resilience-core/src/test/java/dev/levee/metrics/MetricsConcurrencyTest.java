package dev.levee.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.Expectation;
import dev.levee.TimeSource;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Eight threads call one upstream 2,500 times each with a mix of outcomes; every timer and counter must
 * equal exactly what the threads saw: no increment lost, no meter created twice.
 */
class MetricsConcurrencyTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 2_500;

    /** Time stands still and retries do not wait: durations are 0, so nothing can time out. */
    static final TimeSource FROZEN = new TimeSource() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public void sleep(long nanos) {
        }
    };

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Upstreams upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();

    /** What the threads saw, keyed like the meters. */
    private final Map<String, LongAdder> tally = new ConcurrentHashMap<>();

    @AfterEach
    void tearDown() {
        upstreams.close();
    }

    private void count(String key) {
        tally.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    @Test
    void countsEqualWhatTheThreadsTallied() throws Exception {
        Upstream u = upstreams.register(UpstreamSpec.named("inventory").timeSource(FROZEN)
                .timeoutMode(TimeoutMode.COOPERATIVE)
                .maxConcurrentCalls(THREADS)
                // Never opens: 4 of every 7 attempts fail, and only a window of nothing but failures reaches 100%.
                .circuitBreaker(b -> b.countWindow(1_000).minimumCalls(1_000).consecutiveFailures(0).failureRateThreshold(100))
                // Never refuses: ratio 1 with 10 spare retries, and at most one retry per call.
                .retry(r -> r.maxAttempts(2).budget(1.0, 10, Duration.ofSeconds(10)))
                .build());
        Adapter<String, String> checked = new Adapter<>() {
            final List<Expectation<? super String>> expectations = List.of(Expectation.of("non-empty", s -> !s.isEmpty()));

            @Override
            public String translate(String s) {
                return s;
            }

            @Override
            public List<Expectation<? super String>> expectations() {
                return expectations;
            }
        };
        CallOptions<String> withFallback = CallOptions.<String>defaults().withFallback(e -> "fb");

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        int kind = (i + thread) % 6;
                        switch (kind) {
                            case 0 -> { // success
                                String v = u.call(ctx -> {
                                    count("attempt " + ctx.attempt() + " success");
                                    return "v" + thread;
                                });
                                assertThat(v).isEqualTo("v" + thread);
                                count("call success false");
                            }
                            case 1 -> { // failure, no fallback, not retried
                                try {
                                    u.call(ctx -> {
                                        count("attempt " + ctx.attempt() + " failure");
                                        throw new IOException("x");
                                    });
                                    throw new AssertionError("no failure");
                                } catch (UpstreamException e) {
                                    count("call " + e.outcome().tag() + " false");
                                }
                            }
                            case 2 -> { // failure answered by the fallback
                                String v = u.call(ctx -> {
                                    count("attempt " + ctx.attempt() + " failure");
                                    throw new IOException("x");
                                }, Adapter.identity(), withFallback);
                                assertThat(v).isEqualTo("fb");
                                count("call failure true");
                            }
                            case 3 -> { // idempotent: fails once, the retry succeeds
                                String v = u.call(ctx -> {
                                    if (ctx.attempt() == 1) {
                                        count("attempt 1 failure");
                                        throw new IOException("x");
                                    }
                                    count("attempt " + ctx.attempt() + " success");
                                    return "retried";
                                }, Adapter.identity(), CallOptions.idempotent());
                                assertThat(v).isEqualTo("retried");
                                count("call success false");
                            }
                            case 4 -> { // asynchronous success
                                String v = u.callAsync(ctx -> {
                                    count("attempt " + ctx.attempt() + " success");
                                    return CompletableFuture.completedFuture("async");
                                }).get(10, TimeUnit.SECONDS);
                                assertThat(v).isEqualTo("async");
                                count("call success false");
                            }
                            default -> { // contract violation answered by the fallback
                                String v = u.call(ctx -> {
                                    count("attempt " + ctx.attempt() + " contract_violation");
                                    return "";
                                }, checked, withFallback);
                                assertThat(v).isEqualTo("fb");
                                count("call contract_violation true");
                                count("violation non-empty");
                            }
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        // What the threads saw.
        Map<String, Long> seen = new HashMap<>();
        tally.forEach((k, v) -> seen.put(k, v.sum()));
        int total = THREADS * CALLS_PER_THREAD;
        assertThat(seen.entrySet().stream().filter(e -> e.getKey().startsWith("call ")).mapToLong(Map.Entry::getValue).sum())
                .isEqualTo(total);
        assertThat(seen.get("call failure false") + seen.get("call failure true")
                + seen.get("call success false") + seen.get("call contract_violation true")).isEqualTo(total);

        // What the meters say.
        Map<String, Long> metered = new HashMap<>();
        for (Meter m : registry.getMeters()) {
            String up = m.getId().getTag(LeveeMeters.TAG_UPSTREAM);
            assertThat(up).isEqualTo("inventory");
            if (m instanceof Timer t) {
                metered.put("call " + t.getId().getTag("outcome") + " " + t.getId().getTag("fallback"), t.count());
            } else if (m instanceof Counter c && m.getId().getName().equals(LeveeMeters.ATTEMPTS)) {
                metered.put("attempt " + (c.getId().getTag("kind").equals("first") ? 1 : 2) + " " + c.getId().getTag("outcome"),
                        (long) c.count());
            } else if (m instanceof Counter c && m.getId().getName().equals(LeveeMeters.CONTRACT_VIOLATIONS)) {
                metered.put("violation " + c.getId().getTag("expectation"), (long) c.count());
            } else if (m instanceof Counter c && m.getId().getName().equals(LeveeMeters.RETRIES_REFUSED)) {
                assertThat(c.count()).as("retries refused (%s)", c.getId().getTag("reason")).isZero();
            }
        }
        assertThat(metered).isEqualTo(seen);
        assertThat(metered).containsOnlyKeys("call success false", "call failure false", "call failure true",
                "call contract_violation true", "attempt 1 success", "attempt 2 success", "attempt 1 failure",
                "attempt 1 contract_violation", "violation non-empty");
        // Exact expected totals from the schedule, independent of the tallies.
        Map<Integer, Long> byKind = new HashMap<>();
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < CALLS_PER_THREAD; i++) {
                byKind.merge((i + t) % 6, 1L, Long::sum);
            }
        }
        assertThat(byKind.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
        assertThat(metered.get("call success false")).isEqualTo(byKind.get(0) + byKind.get(3) + byKind.get(4));
        assertThat(metered.get("call failure false")).isEqualTo(byKind.get(1));
        assertThat(metered.get("call failure true")).isEqualTo(byKind.get(2));
        assertThat(metered.get("call contract_violation true")).isEqualTo(byKind.get(5));
        assertThat(metered.get("attempt 2 success")).isEqualTo(byKind.get(3));
        assertThat(metered.get("attempt 1 failure")).isEqualTo(byKind.get(1) + byKind.get(2) + byKind.get(3));

        assertThat(u.inFlight()).isZero();
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
    }
}
