package dev.levee;

import java.time.Duration;

/**
 * What an upstream call knows about the attempt it is making: hand {@link #remaining()} to the upstream
 * client so it can set its own request timeout, and Levee's timeout and the client's agree.
 *
 * <pre>{@code
 * pricing.call(ctx -> client.send(request.timeout(ctx.remaining()).build(), ofString()), PriceAdapter.INSTANCE);
 * }</pre>
 *
 * <p>A context belongs to one call and is valid only while that call runs: Levee reuses it afterwards, so
 * do not keep it. It may be read from the thread running the attempt.
 *
 * @since 0.1
 */
public interface CallContext {

    /**
     * The name of the upstream being called.
     *
     * @return the upstream's configured name
     */
    String upstream();

    /**
     * The number of this attempt: 1 for the first, 2 for the first retry, and so on.
     *
     * @return the attempt number
     */
    int attempt();

    /**
     * The time this attempt may still take: the attempt timeout, clamped by what is left of the call's
     * deadline, minus what has elapsed since the attempt started.
     *
     * @return the remaining time, never negative
     */
    Duration remaining();

    /**
     * The same as {@link #remaining()} in nanoseconds, without allocating.
     *
     * @return the remaining nanoseconds, never negative
     */
    long remainingNanos();

    /**
     * Whether the call was declared idempotent, and so may be retried.
     *
     * @return {@code true} if the call may be made more than once
     */
    boolean idempotent();
}
