package dev.levee.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A counting bulkhead. Without a wait for permits (the default), the permits are a plain counter: taking one
 * is one CAS and giving it back one atomic decrement. With a wait, a non-fair semaphore, whose waiters a
 * release wakes.
 */
final class Bulkhead {

    private final @Nullable Semaphore permits;
    private final AtomicInteger taken = new AtomicInteger();
    private final int max;
    private final long maxWaitNanos;

    Bulkhead(int max, long maxWaitNanos) {
        this.permits = maxWaitNanos > 0 ? new Semaphore(max, false) : null;
        this.max = max;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * Takes a permit at once, or waits up to the configured maximum (synchronous calls), but never longer
     * than {@code limitNanos}, what is left of the call's deadline.
     */
    boolean acquire(long limitNanos) throws InterruptedException {
        Semaphore p = permits;
        if (p == null) {
            return tryTake();
        }
        if (!p.tryAcquire(Math.max(0, Math.min(maxWaitNanos, limitNanos)), TimeUnit.NANOSECONDS)) {
            return false;
        }
        taken.incrementAndGet();
        return true;
    }

    /** Takes a permit at once or not at all (asynchronous calls never wait). */
    boolean tryAcquire() {
        Semaphore p = permits;
        if (p == null) {
            return tryTake();
        }
        if (!p.tryAcquire()) {
            return false;
        }
        taken.incrementAndGet();
        return true;
    }

    private boolean tryTake() {
        for (;;) {
            int n = taken.get();
            if (n >= max) {
                return false;
            }
            if (taken.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        taken.decrementAndGet();
        Semaphore p = permits;
        if (p != null) {
            p.release();
        }
    }

    int inFlight() {
        return taken.get();
    }

    int max() {
        return max;
    }

    boolean waits() {
        return maxWaitNanos > 0;
    }
}
