package dev.levee.benchmarks.scenarios;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.UpstreamTimeoutException;
import dev.levee.Upstreams;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 5, timeouts: every call hangs, and every attempt must end at its timeout. How accurate are the
 * timeouts, and is any thread left behind after 10,000 of them?
 */
final class Timeouts {

    private static final long TIMEOUT_MILLIS = 50;
    private static final int CALLERS = 100;

    private Timeouts() {
    }

    /** The upstream: hangs for 10 s, and honours interrupts (as {@code Thread.sleep} does). */
    static String hang() throws InterruptedException {
        Thread.sleep(10_000);
        return "late";
    }

    private interface TimedCall {
        /** Makes one call; {@code true} if it timed out, as it should. */
        boolean call() throws Exception;
    }

    private static final class Outcome {
        final long[] overshoot;
        final int timeouts;
        final int peakThreads;

        Outcome(long[] overshoot, int timeouts, int peakThreads) {
            this.overshoot = overshoot;
            this.timeouts = timeouts;
            this.peakThreads = peakThreads;
        }
    }

    static void run(Report report, boolean quick) throws Exception {
        int total = quick ? 1_000 : 10_000;
        report.heading("5. Timeouts: accuracy, and threads after " + total + " timeouts");
        report.note(CALLERS + " caller threads each make " + total / CALLERS + " calls in a row to an in-process upstream "
                + "that hangs 10 s in `Thread.sleep` (it honours interrupts); every attempt times out after "
                + TIMEOUT_MILLIS + " ms. Overshoot = the caller's wait − " + TIMEOUT_MILLIS + " ms. Levee: `TimeoutMode.ENFORCED`, "
                + "one attempt, a bulkhead and breaker that never interfere (200 permits; minimum calls 10,000). "
                + "resilience4j: `TimeLimiter` (cancelRunningFuture) over a pool like Levee's (threads retire after 30 s idle). "
                + "*In upstream code* counts threads whose stack is still inside the hanging call; *pool threads* are the "
                + "attempt threads (Levee's `levee-attempt-*`, the TimeLimiter's pool) still alive, busy or idle.");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int before = mx.getThreadCount();

        Upstreams upstreams = Upstreams.builder().build();
        Upstream levee = upstreams.register(UpstreamSpec.named("timeouts").timeoutMode(TimeoutMode.ENFORCED)
                .attemptTimeout(Duration.ofMillis(TIMEOUT_MILLIS))
                .retry(r -> r.maxAttempts(1))
                .maxConcurrentCalls(200)
                .circuitBreaker(b -> b.timeWindow(Duration.ofSeconds(1)).minimumCalls(10_000))
                .build());
        CallOptions<String> options = CallOptions.defaults();
        Outcome l = measure(total, () -> {
            try {
                levee.call(ctx -> hang(), Adapter.identity(), options);
                return false;
            } catch (UpstreamTimeoutException expected) {
                return true;
            }
        });
        int leveeAfter = inUpstream();

        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = new ThreadPoolExecutor(0, 10_000, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "r4j-timelimiter-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        TimeLimiter limiter = TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofMillis(TIMEOUT_MILLIS))
                .cancelRunningFuture(true).build());
        Callable<String> hanging = Timeouts::hang;
        Outcome r = measure(total, () -> {
            try {
                limiter.executeFutureSupplier(() -> pool.submit(hanging));
                return false;
            } catch (TimeoutException expected) {
                return true;
            }
        });
        int r4jAfter = inUpstream();

        int leveePool = named("levee-attempt-");
        int r4jPool = named("r4j-timelimiter-");
        String leveeLater = "—";
        String r4jLater = "—";
        if (!quick) {
            Thread.sleep(31_000); // idle pool threads retire after 30 s
            leveeLater = String.valueOf(named("levee-attempt-"));
            r4jLater = String.valueOf(named("r4j-timelimiter-"));
        }
        Report.Table t = report.table("variant", "timeouts", "overshoot p50", "overshoot p99", "overshoot max",
                "JVM threads before / peak", "threads in upstream code 1 s after", "pool threads 1 s after / 31 s after");
        t.row("Levee ENFORCED", l.timeouts + " of " + total, Stats.millis(Stats.percentile(l.overshoot, 50)),
                Stats.millis(Stats.percentile(l.overshoot, 99)), Stats.millis(Stats.max(l.overshoot)),
                before + " / " + l.peakThreads, leveeAfter, leveePool + " / " + leveeLater);
        t.row("resilience4j TimeLimiter", r.timeouts + " of " + total, Stats.millis(Stats.percentile(r.overshoot, 50)),
                Stats.millis(Stats.percentile(r.overshoot, 99)), Stats.millis(Stats.max(r.overshoot)),
                before + " / " + r.peakThreads, r4jAfter, r4jPool + " / " + r4jLater);
        t.end();
        upstreams.close();
        pool.shutdownNow();
    }

    private static Outcome measure(int total, TimedCall call) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Warm-up: the first calls pay for class loading and thread creation.
        for (int i = 0; i < 20; i++) {
            call.call();
        }
        mx.resetPeakThreadCount();
        long[] overshoot = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        CountDownLatch done = new CountDownLatch(CALLERS);
        long timeout = TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        for (int c = 0; c < CALLERS; c++) {
            Thread th = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        long s = System.nanoTime();
                        boolean timedOut = call.call();
                        overshoot[i] = System.nanoTime() - s - timeout;
                        if (timedOut) {
                            timeouts.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }, "timeout-caller-" + c);
            th.setDaemon(true);
            th.start();
        }
        done.await();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " callers failed");
        }
        int peak = mx.getPeakThreadCount();
        Thread.sleep(1_000);
        return new Outcome(overshoot, timeouts.get(), peak);
    }

    /** Live threads whose name starts with {@code prefix}. */
    private static int named(String prefix) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    /** Threads whose stack is inside {@link #hang()} right now. */
    private static int inUpstream() {
        int n = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            for (StackTraceElement f : e.getValue()) {
                if (f.getClassName().equals(Timeouts.class.getName()) && f.getMethodName().equals("hang")) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }
}
