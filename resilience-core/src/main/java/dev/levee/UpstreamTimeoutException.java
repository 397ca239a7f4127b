package dev.levee;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An attempt to call the upstream did not finish in time: Levee's attempt timeout fired, or the upstream or
 * its client reported a timeout of its own (then {@link #timeout()} is the time the attempt really took).
 * Levee gave up on the abandoned work and ran what the call registered to stop it
 * ({@link CallContext#onAbandon}).
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
     * @param timeout the attempt timeout that fired, or how long the attempt took before its client timed out
     * @param attempt the number of the attempt that timed out, from 1
     * @param cause the client's own timeout exception, or {@code null} if Levee's timeout fired
     */
    public UpstreamTimeoutException(String upstream, Duration timeout, int attempt, @Nullable Throwable cause) {
        super(upstream, Outcome.TIMEOUT, cause, true);
        this.timeoutNanos = timeout.toNanos();
        this.attempt = attempt;
    }

    /**
     * The attempt timeout that fired, or how long the attempt took when the client's own timeout fired first.
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
