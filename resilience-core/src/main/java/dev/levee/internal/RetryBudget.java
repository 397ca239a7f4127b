package dev.levee.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps retries at {@code ratio × calls + minRetries} over a sliding window of ten buckets. Counting a call
 * is lock-free and striped (a {@link LongAdder} per bucket, so threads calling one upstream at once do not
 * write one cache line); taking a retry (the rare path) is synchronized so the cap holds exactly under contention.
 * A bucket whose time has passed is reset by the first thread that notices; a count racing with that reset
 * may be lost, which only makes the budget slightly stricter.
 */
final class RetryBudget {

    private static final int BUCKETS = 10;

    private final long windowNanos;
    private final long bucketNanos;
    private long refusedAt = Long.MIN_VALUE;
    private final double ratio;
    private final int minRetries;
    private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);
    private final LongAdder[] calls = new LongAdder[BUCKETS];
    private final AtomicLongArray retries = new AtomicLongArray(BUCKETS);

    RetryBudget(long windowNanos, double ratio, int minRetries) {
        this.windowNanos = windowNanos;
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        this.ratio = ratio;
        this.minRetries = minRetries;
        for (int i = 0; i < BUCKETS; i++) {
            epochs.set(i, Long.MIN_VALUE);
            calls[i] = new LongAdder();
        }
    }

    /**
     * The bucket of the latest call, so that counting a call in the same bucket as the one before costs two
     * comparisons instead of a division. Replaced (rarely: once per bucket) by whichever thread moves on.
     */
    private volatile Slot slot = new Slot(Long.MAX_VALUE, Long.MIN_VALUE, 0);

    private static final class Slot {
        final long from;
        final long until;
        final int index;

        Slot(long from, long until, int index) {
            this.from = from;
            this.until = until;
            this.index = index;
        }
    }

    void recordCall(long now) {
        Slot s = slot;
        if (now - s.from < 0 || now - s.until >= 0) {
            int i = bucket(now);
            long epoch = Math.floorDiv(now, bucketNanos);
            s = new Slot(epoch * bucketNanos, epoch * bucketNanos + bucketNanos, i);
            slot = s;
        }
        calls[s.index].increment();
    }

    /** Takes one retry from the budget if it allows one now. */
    synchronized boolean tryAcquireRetry(long now) {
        int current = bucket(now);
        long epoch = Math.floorDiv(now, bucketNanos);
        long c = inWindow(i -> calls[i].sum(), epoch);
        long r = inWindow(retries::get, epoch);
        if (r + 1 > ratio * c + minRetries) {
            refusedAt = now;
            return false;
        }
        retries.incrementAndGet(current);
        return true;
    }

    /** Retries still allowed in the current window (for health: an exhausted budget degrades). */
    synchronized long remaining(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        return Math.max(0, (long) Math.floor(ratio * inWindow(i -> calls[i].sum(), epoch) + minRetries) - inWindow(retries::get, epoch));
    }

    /** The sum of a count ({@code count.applyAsLong(bucket)}) over the buckets still inside the window that ends in {@code epoch}. */
    private long inWindow(java.util.function.IntToLongFunction count, long epoch) {
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (epochs.get(i) > epoch - BUCKETS) {
                sum += count.applyAsLong(i);
            }
        }
        return sum;
    }

    /** Whether the budget has refused a retry within the last window: retries are being refused. */
    synchronized boolean exhausted(long now) {
        return refusedAt != Long.MIN_VALUE && now - refusedAt < windowNanos;
    }

    private int bucket(long now) {
        long epoch = Math.floorDiv(now, bucketNanos);
        int i = (int) Math.floorMod(epoch, (long) BUCKETS);
        long seen = epochs.get(i);
        if (seen != epoch && epochs.compareAndSet(i, seen, epoch)) {
            calls[i].reset();
            retries.set(i, 0);
        }
        return i;
    }
}
