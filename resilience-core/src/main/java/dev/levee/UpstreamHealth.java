package dev.levee;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of one upstream's health, for health checks, endpoints and listeners. Immutable.
 *
 * @param upstream the upstream's name
 * @param owner the team that owns it
 * @param criticality how much the application depends on it
 * @param state the health state, by the rule documented on {@link HealthState}
 * @param since when the upstream entered this state (wall clock of its {@link TimeSource})
 * @param reason why the upstream is in this state, in words an operator understands; "healthy" when healthy
 * @param circuitState the circuit breaker's state
 * @param failureRate the failure rate over the breaker's window in percent, or -1 before the window holds
 *     its minimum number of calls
 * @param slowCallRate the slow-call rate in percent, or -1 likewise
 * @param callsInWindow how many calls the breaker's window holds
 * @param inFlight how many attempts hold a bulkhead permit
 * @param maxConcurrentCalls the bulkhead's limit
 * @since 0.1
 */
public record UpstreamHealth(String upstream, String owner, Criticality criticality, HealthState state, Instant since,
        String reason, CircuitState circuitState, float failureRate, float slowCallRate, int callsInWindow,
        int inFlight, int maxConcurrentCalls) {

    /**
     * Checks the snapshot's references.
     *
     * @throws NullPointerException if a reference component is null
     */
    public UpstreamHealth {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(criticality, "criticality");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(circuitState, "circuitState");
    }

    /**
     * Whether this upstream's state should make the application unready: only a critical upstream that is
     * unavailable does. An optional upstream never does, whatever its state.
     *
     * @return {@code true} if the upstream is critical and unavailable
     */
    public boolean blocksReadiness() {
        return criticality == Criticality.CRITICAL && state == HealthState.UNAVAILABLE;
    }
}
