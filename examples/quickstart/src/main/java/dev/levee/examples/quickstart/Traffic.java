package dev.levee.examples.quickstart;

import dev.levee.CircuitState;
import dev.levee.Outcome;
import dev.levee.spi.UpstreamObserver;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one upstream's traffic looked like: per-second figures for the live table and whole-run totals for
 * the summary. Fed by Levee's observer seam (outcomes, attempts, circuit changes) and by the callers
 * (latency as a caller saw it, from each request's scheduled time).
 */
final class Traffic implements UpstreamObserver {

    final String name;
    final LongAdder calls = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder reached = new LongAdder();
    final Latencies window = new Latencies();

    final LongAdder totalCalls = new LongAdder();
    final LongAdder totalAttempts = new LongAdder();
    final LongAdder totalReached = new LongAdder();
    /** How many attempts the calling thread's last call made (sync calls end on their caller's thread). */
    final ThreadLocal<int[]> lastAttempts = ThreadLocal.withInitial(() -> new int[1]);
    final LongAdder completed = new LongAdder();
    final AtomicLong longestWait = new AtomicLong();
    final AtomicLong closedAt = new AtomicLong(Long.MIN_VALUE);
    volatile CircuitState circuit = CircuitState.CLOSED;

    Traffic(String name) {
        this.name = name;
    }

    @Override
    public void onAttempt(int attempt, Outcome outcome, long durationNanos) {
        if (!outcome.isRejection() && outcome != Outcome.DEADLINE_EXCEEDED) { // only attempts that loaded the upstream
            attempts.increment();
            totalAttempts.increment();
            if (attempt == 1) { // a call that reached the upstream: the base of the retry amplification
                reached.increment();
                totalReached.increment();
            }
        }
    }

    @Override
    public void onCall(Outcome outcome, boolean fallbackUsed, int attemptCount, long durationNanos) {
        calls.increment();
        totalCalls.increment();
        lastAttempts.get()[0] = attemptCount;
        if (outcome != Outcome.SUCCESS && outcome != Outcome.CALLER_FAULT) {
            failures.increment();
        }
        if (fallbackUsed) {
            fallbacks.increment();
        }
    }

    @Override
    public void onCircuitStateChange(CircuitState from, CircuitState to) {
        circuit = to;
        if (to == CircuitState.CLOSED) {
            closedAt.set(System.nanoTime());
        }
    }

    /** A request finished, as its caller saw it: from its scheduled time. */
    void finished(long waitedNanos) {
        completed.increment();
        window.add(waitedNanos);
        longestWait.accumulateAndGet(waitedNanos, Math::max);
    }
}
