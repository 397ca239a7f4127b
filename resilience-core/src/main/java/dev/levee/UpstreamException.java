package dev.levee;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one exception family that business code catches around upstream calls: every failure of a call made
 * through Levee surfaces as a subclass of this unchecked exception, carrying the upstream's name and the
 * {@link Outcome}. The upstream client's own exception, if any, is only the {@link #getCause() cause}, so
 * business code never depends on a client's exception types.
 *
 * <p>The family is closed ({@code sealed}): these six kinds are every way a call can fail, so a handler that
 * covers them covers everything, and on JDK 21+ a {@code switch} over them needs no {@code default}. A new kind
 * would be a breaking change, made only in a major release. Each kind is {@code final}.
 *
 * <p>Messages name the upstream and what fired (the timeout, the state, the expectation); they never
 * contain request or response payloads. Messages are built lazily, so creating an exception formats no
 * string.
 *
 * <pre>{@code
 * try {
 *     return pricing.call(ctx -> client.quote(sku), PriceAdapter.INSTANCE);
 * } catch (UpstreamRejectedException e) {
 *     return Price.unavailable(); // circuit open or bulkhead full: answered at once
 * } catch (UpstreamException e) {
 *     log.warn("pricing failed: {}", e.getMessage());
 *     throw e;
 * }
 * }</pre>
 *
 * @since 0.1
 */
public abstract sealed class UpstreamException extends RuntimeException
        permits UpstreamTimeoutException, UpstreamRejectedException, DeadlineExceededException, UpstreamFailureException,
        ContractViolationException, CallerFaultException {

    private static final long serialVersionUID = 1L;

    private final String upstream;
    private final Outcome outcome;
    private transient volatile @Nullable String message;

    /**
     * Creates an exception of this family (only its six kinds can: the family is sealed).
     *
     * @param upstream the upstream's configured name
     * @param outcome the outcome this exception reports
     * @param cause the upstream client's exception, or {@code null}
     * @param writableStackTrace whether to fill in a stack trace; rejections skip it to stay cheap
     */
    UpstreamException(String upstream, Outcome outcome, @Nullable Throwable cause, boolean writableStackTrace) {
        super(null, cause, false, writableStackTrace);
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * The name of the upstream the call was made to.
     *
     * @return the upstream's configured name
     */
    public final String upstream() {
        return upstream;
    }

    /**
     * What happened to the call.
     *
     * @return the outcome, never {@link Outcome#SUCCESS}
     */
    public final Outcome outcome() {
        return outcome;
    }

    /**
     * Describes what fired, after the upstream's name: for example {@code "attempt timed out after 300 ms"}.
     *
     * @return a short description without payloads
     */
    protected abstract String describe();

    @Override
    public final String getMessage() {
        String m = message;
        if (m == null) {
            m = "upstream '" + upstream + "': " + describe();
            message = m;
        }
        return m;
    }

    static String millis(long nanos) {
        long micros = nanos / 1_000;
        if (micros % 1_000 == 0) {
            return (micros / 1_000) + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.3f ms", micros / 1_000.0);
    }
}
