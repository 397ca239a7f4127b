package dev.levee;

/**
 * How much the application depends on an upstream; decides what its unavailability means for the
 * application's own health.
 *
 * @since 0.1
 */
public enum Criticality {
    /** The application cannot serve its purpose without this upstream: its unavailability makes the application unready. */
    CRITICAL,
    /** Losing this upstream degrades a feature only: its state is reported but never takes the application out of rotation. */
    OPTIONAL
}
