package dev.levee.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Levee's own time window of attempt outcomes, which decides when a closed circuit opens: the failure rate
 * and the slow-call rate over the last {@code seconds} whole seconds, once the window holds at least the
 * minimum number of calls, exactly as resilience4j's time window computes them. resilience4j's
 * {@code CircuitBreaker} keeps the state machine (open, the wait, half-open probes, closing); while the
 * circuit is closed, attempts are recorded here instead of in resilience4j's window, which takes one lock
 * per breaker for every recorded call and allocates a snapshot each time.
 *
 * <p><b>Striped.</b> The counts live in stripes, each with its own one-second buckets, running totals and a
 * lock (one compare-and-set to take, a release store to give back). A thread records into its own stripe:
 * threads are given stripes in turn as they first record (a global counter), so the first threads of an
 * application land on different stripes whatever their identities; a thread that finds its stripe taken
 * moves to the next one and stays there. Two threads recording at once then write two different cache lines.
 *
 * <p><b>Decisions.</b> A success that is not slow can only lower both rates, so it is recorded in its own
 * stripe and nothing else is read, except while the window holds fewer than the minimum calls (a success
 * can make the rates defined), and on the first record of a new second in a stripe (expired seconds may
 * raise the rates). Every other record, a failure or a slow call, evaluates the whole window: every stripe
 * taken in turn (so the sums are one consistent moment), stripes no thread recorded into lately moved to
 * the current second first. resilience4j evaluates after every recorded call; the results differ only in
 * which evaluation sees a threshold first when calls race, never in what the window holds.
 *
 * <p>Times are the time source's readings ({@code System.nanoTime()} or a manual source); seconds count from
 * the window's creation. The window's time is the newest second any record or read has brought; a record
 * whose second has already left the window at that time (a thread that read the clock, then waited while
 * others moved the window on) is not counted, whichever stripe it lands in. So what the window holds does
 * not depend on how threads were spread over stripes: every record and every read is atomic (a record holds
 * its stripe, a read all of them), which {@code OutcomeWindowLincheckTest} checks.
 */
final class OutcomeWindow {

    /** The counts kept per second and in total. */
    static final int CALLS = 0;
    static final int FAILED = 1;
    static final int SLOW = 2;
    static final int SLOW_FAILED = 3;
    private static final int FIELDS = 4;
    /** Longs left free before and after each stripe's buckets, so that two stripes never share a cache line. */
    private static final int PAD = 16;
    /** Stripes have at most this many buckets between them: a one-hour window gets one stripe, not 4 × 3,600 buckets. */
    private static final int MAX_BUCKETS = 4_096;

    private static final AtomicInteger NEXT_PROBE = new AtomicInteger();
    /** Each thread's stripe number, given in turn on first use; moved on when the stripe is found taken. */
    private static final ThreadLocal<int[]> PROBE = ThreadLocal.withInitial(() -> new int[] {NEXT_PROBE.getAndIncrement()});

    /** Package-private for the tests that hold stripes to make a recorder wait. */
    final Stripe[] stripes;
    private final int mask;
    private final int seconds;
    private final long originNanos;
    private final int minimumCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final long slowCallNanos;
    /**
     * Whether the last evaluation found fewer calls than the minimum: then every success evaluates too. Written
     * only when it changes, so the success path only reads it.
     */
    private volatile boolean belowMinimum = true;
    /** The window's time: the newest second recorded or read. Moved forward only, once per second. */
    private volatile long newest;
    private static final VarHandle NEWEST;

    static {
        try {
            NEWEST = MethodHandles.lookup().findVarHandle(OutcomeWindow.class, "newest", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param seconds the window's length in whole seconds
     * @param minimumCalls the calls the window must hold before its rates count
     * @param failureRateThreshold the failure rate in percent at which the circuit opens
     * @param slowCallRateThreshold the slow-call rate in percent at which the circuit opens
     * @param slowCallNanos an attempt longer than this is slow
     * @param originNanos the time source's reading at creation: second 0 starts there
     */
    OutcomeWindow(int seconds, int minimumCalls, float failureRateThreshold, float slowCallRateThreshold, long slowCallNanos,
            long originNanos) {
        this(seconds, minimumCalls, failureRateThreshold, slowCallRateThreshold, slowCallNanos, originNanos,
                defaultStripes(seconds));
    }

    OutcomeWindow(int seconds, int minimumCalls, float failureRateThreshold, float slowCallRateThreshold, long slowCallNanos,
            long originNanos, int stripeCount) {
        if (Integer.bitCount(stripeCount) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two, was " + stripeCount);
        }
        this.seconds = seconds;
        this.minimumCalls = minimumCalls;
        this.failureRateThreshold = failureRateThreshold;
        this.slowCallRateThreshold = slowCallRateThreshold;
        this.slowCallNanos = slowCallNanos;
        this.originNanos = originNanos;
        this.stripes = new Stripe[stripeCount];
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new Stripe(seconds);
        }
        this.mask = stripeCount - 1;
    }

    /** Twice the processors, rounded up to a power of two, at most 16, and at most {@link #MAX_BUCKETS} buckets. */
    static int defaultStripes(int seconds) {
        int wanted = Math.min(16, Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1);
        while (wanted > 1 && (long) wanted * seconds > MAX_BUCKETS) {
            wanted >>= 1;
        }
        return wanted;
    }

    /** The window's second of a time-source reading. */
    long second(long nanos) {
        return Math.floorDiv(nanos - originNanos, 1_000_000_000L);
    }

    /** Whether an attempt that took this long is slow. */
    boolean slow(long tookNanos) {
        return tookNanos > slowCallNanos;
    }

    /**
     * Records one attempt's outcome.
     *
     * @param endNanos the time-source reading at the attempt's end
     * @param tookNanos how long the attempt took (slow above the slow-call threshold)
     * @param failed whether it counts as a failure of the upstream
     * @return whether the window's rates have reached a threshold: the circuit should open
     */
    boolean record(long endNanos, long tookNanos, boolean failed) {
        boolean slow = tookNanos > slowCallNanos;
        long second = second(endNanos);
        int[] probe = PROBE.get();
        Stripe s = lockOwn(probe);
        boolean newSecond;
        try {
            long now = advance(second);
            newSecond = s.roll(now, seconds);
            if (second > now - seconds) { // else it left the window before it was recorded
                s.add(second, seconds, failed, slow);
            }
        } finally {
            s.unlock();
        }
        if (failed || slow || newSecond || belowMinimum) {
            return evaluate(second);
        }
        return false;
    }

    /** Moves the window's time forward to {@code second} if it is newer; returns the window's time. */
    private long advance(long second) {
        long t = newest;
        while (second > t) {
            if (NEWEST.compareAndSet(this, t, second)) {
                return second;
            }
            t = newest;
        }
        return t;
    }

    /** Takes the calling thread's stripe, or the next free one (which becomes the thread's). */
    private Stripe lockOwn(int[] probe) {
        int p = probe[0];
        for (int spins = 0; ; spins++) {
            Stripe s = stripes[p & mask];
            if (s.tryLock()) {
                if (spins != 0) {
                    probe[0] = p; // this stripe was free: keep it, away from whoever holds the other
                }
                return s;
            }
            p++;
            if ((spins & 63) == 63) {
                Thread.yield(); // every stripe taken: the holders may have been preempted
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Whether the rates reach a threshold at the given second: every stripe, moved to the window's time, summed
     * with all stripes held, so the sums are one moment of the window.
     */
    private boolean evaluate(long second) {
        long[] totals = totals(second);
        long calls = totals[CALLS];
        boolean below = calls == 0 || calls < minimumCalls;
        if (below != belowMinimum) {
            belowMinimum = below;
        }
        if (below) {
            return false;
        }
        return totals[FAILED] * 100.0f / calls >= failureRateThreshold || totals[SLOW] * 100.0f / calls >= slowCallRateThreshold;
    }

    /**
     * The window's counts at a second ({@link #CALLS}, {@link #FAILED}, {@link #SLOW}, {@link #SLOW_FAILED}):
     * every stripe moved to the window's time (that second, unless a newer one was recorded) first, and held
     * while the sums are taken.
     */
    long[] totals(long second) {
        for (Stripe s : stripes) {
            s.lock();
        }
        long[] sum = new long[FIELDS];
        try {
            long now = advance(second);
            for (Stripe s : stripes) {
                s.roll(now, seconds);
                for (int f = 0; f < FIELDS; f++) {
                    sum[f] += s.total(f);
                }
            }
        } finally {
            for (Stripe s : stripes) {
                s.unlock();
            }
        }
        return sum;
    }

    /** The counts at the time-source reading {@code nanos}. */
    Counts counts(long nanos) {
        long[] t = totals(second(nanos));
        return new Counts((int) Math.min(Integer.MAX_VALUE, t[CALLS]), (int) Math.min(Integer.MAX_VALUE, t[FAILED]),
                (int) Math.min(Integer.MAX_VALUE, t[SLOW]), (int) Math.min(Integer.MAX_VALUE, t[SLOW_FAILED]), minimumCalls);
    }

    /** What the window holds at one moment, with the rates as resilience4j reports them (-1 below the minimum). */
    record Counts(int calls, int failed, int slow, int slowFailed, int minimumCalls) {

        float failureRate() {
            return calls == 0 || calls < minimumCalls ? -1f : failed * 100.0f / calls;
        }

        float slowCallRate() {
            return calls == 0 || calls < minimumCalls ? -1f : slow * 100.0f / calls;
        }
    }

    /**
     * One stripe: its lock, the second it has reached, its running totals (all in one padded array, written on
     * every record, so that no other stripe's writes share its cache lines) and its buckets.
     */
    static final class Stripe {
        private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
        private static final int LOCK = PAD;
        /** The newest second recorded; the buckets hold the seconds after {@code head - seconds}. */
        private static final int HEAD = PAD + 1;
        /** The sums of the buckets, {@link #FIELDS} of them. */
        private static final int TOTALS = PAD + 2;

        /** Lock, head and totals; every slot but the lock read and written under the lock. */
        private final long[] state = new long[TOTALS + FIELDS + PAD];
        /** One group of {@link #FIELDS} counts per second, at second modulo the window's length. Under the lock. */
        private final long[] buckets;

        Stripe(int seconds) {
            this.buckets = new long[seconds * FIELDS + 2 * PAD];
        }

        boolean tryLock() {
            return SLOT.compareAndSet(state, LOCK, 0L, 1L);
        }

        void lock() {
            for (int spins = 1; !tryLock(); spins++) {
                if ((spins & 63) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        void unlock() {
            SLOT.setRelease(state, LOCK, 0L);
        }

        /** One of the running totals ({@link #CALLS} ...); under the lock. */
        long total(int field) {
            return state[TOTALS + field];
        }

        /** Adds one outcome at {@code second}, a second the stripe's buckets hold. Under the lock. */
        void add(long second, int seconds, boolean failed, boolean slow) {
            long[] st = state;
            long[] b = buckets;
            int base = PAD + (int) Math.floorMod(second, (long) seconds) * FIELDS;
            b[base + CALLS]++;
            st[TOTALS + CALLS]++;
            if (failed) {
                b[base + FAILED]++;
                st[TOTALS + FAILED]++;
            }
            if (slow) {
                b[base + SLOW]++;
                st[TOTALS + SLOW]++;
                if (failed) {
                    b[base + SLOW_FAILED]++;
                    st[TOTALS + SLOW_FAILED]++;
                }
            }
        }

        /** Moves the stripe to {@code second}, emptying the seconds that leave the window; whether it moved. Under the lock. */
        boolean roll(long second, int seconds) {
            long[] st = state;
            long from = st[HEAD];
            if (second <= from) {
                return false;
            }
            long steps = Math.min(second - from, seconds);
            for (long s = second - steps + 1; s <= second; s++) {
                int base = PAD + (int) Math.floorMod(s, (long) seconds) * FIELDS;
                for (int f = 0; f < FIELDS; f++) {
                    st[TOTALS + f] -= buckets[base + f];
                    buckets[base + f] = 0;
                }
            }
            st[HEAD] = second;
            return true;
        }
    }
}
