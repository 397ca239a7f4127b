package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.levee.internal.Scheduling;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

/**
 * Helpers shared by the behaviour tests: bounded waits (every wait fails the test instead of hanging),
 * thread counting, and upstream work that misbehaves on purpose.
 */
final class Behaviour {

    /** The longest any test waits for something that should happen promptly. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean VIRTUAL_THREADS = detectVirtualThreads();

    private Behaviour() {
    }

    /** A circuit breaker that stays closed whatever these tests do to it, so it never interferes. */
    static final Consumer<BreakerSpec.Builder> NEVER_OPENS =
            b -> b.failureRateThreshold(100).slowCallRateThreshold(100).minimumCalls(10_000).consecutiveFailures(0);

    /** A spec builder whose breaker never opens. */
    static UpstreamSpec.Builder spec(String name) {
        return UpstreamSpec.named(name).circuitBreaker(NEVER_OPENS);
    }

    /**
     * A spec whose idempotent calls are tried up to three times, 1 ms apart, within generous time limits and a
     * retry budget that never refuses; its breaker never opens.
     */
    static UpstreamSpec threeAttempts(String name, TimeoutMode mode) {
        return spec(name).timeoutMode(mode)
                .attemptTimeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(10))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(1), 1.0).jitter(0)
                        .budget(1.0, 100, Duration.ofSeconds(10)))
                .build();
    }

    /** Whether attempts of this JVM run on virtual threads (JDK 21+), as Levee itself decides. */
    static boolean virtualThreads() {
        return VIRTUAL_THREADS;
    }

    private static boolean detectVirtualThreads() {
        try (Scheduling s = new Scheduling(1)) {
            return s.usesVirtualThreads();
        }
    }

    static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("timed out after " + WAIT + " waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        }
    }

    /** Polls a condition that nothing signals (a permit coming back, a thread parking), bounded by {@link #WAIT}. */
    static void awaitUntil(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out after " + WAIT + " waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits until a thread is parked (waiting for a permit, say). */
    static void awaitParked(Thread t) {
        awaitUntil(() -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING,
                t.getName() + " is parked");
    }

    static <T> T get(Future<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected a value but the future failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + WAIT + " waiting for a future");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The exception a future failed with (unwrapped), failing the test if it succeeds or does not end in time. */
    static Throwable failureOf(Future<?> f) {
        try {
            Object value = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure but the future completed with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + WAIT + " waiting for a future");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    static void join(Thread t) {
        try {
            t.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(t.isAlive()).as("%s still running after %s", t.getName(), WAIT).isFalse();
    }

    /** Live platform threads (virtual threads are not counted by the JVM's thread bean). */
    static int platformThreads() {
        return THREADS.getThreadCount();
    }

    /** Live platform threads named {@code levee-attempt-*} (JDK 17's bounded attempt pool). */
    static int leveeAttemptThreads() {
        int n = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0)) {
            if (info != null && info.getThreadName().startsWith("levee-attempt-")) {
                n++;
            }
        }
        return n;
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * Upstream work that hangs and ignores interrupts: it swallows every interrupt and keeps waiting until
     * the test releases it, or until its own bounded maximum passes.
     */
    static final class Stubborn {
        static final Duration MAX = Duration.ofSeconds(15);

        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicInteger interrupts = new AtomicInteger();

        String run() {
            started.countDown();
            long end = System.nanoTime() + MAX.toNanos();
            try {
                while (true) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return "gave up";
                    }
                    try {
                        if (release.await(left, TimeUnit.NANOSECONDS)) {
                            return "released";
                        }
                    } catch (InterruptedException e) {
                        interrupts.incrementAndGet();
                        interrupted.countDown(); // and keep hanging: this client ignores interrupts
                    }
                }
            } finally {
                finished.countDown();
            }
        }
    }

    /** An async upstream call that holds a bulkhead permit, without any thread, until completed. */
    static CompletableFuture<String> holdPermit(Upstream u, CompletableFuture<String> hold) {
        CompletableFuture<String> call = u.callAsync(ctx -> hold);
        assertThat(call).as("the holding call must be admitted").isNotDone();
        return call;
    }
}
