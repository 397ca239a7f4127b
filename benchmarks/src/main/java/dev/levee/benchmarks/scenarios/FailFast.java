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
                + "(each timing includes a `System.nanoTime()` pair: see `Components.nanoTime` in the JMH results); every variant warmed up before any is measured. Circuits opened by real "
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
        dev.levee.UpstreamCall<String> ok = ctx -> Stacks.VALUE;
        dev.failsafe.function.CheckedSupplier<String> okSupplier = () -> Stacks.VALUE;
        String[] names = {"Levee, to a fallback", "Levee, as an exception", "resilience4j composition, caught to a fallback",
            "Failsafe, Fallback policy"};
        @SuppressWarnings("unchecked")
        Supplier<String>[] calls = new Supplier[] {
            () -> levee.call(ok, Adapter.identity(), WITH_FALLBACK),
            () -> {
                try {
                    return levee.call(ok, Adapter.identity(), IDEMPOTENT);
                } catch (UpstreamException e) {
                    return Stacks.FALLBACK;
                }
            },
            () -> {
                try {
                    return r4j.get();
                } catch (CallNotPermittedException e) {
                    return Stacks.FALLBACK;
                }
            },
            () -> failsafe.get(okSupplier)
        };
        // Every variant is warmed up before any is measured, so none is measured while others compile.
        for (int round = 0; round < 5; round++) {
            for (int v = 0; v < calls.length; v++) {
                run(names[v], calls[v], warmup / 5, null);
            }
        }
        Report.Table t = report.table("variant", "p50", "p90", "p99", "p99.9", "max");
        for (int v = 0; v < calls.length; v++) {
            long[] latencies = new long[measured];
            run(names[v], calls[v], measured, latencies);
            t.row(names[v], Stats.duration(Stats.percentile(latencies, 50)), Stats.duration(Stats.percentile(latencies, 90)),
                    Stats.duration(Stats.percentile(latencies, 99)), Stats.duration(Stats.percentile(latencies, 99.9)),
                    Stats.duration(Stats.max(latencies)));
        }
        t.end();
        upstreams.close();
    }

    /** Makes {@code n} calls, each timed into {@code latencies} if given; every one must be rejected. */
    private static void run(String name, Supplier<String> call, int n, long[] latencies) {
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            String r = call.get();
            long took = System.nanoTime() - s;
            if (latencies != null) {
                latencies[i] = took;
            }
            if (r != Stacks.FALLBACK) {
                throw new IllegalStateException(name + ": a call was not rejected");
            }
        }
    }
}
