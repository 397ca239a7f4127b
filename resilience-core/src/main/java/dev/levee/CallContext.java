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
 * <p>When Levee gives up on an attempt (its timeout, the call's deadline, the caller interrupted or
 * cancelling, the registry closing), the caller is released at once, but the work goes on unless something
 * stops it. Register what stops it with {@link #onAbandon(Runnable)}:
 *
 * <pre>{@code
 * orders.call(ctx -> {
 *     try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(SQL)) {
 *         ctx.onAbandon(() -> cancel(s));                    // stops the query on the server (cancel(s) wraps
 *                                                            // Statement.cancel, whose SQLException a Runnable cannot throw)
 *         s.setQueryTimeout(ctx.remainingTimeoutSeconds());  // rounded up: 0 would mean "no timeout"
 *         return read(s.executeQuery());
 *     }
 * });
 * }</pre>
 *
 * <p>A context belongs to one attempt and is valid only while that attempt runs: Levee reuses it afterwards,
 * so do not keep it. It may be read from the thread running the attempt.
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
     * The remaining time as a timeout in whole seconds for clients that take one, such as
     * {@code java.sql.Statement#setQueryTimeout}: rounded up, and never 0, which such clients read as "no
     * timeout" (truncating 800 ms would silently remove the timeout).
     *
     * @return the remaining seconds rounded up, at least 1, at most {@link Integer#MAX_VALUE}
     * @since 0.2
     */
    default int remainingTimeoutSeconds() {
        long nanos = remainingNanos();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, nanos / 1_000_000_000L + (nanos % 1_000_000_000L == 0 ? 0 : 1)));
    }

    /**
     * The remaining time as a timeout in whole milliseconds for clients that take one, such as
     * {@code java.net.Socket#setSoTimeout}: rounded up, and never 0, which such clients read as "no timeout".
     *
     * @return the remaining milliseconds rounded up, at least 1, at most {@link Integer#MAX_VALUE}
     * @since 0.2
     */
    default int remainingTimeoutMillis() {
        long nanos = remainingNanos();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1)));
    }

    /**
     * Registers what stops this attempt's work if Levee abandons it: at its timeout or the call's deadline,
     * when the caller is interrupted or cancels an asynchronous call, or when the registry closes. Such as a
     * statement's cancel, a request's abort, or a future's cancel.
     *
     * <p>Each action runs at most once, on a Levee thread, never on the caller's time: the caller is released
     * at the timeout whatever the action does. If the attempt was already abandoned when the action is
     * registered, the action is handed to a Levee thread at once and this method returns {@code false}: the
     * call may skip work nobody waits for. If the attempt ends by itself, its actions never run. An action
     * that throws is logged and does not affect the call. With {@link TimeoutMode#COOPERATIVE}, registering
     * an action also arms a timer that runs it when the attempt's time is up, so a client that honours
     * cancellation returns on time even without a timeout of its own.
     *
     * <p>An attempt that registered an action is not interrupted by default (see {@link InterruptPolicy}).
     *
     * @param action what stops the work
     * @return {@code true} if the attempt is still running and the action is registered; {@code false} if the
     *     attempt was already abandoned (the action now runs) or has already ended (nothing is left to stop)
     * @throws NullPointerException if {@code action} is null
     * @since 0.2
     */
    boolean onAbandon(Runnable action);

    /**
     * Whether the call was declared idempotent, and so may be retried.
     *
     * @return {@code true} if the call may be made more than once
     */
    boolean idempotent();
}
