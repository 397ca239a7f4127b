package dev.levee;

/**
 * The health of one upstream as operators see it, derived from live state by this rule, first match wins:
 * <ol>
 * <li>{@link #UNAVAILABLE}: the circuit is open (or forced open): calls are rejected without trying.</li>
 * <li>{@link #DEGRADED}: the circuit is half-open (probing recovery); or a run of failed attempts in a row
 *     has reached half of {@link BreakerSpec#consecutiveFailures()} (at least 2); or the failure rate, or the
 *     slow-call rate, has reached the warning level, half of the breaker's threshold; or the bulkhead is saturated
 *     (every permit in use); or the retry budget is exhausted (retries are being refused).</li>
 * <li>{@link #HEALTHY}: none of the above.</li>
 * </ol>
 * Rates count only once the breaker's window holds its minimum number of calls.
 *
 * @since 0.1
 */
public enum HealthState {
    /** Calls succeed at normal rates. Exported as 2 by the {@code levee.health} gauge. */
    HEALTHY(2),
    /** Calls still flow but the upstream is struggling or probing recovery. Exported as 1. */
    DEGRADED(1),
    /** Calls are rejected without trying: the circuit is open. Exported as 0. */
    UNAVAILABLE(0);

    private final int gaugeValue;

    HealthState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /**
     * The value of the {@code levee.health} gauge for this state: 2, 1 or 0, so that lower is worse.
     *
     * @return the gauge value
     */
    public int gaugeValue() {
        return gaugeValue;
    }
}
