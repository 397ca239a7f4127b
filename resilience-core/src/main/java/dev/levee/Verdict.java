package dev.levee;

import dev.levee.internal.Check;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An adapter's classification of what the upstream returned or threw: go on and translate it, answer with a
 * domain value, or fail as the caller's fault or the upstream's.
 *
 * <pre>{@code
 * public Verdict<Price> classify(HttpResponse<String> r) {
 *     int s = r.statusCode();
 *     if (s == 404) return Verdict.answer(Price.NOT_LISTED);      // a domain answer; not held against pricing
 *     if (s == 429) return Verdict.failure("http 429", retryAfter(r));
 *     if (s >= 500) return Verdict.failure("http " + s);
 *     if (s >= 400) return Verdict.callerFault("http " + s);
 *     return Verdict.proceed();
 * }
 * }</pre>
 *
 * <p>Reasons appear in exception messages and logs: keep them short and free of payloads.
 *
 * @param <D> the domain type
 * @since 0.1
 */
public final class Verdict<D> {

    /** What a verdict decides. */
    public enum Kind {
        /** The response is good: check the expectations and translate it. */
        PROCEED,
        /** The upstream's answer maps to a domain value without translation; the outcome is a caller fault. */
        ANSWER,
        /** The request was at fault: fail with a {@link CallerFaultException}. */
        CALLER_FAULT,
        /** The upstream failed: fail with an {@link UpstreamFailureException}, retried if allowed. */
        FAILURE,
        /**
         * The upstream (or its client) timed out: fail with an {@link UpstreamTimeoutException}, retried if
         * allowed. @since 0.2
         */
        TIMEOUT,
        /** No opinion: let the upstream's {@link ClassificationRules} decide. Only for errors. */
        UNCLASSIFIED
    }

    private static final Verdict<?> PROCEED = new Verdict<>(Kind.PROCEED, null, "", true, 0);
    private static final Verdict<?> UNCLASSIFIED = new Verdict<>(Kind.UNCLASSIFIED, null, "", true, 0);

    private final Kind kind;
    private final @Nullable D answer;
    private final String reason;
    private final boolean retryable;
    private final long retryAfterNanos;

    private Verdict(Kind kind, @Nullable D answer, String reason, boolean retryable, long retryAfterNanos) {
        this.kind = kind;
        this.answer = answer;
        this.reason = reason;
        this.retryable = retryable;
        this.retryAfterNanos = retryAfterNanos;
    }

    /**
     * The response is good: check expectations and translate it.
     *
     * @param <D> the domain type
     * @return the shared verdict
     */
    @SuppressWarnings("unchecked")
    public static <D> Verdict<D> proceed() {
        return (Verdict<D>) PROCEED;
    }

    /**
     * No opinion on an error: let the classification rules of the upstream's spec decide.
     *
     * @param <D> the domain type
     * @return the shared verdict
     */
    @SuppressWarnings("unchecked")
    public static <D> Verdict<D> unclassified() {
        return (Verdict<D>) UNCLASSIFIED;
    }

    /**
     * The upstream's answer is a caller-level outcome with a domain meaning (an HTTP 404 meaning "no such
     * item", say): return {@code value} to the caller. Not held against the upstream, never retried.
     *
     * @param value the domain answer
     * @param <D> the domain type
     * @return the verdict
     */
    public static <D> Verdict<D> answer(D value) {
        return new Verdict<>(Kind.ANSWER, value, "answer", false, 0);
    }

    /**
     * The request was at fault (an HTTP 400, say): fail with a {@link CallerFaultException}. Not held
     * against the upstream, never retried, no fallback.
     *
     * @param reason a short classification without payloads
     * @param <D> the domain type
     * @return the verdict
     */
    public static <D> Verdict<D> callerFault(String reason) {
        return new Verdict<>(Kind.CALLER_FAULT, null, Objects.requireNonNull(reason, "reason"), false, 0);
    }

    /**
     * The upstream failed (an HTTP 503, say): counted against it, retried if the call is idempotent.
     *
     * @param reason a short classification without payloads
     * @param <D> the domain type
     * @return the verdict
     */
    public static <D> Verdict<D> failure(String reason) {
        return new Verdict<>(Kind.FAILURE, null, Objects.requireNonNull(reason, "reason"), true, 0);
    }

    /**
     * The upstream failed and said when to try again (an HTTP 429 or 503 with {@code Retry-After}). A retry
     * waits at least this long, and is not made if the wait would pass the call's deadline.
     *
     * @param reason a short classification without payloads
     * @param retryAfter the upstream's hint, zero or more
     * @param <D> the domain type
     * @return the verdict
     * @throws InvalidSpecException if {@code retryAfter} is negative
     */
    public static <D> Verdict<D> failure(String reason, Duration retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new InvalidSpecException("verdict.retryAfter", Check.format(retryAfter), "zero or more");
        }
        return new Verdict<>(Kind.FAILURE, null, Objects.requireNonNull(reason, "reason"), true, saturatedNanos(retryAfter));
    }

    /**
     * The upstream or its client timed out, by its own account: a server-side statement timeout, a query
     * cancelled on Levee's behalf (PostgreSQL's SQL state {@code 57014}), a gateway's 504. Counted as a
     * {@link Outcome#TIMEOUT} against the upstream and retried if the call is idempotent; the exception
     * reports the time the attempt really took.
     *
     * @param reason a short classification without payloads
     * @param <D> the domain type
     * @return the verdict
     * @since 0.2
     */
    public static <D> Verdict<D> timeout(String reason) {
        return new Verdict<>(Kind.TIMEOUT, null, Objects.requireNonNull(reason, "reason"), true, 0);
    }

    /**
     * The upstream failed in a way another attempt cannot fix: counted against it, never retried.
     *
     * @param reason a short classification without payloads
     * @param <D> the domain type
     * @return the verdict
     */
    public static <D> Verdict<D> permanentFailure(String reason) {
        return new Verdict<>(Kind.FAILURE, null, Objects.requireNonNull(reason, "reason"), false, 0);
    }

    /**
     * What this verdict decides.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The domain answer of an {@link Kind#ANSWER} verdict.
     *
     * @return the answer, {@code null} for other kinds
     */
    public @Nullable D answer() {
        return answer;
    }

    /**
     * The short classification given.
     *
     * @return the reason, empty for {@link Kind#PROCEED} and {@link Kind#UNCLASSIFIED}
     */
    public String reason() {
        return reason;
    }

    /**
     * Whether a failure may be retried (only if the call is idempotent too).
     *
     * @return {@code true} for failures (unless permanent) and timeouts
     */
    public boolean retryable() {
        return (kind == Kind.FAILURE || kind == Kind.TIMEOUT) && retryable;
    }

    /**
     * The upstream's hint of when to retry.
     *
     * @return the hint in nanoseconds, 0 if none
     */
    public long retryAfterNanos() {
        return retryAfterNanos;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "Verdict[" + kind + (reason.isEmpty() ? "" : ", " + reason) + "]";
    }
}
