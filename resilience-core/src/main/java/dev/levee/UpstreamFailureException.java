package dev.levee;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The upstream failed: it answered with an error, its connection broke, or its client threw. The client's
 * exception, if any, is the cause; the {@link #reason() reason} is the short classification given by the
 * adapter or the classification rules, such as {@code "http 503"}.
 *
 * @since 0.1
 */
public final class UpstreamFailureException extends UpstreamException {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int attempts;
    private final long retryAfterNanos;

    /**
     * Creates the exception.
     *
     * @param upstream the upstream's name
     * @param reason a short classification without payloads
     * @param attempts how many attempts were made
     * @param retryAfter the upstream's hint of when to try again, or {@code null}
     * @param cause the upstream client's exception, or {@code null}
     */
    public UpstreamFailureException(String upstream, String reason, int attempts, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(upstream, Outcome.FAILURE, cause, true);
        this.reason = reason;
        this.attempts = attempts;
        this.retryAfterNanos = retryAfter == null ? -1 : retryAfter.toNanos();
    }

    /**
     * The upstream's hint of when to try again (an HTTP {@code Retry-After}), for callers that pass it on.
     *
     * @return the hint, or empty if the upstream gave none
     */
    public Optional<Duration> retryAfter() {
        return retryAfterNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
    }

    /**
     * The short classification of the failure, such as {@code "http 503"} or the client exception's type.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * How many attempts were made before giving up.
     *
     * @return the number of attempts, from 1
     */
    public int attempts() {
        return attempts;
    }

    @Override
    protected String describe() {
        return "failed (" + reason + ")" + (attempts > 1 ? " after " + attempts + " attempts" : "");
    }
}
