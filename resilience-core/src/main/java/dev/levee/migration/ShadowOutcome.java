package dev.levee.migration;

import java.util.Locale;

/**
 * What became of one chance to call the candidate in the shadow of the primary: the {@code outcome} tag of
 * {@code levee.migration.shadow.calls}. The last four are the candidate not being called: shadowing is
 * then paused, and says why.
 *
 * @since 0.3
 */
public enum ShadowOutcome {
    /** The candidate answered equivalently. */
    MATCH,
    /** The candidate answered differently; its differences are counted by kind. */
    MISMATCH,
    /** The candidate failed, timed out or was rejected by its own breaker or bulkhead. */
    CANDIDATE_FAILED,
    /** The equivalence threw. */
    COMPARISON_FAILED,
    /** Not called: the shadow budget of calls per second was spent. */
    OVER_BUDGET,
    /** Not called: the candidate's circuit is open (its health is unavailable). */
    CANDIDATE_UNAVAILABLE,
    /** Not called: as many shadow calls as the candidate's bulkhead allows are already in flight (it is slow). */
    SATURATED,
    /** Not called: Levee's threads refused the task (the registry is closing, or every thread is busy). */
    REJECTED;

    /**
     * The value of the {@code outcome} tag.
     *
     * @return the lowercase name
     */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this outcome is a shadow call skipped, which pauses shadowing.
     *
     * @return {@code true} for the outcomes where the candidate was not called
     */
    public boolean skipped() {
        return ordinal() >= OVER_BUDGET.ordinal();
    }
}
