package dev.levee.migration;

/**
 * The stage of a {@link Migration}, in the order a migration normally moves through them. Any stage may be
 * set at any time; {@link Migration#moveTo} is the one control.
 *
 * @since 0.3
 */
public enum Stage {
    /** The primary answers every call; the candidate is never called. */
    OFF,
    /**
     * The primary answers every call; within the shadow budget the candidate is called too, on Levee's
     * threads and never while the caller waits, and its answer is compared with the primary's.
     */
    SHADOW,
    /**
     * The candidate answers the keys that fall within the percentage (sticky: a key always goes the same
     * way for a given percentage), falling back to the primary when it fails; the other calls are answered
     * by the primary and shadowed as in {@link #SHADOW}.
     */
    RAMP,
    /** The candidate answers every call; the primary is no longer called. */
    COMPLETE
}
