package dev.levee.spi;

import dev.levee.CircuitState;
import dev.levee.Outcome;

/**
 * Receives what happens to one upstream's calls: the one seam through which metrics, health and logging
 * learn about the call path. Each method is called on the thread that completed the step, so
 * implementations must be thread-safe, fast, allocation-free on the success path, and must not throw.
 *
 * <p>Durations come from the same clock readings that feed the circuit breaker: one pair per attempt.
 *
 * @since 0.1
 */
public interface UpstreamObserver {

    /** An observer that ignores everything. */
    UpstreamObserver NOOP = new UpstreamObserver() { };

    /**
     * One attempt ended. Rejected attempts ({@link Outcome#isRejection()}) never reached the upstream and
     * report a duration of 0.
     *
     * @param attempt the attempt's number, from 1; above 1 it is a retry
     * @param outcome what happened
     * @param durationNanos how long the upstream took
     */
    default void onAttempt(int attempt, Outcome outcome, long durationNanos) {
    }

    /**
     * One call ended, after all its attempts and waits, before its fallback ran.
     *
     * @param outcome the last attempt's outcome, or {@link Outcome#DEADLINE_EXCEEDED}
     * @param fallbackUsed whether a fallback supplied the answer
     * @param attempts how many attempts were made, rejected ones included
     * @param durationNanos from the call's start to its last attempt's end
     */
    default void onCall(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) {
    }

    /**
     * A retry was due but not made.
     *
     * @param reason why not
     */
    default void onRetryRefused(RetryRefusal reason) {
    }

    /**
     * A response broke a named expectation, or could not be translated.
     *
     * @param expectation the expectation's name
     */
    default void onContractViolation(String expectation) {
    }

    /**
     * The circuit breaker changed state.
     *
     * @param from the previous state
     * @param to the new state
     */
    default void onCircuitStateChange(CircuitState from, CircuitState to) {
    }
}
