package dev.levee.benchmarks.scenarios;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.benchmarks.Stacks;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Scenario 3, fail-fast: while the circuit is open, how long does a rejected call take? Each library's full
 * stack (as in the JMH benchmarks) with its circuit opened by real failures, one caller thread, every call
 * timed on its own.
 */
final class FailFast {

    private static final CallOptions<String> WITH_FALLBACK = CallOptions.<String>idempotent().withFallback(e -> Stacks.FALLBACK);
    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    private FailFast() {
    }

    static void run(Report report, boolean quick) {
        int warmup = quick ? 20_000 : 200_000;
        int measured = quick ? 20_000 : 500_000;
        report.heading("3. Fail-fast: latency of rejected calls while the circuit is open");
        report.note("One caller thread; " + warmup + " rejected calls to warm up, then " + measured + " timed one by one "
                + "(each timing includes a `System.nanoTime()` pair, ~35 ns on this machine). Circuits opened by real "
                + "failures (an upstream that throws), then left open (wait in open state: 1 h). Levee with its meters on "
                + "a `SimpleMeterRegistry`; resilience4j's composition with its tagged metrics and timer; Failsafe with "
                + "`Fallback.of(value)` outermost.");

        Duration longOpen = Duration.ofHours(1);
        Supplier<String> failing = () -> {
            throw new IllegalStateException("down");
        };
        Upstreams upstreams = Upstreams.builder().meterRegistry(new SimpleMeterRegistry()).build();
        Upstream levee = upstreams.register(UpstreamSpec.named("failfast").timeoutMode(dev.levee.TimeoutMode.COOPERATIVE)
                .circuitBreaker(b -> b.waitInOpenState(longOpen)).retry(r -> r.maxAttempts(1)).build());
        while (levee.circuitState() != CircuitState.OPEN) {
            try {
                levee.call(ctx -> failing.get());
            } catch (UpstreamException expected) {
                // opening the circuit
            }
        }
        Stacks.R4jFull r4j = new Stacks.R4jFull("failfast", new SimpleMeterRegistry(), failing, longOpen);
        while (r4j.breaker.getState() != CircuitBreaker.State.OPEN) {
            try {
                r4j.get();
            } catch (RuntimeException expected) {
                // opening the circuit
            }
        }
        dev.failsafe.CircuitBreaker<String> failsafeBreaker = Stacks.failsafeBreaker(longOpen);
        FailsafeExecutor<String> failsafe = Stacks.failsafeWithFallback(Stacks.failsafeRetry(1), failsafeBreaker);
        while (!failsafeBreaker.isOpen()) {
            failsafe.get(failing::get);
        }
        Supplier<String> ok = () -> Stacks.VALUE;

        Report.Table t = report.table("variant", "p50", "p90", "p99", "p99.9", "max");
        row(t, "Levee, to a fallback", warmup, measured, () -> levee.call(ctx -> ok.get(), Adapter.identity(), WITH_FALLBACK));
        row(t, "Levee, as an exception", warmup, measured, () -> {
            try {
                return levee.call(ctx -> ok.get(), Adapter.identity(), IDEMPOTENT);
            } catch (UpstreamException e) {
                return Stacks.FALLBACK;
            }
        });
        row(t, "resilience4j composition, caught to a fallback", warmup, measured, () -> {
            try {
                return r4j.get();
            } catch (CallNotPermittedException e) {
                return Stacks.FALLBACK;
            }
        });
        row(t, "Failsafe, Fallback policy", warmup, measured, () -> failsafe.get(ok::get));
        t.end();
        upstreams.close();
    }

    private static void row(Report.Table t, String name, int warmup, int measured, Supplier<String> call) {
        for (int i = 0; i < warmup; i++) {
            if (call.get() != Stacks.FALLBACK) {
                throw new IllegalStateException(name + ": a call was not rejected");
            }
        }
        long[] latencies = new long[measured];
        for (int i = 0; i < measured; i++) {
            long s = System.nanoTime();
            String r = call.get();
            latencies[i] = System.nanoTime() - s;
            if (r != Stacks.FALLBACK) {
                throw new IllegalStateException(name + ": a call was not rejected");
            }
        }
        t.row(name, Stats.duration(Stats.percentile(latencies, 50)), Stats.duration(Stats.percentile(latencies, 90)),
                Stats.duration(Stats.percentile(latencies, 99)), Stats.duration(Stats.percentile(latencies, 99.9)),
                Stats.duration(Stats.max(latencies)));
    }
}
