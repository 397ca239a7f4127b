package dev.levee;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Per-call options: whether the call is idempotent (and so may be retried) and its fallback. Immutable:
 * every {@code with...} method returns a new instance, so options can be kept in constants and shared.
 *
 * <pre>{@code
 * static final CallOptions<Price> QUOTE = CallOptions.<Price>idempotent().withFallback(e -> Price.UNKNOWN);
 * }</pre>
 *
 * @param <D> the domain type of the call
 * @since 0.1
 */
public final class CallOptions<D> {

    private static final CallOptions<?> DEFAULTS = new CallOptions<>(false, null);
    private static final CallOptions<?> IDEMPOTENT = new CallOptions<>(true, null);

    private final boolean idempotent;
    private final @Nullable Fallback<? extends D> fallback;

    private CallOptions(boolean idempotent, @Nullable Fallback<? extends D> fallback) {
        this.idempotent = idempotent;
        this.fallback = fallback;
    }

    /**
     * Options of a call that is not idempotent (never retried) and has no fallback.
     *
     * @param <D> the domain type
     * @return the shared default options
     */
    @SuppressWarnings("unchecked")
    public static <D> CallOptions<D> defaults() {
        return (CallOptions<D>) DEFAULTS;
    }

    /**
     * Options of an idempotent call (retried by the upstream's retry settings) without a fallback.
     *
     * @param <D> the domain type
     * @return the shared options
     */
    @SuppressWarnings("unchecked")
    public static <D> CallOptions<D> idempotent() {
        return (CallOptions<D>) IDEMPOTENT;
    }

    /**
     * These options with the idempotency changed.
     *
     * @param value whether the call may be made more than once
     * @return new options
     */
    public CallOptions<D> withIdempotent(boolean value) {
        return new CallOptions<>(value, fallback);
    }

    /**
     * These options with a fallback, used after failures and rejections.
     *
     * @param value the fallback
     * @return new options
     */
    public CallOptions<D> withFallback(Fallback<? extends D> value) {
        return new CallOptions<>(idempotent, Objects.requireNonNull(value, "fallback"));
    }

    /**
     * Whether the call may be retried.
     *
     * @return {@code true} if idempotent
     */
    public boolean isIdempotent() {
        return idempotent;
    }

    /**
     * The fallback.
     *
     * @return the fallback, or {@code null} if none
     */
    public @Nullable Fallback<? extends D> fallback() {
        return fallback;
    }

    @Override
    public String toString() {
        return "CallOptions[idempotent=" + idempotent + ", fallback=" + (fallback != null) + "]";
    }
}
