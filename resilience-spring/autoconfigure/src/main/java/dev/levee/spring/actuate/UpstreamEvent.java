package dev.levee.spring.actuate;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing that happened to an upstream, as the {@code upstreams} endpoint shows it among an upstream's recent
 * events: its circuit changed state, or its health did.
 *
 * @param time when it happened (wall clock)
 * @param type {@link Type#CIRCUIT} or {@link Type#HEALTH}
 * @param from the state before: a {@link dev.levee.CircuitState} or a {@link dev.levee.HealthState} name
 * @param to the state after
 * @param reason why, in words an operator understands
 * @since 0.1
 */
public record UpstreamEvent(Instant time, Type type, String from, String to, String reason) {

    /**
     * Checks the references.
     *
     * @throws NullPointerException if a component is null
     */
    public UpstreamEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * What changed.
     *
     * @since 0.1
     */
    public enum Type {
        /** The circuit breaker changed state. */
        CIRCUIT,
        /** The health state changed. */
        HEALTH
    }
}
