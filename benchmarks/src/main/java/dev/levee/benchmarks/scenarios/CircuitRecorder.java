package dev.levee.benchmarks.scenarios;

import dev.levee.CircuitState;
import dev.levee.HealthListener;
import dev.levee.HealthState;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamHealth;
import dev.levee.spi.UpstreamObserver;
import dev.levee.spi.UpstreamObserverFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Timestamps one upstream's circuit and health changes as Levee reports them (an observer and a health
 * listener: no polling), and counts its attempts, around a fault that starts at {@link #faultStarted} and
 * ends at {@link #faultCleared}. Register it on {@code Upstreams.builder()} as both observer and health
 * listener of a registry that holds one upstream.
 */
final class CircuitRecorder implements UpstreamObserverFactory, UpstreamObserver, HealthListener {

    private static final long NEVER = Long.MAX_VALUE;

    private volatile long faultAt = NEVER;
    private volatile long clearedAt = NEVER;
    private final AtomicLong openedAt = new AtomicLong(NEVER);
    private final AtomicLong closedAt = new AtomicLong(NEVER);
    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    final LongAdder attempts = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder openings = new LongAdder();
    /** Successful attempts before the fault: what the breaker's window holds when it starts. */
    final LongAdder healthySuccesses = new LongAdder();
    /**
     * Attempts that ended between the fault's start and the circuit opening (the one that opened it included),
     * by what the breaker made of them.
     */
    final LongAdder counted = new LongAdder();
    final LongAdder deadlineExceeded = new LongAdder();
    final LongAdder bulkheadFull = new LongAdder();
    /** Attempts made on the upstream (not rejected, not refused for lack of time) in the same interval. */
    final LongAdder made = new LongAdder();

    private final AtomicLong run = new AtomicLong();
    private final AtomicLong longestRun = new AtomicLong();
    private final List<long[]> health = new ArrayList<>();
    private final ThreadLocal<Boolean> openedHere = ThreadLocal.withInitial(() -> false);

    @Override
    public UpstreamObserver create(Upstream upstream) {
        return this;
    }

    /** Marks the fault's start; from now on an opening counts as detection. */
    void faultStarted() {
        faultAt = System.nanoTime();
    }

    /** Marks the fault's end; from now on a closing counts as recovery. */
    void faultCleared() {
        clearedAt = System.nanoTime();
    }

    long faultAt() {
        return faultAt;
    }

    long clearedAt() {
        return clearedAt;
    }

    /** Nanoseconds from the fault's start to the circuit open, or -1 if it did not open. */
    long timeToOpen() {
        long t = openedAt.get();
        return t == NEVER ? -1 : t - faultAt;
    }

    /** Nanoseconds from the fault's end to the circuit closed, or -1 if it did not close. */
    long timeToClose() {
        long t = closedAt.get();
        return t == NEVER ? -1 : t - clearedAt;
    }

    CountDownLatch opened() {
        return opened;
    }

    CountDownLatch closed() {
        return closed;
    }

    /** The longest run of consecutive failed attempts, in the order they ended. */
    long longestFailureRun() {
        return longestRun.get();
    }

    @Override
    public void onAttempt(int attempt, Outcome outcome, long durationNanos) {
        attempts.increment();
        if (outcome.isUpstreamFault()) {
            failures.increment();
            longestRun.accumulateAndGet(run.incrementAndGet(), Math::max);
        } else if (outcome == Outcome.SUCCESS || outcome == Outcome.CALLER_FAULT) {
            run.set(0);
        }
        long now = System.nanoTime();
        if (now < faultAt) {
            if (outcome == Outcome.SUCCESS) {
                healthySuccesses.increment();
            }
            return;
        }
        boolean opener = openedHere.get();
        if (opener) {
            openedHere.set(false); // Levee reports the attempt right after the change it caused: it still counts
        }
        if ((openedAt.get() != NEVER && !opener) || now >= clearedAt) {
            return;
        }
        if (outcome.isUpstreamFault()) {
            counted.increment();
        } else if (outcome == Outcome.DEADLINE_EXCEEDED) {
            deadlineExceeded.increment();
        } else if (outcome == Outcome.BULKHEAD_FULL) {
            bulkheadFull.increment();
        }
        if (durationNanos > 0 && !outcome.isRejection()) {
            made.increment();
        }
    }

    @Override
    public void onCircuitStateChange(CircuitState from, CircuitState to) {
        long now = System.nanoTime();
        if (to == CircuitState.OPEN) {
            openings.increment();
            if (now >= faultAt && openedAt.compareAndSet(NEVER, now)) {
                openedHere.set(true);
                opened.countDown();
            }
        } else if (to == CircuitState.CLOSED && now >= clearedAt && closedAt.compareAndSet(NEVER, now)) {
            closed.countDown();
        }
    }

    @Override
    public void onHealthChange(UpstreamHealth previous, UpstreamHealth current) {
        long now = System.nanoTime();
        synchronized (health) {
            health.add(new long[] {now, current.state().ordinal()});
        }
    }

    /**
     * The health states entered during the fault, with their times from its start: {@code HEALTHY throughout}
     * if none.
     *
     * @param atStart the state when the fault started
     * @return e.g. {@code DEGRADED at 2.10 s → UNAVAILABLE at 5.31 s}; with more than four changes, the first two,
     *     how many more, and the last
     */
    String healthDuringFault(HealthState atStart) {
        List<String> seen = new ArrayList<>();
        synchronized (health) {
            for (long[] change : health) {
                if (change[0] >= faultAt && change[0] <= clearedAt) {
                    seen.add(HealthState.values()[(int) change[1]] + " at " + Stats.seconds(change[0] - faultAt));
                }
            }
        }
        String from = atStart == HealthState.HEALTHY ? "" : "from " + atStart + ": ";
        if (seen.isEmpty()) {
            return from + atStart + " throughout";
        }
        if (seen.size() > 4) { // flapping (a bulkhead saturated, then not): the first changes and the last
            String last = seen.get(seen.size() - 1);
            int more = seen.size() - 3;
            seen = new ArrayList<>(seen.subList(0, 2));
            seen.add("(" + more + " more changes)");
            seen.add(last);
        }
        return from + String.join(" → ", seen);
    }
}
