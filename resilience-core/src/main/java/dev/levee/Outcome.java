package dev.levee;

import java.util.Locale;

/**
 * What happened to one attempt or one call: the single source of truth for circuit breaker accounting,
 * retry decisions, fallbacks and metric tags.
 *
 * <table>
 * <caption>How each outcome is treated</caption>
 * <tr><th>outcome</th><th>counts against the upstream</th><th>retried (idempotent calls)</th><th>fallback used</th></tr>
 * <tr><td>{@link #SUCCESS}</td><td>no (a success)</td><td>no</td><td>no</td></tr>
 * <tr><td>{@link #CALLER_FAULT}</td><td>no (a success: the upstream answered)</td><td>no</td><td>no</td></tr>
 * <tr><td>{@link #FAILURE}</td><td>yes</td><td>yes, unless classified as not retryable</td><td>yes</td></tr>
 * <tr><td>{@link #TIMEOUT}</td><td>yes</td><td>yes</td><td>yes</td></tr>
 * <tr><td>{@link #CONTRACT_VIOLATION}</td><td>yes</td><td>no</td><td>yes</td></tr>
 * <tr><td>{@link #CIRCUIT_OPEN}</td><td>not recorded</td><td>no</td><td>yes</td></tr>
 * <tr><td>{@link #BULKHEAD_FULL}</td><td>not recorded</td><td>no</td><td>yes</td></tr>
 * <tr><td>{@link #DEADLINE_EXCEEDED}</td><td>not recorded</td><td>no</td><td>yes</td></tr>
 * <tr><td>{@link #CANCELLED}</td><td>not recorded</td><td>no</td><td>no</td></tr>
 * <tr><td>{@link #CLOSED}</td><td>not recorded</td><td>no</td><td>no</td></tr>
 * </table>
 *
 * @since 0.1
 */
public enum Outcome {
    /** The upstream answered and the answer was translated. */
    SUCCESS(false, false, false),
    /**
     * The upstream answered that the request was at fault (an HTTP 400 or 404, say). Not held against the
     * upstream; the adapter may map it to a domain answer.
     */
    CALLER_FAULT(false, false, false),
    /** The upstream failed: an error response, a broken connection, an exception from its client. */
    FAILURE(true, true, true),
    /** The attempt did not finish within its attempt timeout. */
    TIMEOUT(true, true, true),
    /** The upstream answered, but the answer broke one of the consumer's expectations of it. */
    CONTRACT_VIOLATION(true, false, true),
    /** Rejected without calling the upstream because its circuit is open. */
    CIRCUIT_OPEN(false, false, true),
    /** Rejected without calling the upstream because its bulkhead was full. */
    BULKHEAD_FULL(false, false, true),
    /**
     * The call's deadline ran out: an attempt that the deadline had clamped below its own timeout did not
     * finish in time, a retry that was due could not be made within what was left of the deadline (its
     * wait would pass it), or a bound {@link Deadline} had passed before the call started.
     */
    DEADLINE_EXCEEDED(false, false, true),
    /**
     * The caller cancelled the call or was interrupted while waiting for it, or the registry closed while an
     * attempt was in flight.
     */
    CANCELLED(false, false, false),
    /**
     * Rejected without calling the upstream because its {@link Upstreams} registry was closed (the
     * application is shutting down). @since 0.2
     */
    CLOSED(false, false, false);

    private final boolean upstreamFault;
    private final boolean retryable;
    private final boolean fallbackEligible;
    private final String tag;

    Outcome(boolean upstreamFault, boolean retryable, boolean fallbackEligible) {
        this.upstreamFault = upstreamFault;
        this.retryable = retryable;
        this.fallbackEligible = fallbackEligible;
        this.tag = name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this outcome counts as a failure of the upstream for its circuit breaker and health.
     *
     * @return {@code true} for failures, timeouts and contract violations
     */
    public boolean isUpstreamFault() {
        return upstreamFault;
    }

    /**
     * Whether an idempotent call may be retried after this outcome.
     *
     * @return {@code true} for failures and timeouts
     */
    public boolean isRetryable() {
        return retryable;
    }

    /**
     * Whether a configured fallback is used after this outcome; never for caller faults or cancellations.
     *
     * @return {@code true} if a fallback applies
     */
    public boolean isFallbackEligible() {
        return fallbackEligible;
    }

    /**
     * Whether the call was refused without reaching the upstream.
     *
     * @return {@code true} for {@link #CIRCUIT_OPEN}, {@link #BULKHEAD_FULL} and {@link #CLOSED}
     */
    public boolean isRejection() {
        return this == CIRCUIT_OPEN || this == BULKHEAD_FULL || this == CLOSED;
    }

    /**
     * The lowercase name used as a metric tag value and in logs, such as {@code circuit_open}.
     *
     * @return the tag value, never null
     */
    public String tag() {
        return tag;
    }
}
