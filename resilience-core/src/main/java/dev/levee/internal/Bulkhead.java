package dev.levee.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A counting bulkhead: a non-fair semaphore, so acquiring without waiting is one CAS. */
final class Bulkhead {

    private final Semaphore permits;
    private final int max;
    private final long maxWaitNanos;

    Bulkhead(int max, long maxWaitNanos) {
        this.permits = new Semaphore(max, false);
        this.max = max;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * Takes a permit at once, or waits up to the configured maximum (synchronous calls), but never longer
     * than {@code limitNanos}, what is left of the call's deadline.
     */
    boolean acquire(long limitNanos) throws InterruptedException {
        return maxWaitNanos == 0 ? permits.tryAcquire()
                : permits.tryAcquire(Math.max(0, Math.min(maxWaitNanos, limitNanos)), TimeUnit.NANOSECONDS);
    }

    /** Takes a permit at once or not at all (asynchronous calls never wait). */
    boolean tryAcquire() {
        return permits.tryAcquire();
    }

    void release() {
        permits.release();
    }

    int inFlight() {
        return max - permits.availablePermits();
    }

    int max() {
        return max;
    }

    boolean waits() {
        return maxWaitNanos > 0;
    }
}
