package dev.levee;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An attempt to call the upstream did not finish within its attempt timeout. The abandoned work has been
 * interrupted (synchronous calls) or cancelled (asynchronous calls).
 *
 * @since 0.1
 */
public final class UpstreamTimeoutException extends UpstreamException {

    private static final long serialVersionUID = 1L;

    private final long timeoutNanos;
    private final int attempt;

    /**
     * Creates the exception.
     *
     * @param upstream the upstream's name
     * @param timeout the attempt timeout that fired
     * @param attempt the number of the attempt that timed out, from 1
     * @param cause the client's own timeout exception, or {@code null} if Levee's timeout fired
     */
    public UpstreamTimeoutException(String upstream, Duration timeout, int attempt, @Nullable Throwable cause) {
        super(upstream, Outcome.TIMEOUT, cause, true);
        this.timeoutNanos = timeout.toNanos();
        this.attempt = attempt;
    }

    /**
     * The attempt timeout that fired.
     *
     * @return the timeout
     */
    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /**
     * The number of the attempt that timed out, from 1.
     *
     * @return the attempt number
     */
    public int attempt() {
        return attempt;
    }

    @Override
    protected String describe() {
        return "attempt " + attempt + " timed out after " + millis(timeoutNanos);
    }
}
