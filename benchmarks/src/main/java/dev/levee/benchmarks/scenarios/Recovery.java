package dev.levee.benchmarks.scenarios;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.benchmarks.Stacks;
import dev.levee.benchmarks.scenarios.LoopbackUpstream.Behaviour;
import dev.levee.benchmarks.scenarios.LoopbackUpstream.Path;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.CheckedSupplier;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 4, recovery: the upstream fails every request for a while (long enough for the circuit to
 * open), then recovers. How long after it recovers is the circuit closed, and every call successful again?
 */
final class Recovery {

    private static final int RATE = 100;
    private static final int WORKERS = 20;
    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    private Recovery() {
    }

    /** One way of calling the upstream, and of reading its circuit. */
    private interface Subject extends AutoCloseable {
        boolean call() throws Exception;

        boolean closed();

        boolean open();

        @Override
        default void close() {
        }
    }

    private interface SubjectFactory {
        Subject create(Path path);
    }

    static void run(Report report, boolean quick) throws Exception {
        long failMillis = quick ? 1_500 : 5_000;
        long boundMillis = quick ? 4_000 : 20_000;
        report.heading("4. Recovery: from the upstream recovering to the circuit closed and full success");
        report.note("Open-loop " + RATE + " calls/s on " + WORKERS + " caller workers. The upstream answers 503 for "
                + failMillis / 1000.0 + " s (the circuit opens), then recovers; each run is bounded to "
                + boundMillis / 1000 + " s after recovery. *Closed*: first time the circuit was seen closed (polled every "
                + "millisecond). *Full success*: from then on every call succeeded (measured to the end of the last "
                + "failed call). Levee calls are idempotent, without fallback. The wait in the open state dominates "
                + "both figures: recovery is noticed only when the wait ends and probes succeed, so recovered → closed is about "
                + "the wait minus the time the circuit had already been open when the upstream recovered. Full success can come "
                + "a little before *closed*: the half-open probes that close the circuit already succeed.");
        Report.Table t = report.table("variant", "wait in open state", "outage start → circuit open",
                "recovered → circuit closed", "recovered → full success");
        row(t, "Levee defaults", "10 s", failMillis, boundMillis, p -> levee(p, UpstreamSpec.named("recovery").build()));
        row(t, "Levee tuned (wait 2 s, 3 probes)", "2 s", failMillis, boundMillis, p -> levee(p, UpstreamSpec.named("recovery")
                .circuitBreaker(b -> b.waitInOpenState(Duration.ofSeconds(2)).halfOpenProbes(3)).build()));
        row(t, "resilience4j, Levee-equivalent config", "10 s", failMillis, boundMillis,
                p -> r4j(p, Stacks.r4jBreakerConfig(Duration.ofSeconds(10))));
        row(t, "resilience4j defaults", "60 s", failMillis, boundMillis, p -> r4j(p, CircuitBreakerConfig.ofDefaults()));
        t.end();
    }

    private static Subject levee(Path p, UpstreamSpec spec) {
        Upstreams upstreams = Upstreams.builder().build();
        Upstream u = upstreams.register(spec);
        return new Subject() {
            @Override
            public boolean call() {
                return u.call(ctx -> LoopbackUpstream.get(p), Adapter.identity(), IDEMPOTENT) != null;
            }

            @Override
            public boolean closed() {
                return u.circuitState() == CircuitState.CLOSED;
            }

            @Override
            public boolean open() {
                return u.circuitState() == CircuitState.OPEN;
            }

            @Override
            public void close() {
                upstreams.close();
            }
        };
    }

    private static Subject r4j(Path p, CircuitBreakerConfig config) {
        CircuitBreaker breaker = CircuitBreaker.of("recovery", config);
        CheckedSupplier<String> s = CircuitBreaker.decorateCheckedSupplier(breaker, () -> LoopbackUpstream.get(p));
        return new Subject() {
            @Override
            public boolean call() throws Exception {
                return Outage.get(s);
            }

            @Override
            public boolean closed() {
                return breaker.getState() == CircuitBreaker.State.CLOSED;
            }

            @Override
            public boolean open() {
                return breaker.getState() == CircuitBreaker.State.OPEN;
            }
        };
    }

    private static void row(Report.Table t, String name, String wait, long failMillis, long boundMillis, SubjectFactory factory)
            throws Exception {
        try (LoopbackUpstream upstream = new LoopbackUpstream(0, "recovering")) {
            Path p = upstream.path("recovering");
            p.behaviour = Behaviour.FAIL;
            try (Subject subject = factory.create(p)) {
                AtomicLong recoveredAt = new AtomicLong(Long.MAX_VALUE);
                AtomicLong lastFailureEnd = new AtomicLong(Long.MIN_VALUE);
                AtomicLong closedAt = new AtomicLong(Long.MAX_VALUE);
                AtomicLong openedAt = new AtomicLong(Long.MAX_VALUE);
                ExecutorService control = Executors.newSingleThreadExecutor(r -> {
                    Thread th = new Thread(r, "recovery-monitor");
                    th.setDaemon(true);
                    return th;
                });
                long start = System.nanoTime();
                control.execute(() -> {
                    long recoverAt = start + TimeUnit.MILLISECONDS.toNanos(failMillis);
                    while (System.nanoTime() < recoverAt && !Thread.currentThread().isInterrupted()) {
                        if (openedAt.get() == Long.MAX_VALUE && subject.open()) {
                            openedAt.set(System.nanoTime());
                        }
                        sleepUntil(Math.min(recoverAt, System.nanoTime() + 1_000_000));
                    }
                    p.behaviour = Behaviour.HEALTHY;
                    recoveredAt.set(System.nanoTime());
                    long end = recoveredAt.get() + TimeUnit.MILLISECONDS.toNanos(boundMillis);
                    while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                        if (subject.closed()) {
                            closedAt.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                            break;
                        }
                        sleepUntil(System.nanoTime() + 1_000_000);
                    }
                });
                int calls = (int) ((failMillis + boundMillis) * RATE / 1000);
                OpenLoop.run(RATE, calls, WORKERS, 1_000, i -> () -> {
                    boolean ok;
                    try {
                        ok = subject.call();
                    } catch (Exception e) {
                        ok = false;
                    }
                    if (!ok) {
                        lastFailureEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                    return ok;
                });
                control.shutdownNow();
                control.awaitTermination(5, TimeUnit.SECONDS);
                long rec = recoveredAt.get();
                String closed = closedAt.get() == Long.MAX_VALUE ? "not within " + boundMillis / 1000 + " s"
                        : Stats.millis(closedAt.get() - rec);
                long lf = lastFailureEnd.get();
                String full = closedAt.get() == Long.MAX_VALUE ? "not within " + boundMillis / 1000 + " s"
                        : lf < rec ? "at once" : Stats.millis(lf - rec);
                String opened = openedAt.get() == Long.MAX_VALUE ? "never" : Stats.millis(openedAt.get() - start);
                t.row(name, wait, opened, closed, full);
            }
        }
    }

    private static void sleepUntil(long deadline) {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
