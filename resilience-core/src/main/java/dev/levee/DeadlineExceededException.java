package dev.levee;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The call's total deadline (all attempts and the waits between them) ran out: an attempt clamped by the
 * deadline did not finish in time, a due retry's wait would have passed the deadline, or a bound
 * {@link Deadline} had passed before the call started. The cause, if present, is the last attempt's
 * failure: the client's own exception, or the Levee exception of an attempt that could not be retried
 * (an {@link UpstreamFailureException} with the upstream's retry-after hint, say).
 *
 * @since 0.1
 */
public final class DeadlineExceededException extends UpstreamException {

    private static final long serialVersionUID = 1L;

    private final long deadlineNanos;
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param upstream the upstream's name
     * @param deadline the total time the call was allowed
     * @param attempts how many attempts were started
     * @param lastFailure the last attempt's failure, or {@code null}
     */
    public DeadlineExceededException(String upstream, Duration deadline, int attempts, @Nullable Throwable lastFailure) {
        super(upstream, Outcome.DEADLINE_EXCEEDED, lastFailure, true);
        this.deadlineNanos = deadline.toNanos();
        this.attempts = attempts;
    }

    /**
     * The total time the call was allowed.
     *
     * @return the deadline
     */
    public Duration deadline() {
        return Duration.ofNanos(deadlineNanos);
    }

    /**
     * How many attempts were started before the deadline ran out.
     *
     * @return the number of attempts
     */
    public int attempts() {
        return attempts;
    }

    @Override
    protected String describe() {
        return "deadline of " + millis(deadlineNanos) + " exceeded after " + attempts + (attempts == 1 ? " attempt" : " attempts");
    }
}
