package dev.levee;

/**
 * The state of an upstream's circuit breaker.
 *
 * @since 0.1
 */
public enum CircuitState {
    /** Calls flow to the upstream and their outcomes are recorded. */
    CLOSED,
    /** Calls are rejected without touching the upstream until the wait in the open state has passed. */
    OPEN,
    /** A limited number of probe calls are let through to decide whether to close or open again. */
    HALF_OPEN,
    /** Opened by an operator: every call is rejected until the circuit is closed or reset by hand. */
    FORCED_OPEN,
    /** Switched off by an operator: every call flows and nothing is recorded. */
    DISABLED
}
