package dev.levee.spi;

/**
 * Why a retry that the retry settings would have made was not made.
 *
 * @since 0.1
 */
public enum RetryRefusal {
    /** The retry budget of the upstream was spent: retries are capped at a share of calls. */
    BUDGET,
    /** The wait before the retry would have passed the call's deadline. */
    DEADLINE
}
