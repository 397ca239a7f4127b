package dev.levee;

import dev.levee.spi.RetryRefusal;
import dev.levee.spi.UpstreamObserver;
import dev.levee.spi.UpstreamObserverFactory;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the observer SPI reports, per outcome, lock-free: safe to share between many calling threads.
 * The maps are filled once in the constructor and only read afterwards.
 */
final class CountingObserver implements UpstreamObserverFactory, UpstreamObserver {

    private final Map<Outcome, LongAdder> calls = new EnumMap<>(Outcome.class);
    private final Map<Outcome, LongAdder> fallbackCalls = new EnumMap<>(Outcome.class);
    private final Map<Outcome, LongAdder> attempts = new EnumMap<>(Outcome.class);
    private final Map<Outcome, LongAdder> attemptNanos = new EnumMap<>(Outcome.class);
    private final LongAdder attemptsReportedByCalls = new LongAdder();
    private final LongAdder retryRefusals = new LongAdder();
    private final LongAdder nonZeroRejectionDurations = new LongAdder();

    CountingObserver() {
        for (Outcome o : Outcome.values()) {
            calls.put(o, new LongAdder());
            fallbackCalls.put(o, new LongAdder());
            attempts.put(o, new LongAdder());
            attemptNanos.put(o, new LongAdder());
        }
    }

    @Override
    public UpstreamObserver create(Upstream upstream) {
        return this;
    }

    @Override
    public void onAttempt(int attempt, Outcome outcome, long durationNanos) {
        attempts.get(outcome).increment();
        attemptNanos.get(outcome).add(durationNanos);
        if (outcome.isRejection() && durationNanos != 0) {
            nonZeroRejectionDurations.increment();
        }
    }

    @Override
    public void onCall(Outcome outcome, boolean fallbackUsed, int attemptCount, long durationNanos) {
        calls.get(outcome).increment();
        if (fallbackUsed) {
            fallbackCalls.get(outcome).increment();
        }
        attemptsReportedByCalls.add(attemptCount);
    }

    @Override
    public void onRetryRefused(RetryRefusal reason) {
        retryRefusals.increment();
    }

    long calls(Outcome o) {
        return calls.get(o).sum();
    }

    long totalCalls() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long fallbackCalls(Outcome o) {
        return fallbackCalls.get(o).sum();
    }

    long totalFallbackCalls() {
        return fallbackCalls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long attempts(Outcome o) {
        return attempts.get(o).sum();
    }

    long totalAttempts() {
        return attempts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long attemptNanos(Outcome o) {
        return attemptNanos.get(o).sum();
    }

    long attemptsReportedByCalls() {
        return attemptsReportedByCalls.sum();
    }

    long retryRefusals() {
        return retryRefusals.sum();
    }

    long nonZeroRejectionDurations() {
        return nonZeroRejectionDurations.sum();
    }

    @Override
    public String toString() {
        return "CountingObserver[calls=" + calls + ", fallback=" + fallbackCalls + ", attempts=" + attempts + "]";
    }
}
