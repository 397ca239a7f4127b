package dev.levee.internal;

import dev.levee.CallContext;
import dev.levee.Outcome;
import dev.levee.TimeSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The state of one call as it moves through its attempts: the {@link CallContext} handed to the upstream
 * call, and the result of the attempt that just ended. Written by one thread at a time.
 *
 * <p>A synchronous call whose attempts run on the caller's thread ({@link dev.levee.TimeoutMode#COOPERATIVE})
 * borrows its thread's spare instance instead of allocating one ({@link #borrow}), and gives it back when
 * the call ends ({@link #giveBack}): the success path then allocates nothing. The context is only promised
 * for the duration of its call; a call made from inside another on the same thread finds the spare busy and
 * gets a fresh instance. Calls whose attempts run elsewhere (enforced timeouts, asynchronous calls) always
 * get a fresh instance, because an abandoned attempt may still read it after the call has ended.
 */
final class Attempt implements CallContext {

    private static final ThreadLocal<Attempt> SPARE = new ThreadLocal<>();
    private static final VarHandle NUMBER;
    private static final VarHandle STARTED_AT;
    private static final VarHandle TIMEOUT_NANOS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NUMBER = lookup.findVarHandle(Attempt.class, "number", int.class);
            STARTED_AT = lookup.findVarHandle(Attempt.class, "startedAt", long.class);
            TIMEOUT_NANOS = lookup.findVarHandle(Attempt.class, "timeoutNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private UpstreamEngine engine;
    private String upstream;
    private boolean idempotent;
    private TimeSource time;
    long deadlineNanos;
    long deadlineAt;
    /** Whether this instance is its thread's spare and lent to a call right now. */
    private boolean lent;

    // Read by whichever thread runs the attempt; written with release semantics (see begin).
    volatile int number;
    volatile long startedAt;
    volatile long timeoutNanos;

    // Result of the attempt that just ended.
    Outcome outcome = Outcome.SUCCESS;
    @Nullable Object value;
    @Nullable Throwable failure;
    boolean retryable;
    /** A deadline-clamped attempt that ran out long enough without an answer to count against the upstream. */
    boolean unanswered;
    /** A contract violation under {@link dev.levee.contract.ContractPolicy.Action#FAIL}: no fallback answers it. */
    boolean noFallback;
    /** What the attempt on the caller's thread registered to stop its work; null until it registers something. */
    private @Nullable Abandonment abandonment;
    /** The caller's context, for attempts run elsewhere ({@link dev.levee.TimeoutMode#ENFORCED}); captured at the call's start. */
    CallerContext context = CallerContext.NONE;
    /** The call's observations; null when there are none (no observation registry). */
    @Nullable CallTrace trace;

    /**
     * @param start the call's start on the time source
     * @param deadlineNanos the call's effective deadline: the spec's, clamped by a bound {@link dev.levee.Deadline}
     */
    Attempt(UpstreamEngine engine, boolean idempotent, long start, long deadlineNanos) {
        init(engine, idempotent, start, deadlineNanos);
    }

    /**
     * The calling thread's spare instance, ready for a call that runs every attempt on this thread; a fresh
     * one if the spare is lent to a call already in progress on this thread. Give it back with {@link #giveBack}.
     */
    static Attempt borrow(UpstreamEngine engine, boolean idempotent, long start, long deadlineNanos) {
        Attempt spare = SPARE.get();
        if (spare == null) {
            spare = new Attempt(engine, idempotent, start, deadlineNanos);
            SPARE.set(spare);
        } else if (spare.lent) {
            return new Attempt(engine, idempotent, start, deadlineNanos);
        } else {
            spare.init(engine, idempotent, start, deadlineNanos);
        }
        spare.lent = true;
        return spare;
    }

    /** Ends the call's use of this instance: a borrowed spare drops its references and can be lent again. */
    void giveBack() {
        if (lent) {
            value = null;
            failure = null;
            abandonment = null;
            trace = null;
            lent = false;
        }
    }

    private void init(UpstreamEngine engine, boolean idempotent, long start, long deadlineNanos) {
        this.engine = engine;
        this.upstream = engine.name;
        this.idempotent = idempotent;
        this.time = engine.time;
        this.deadlineNanos = deadlineNanos;
        this.deadlineAt = start + deadlineNanos;
        this.abandonment = null;
        this.context = CallerContext.NONE;
        this.trace = null;
    }

    void begin(int number, long startedAt, long timeoutNanos) {
        // Release stores, not volatile ones: each volatile store is a full fence on x86, three per attempt.
        // A thread handed this context (an attempt thread, a future's callback) is handed it through a
        // happens-before edge anyway; release order keeps a racing reader from seeing a half-begun attempt
        // beyond what the old volatile stores allowed.
        STARTED_AT.setRelease(this, startedAt);
        TIMEOUT_NANOS.setRelease(this, timeoutNanos);
        NUMBER.setRelease(this, number);
        this.outcome = Outcome.SUCCESS;
        this.value = null;
        this.failure = null;
        this.retryable = false;
        this.unanswered = false;
        this.noFallback = false;
    }

    void succeed(Outcome outcome, @Nullable Object value) {
        this.outcome = outcome;
        this.value = value;
    }

    void fail(Outcome outcome, Throwable failure, boolean retryable) {
        this.outcome = outcome;
        this.failure = failure;
        this.retryable = retryable;
    }

    @Override
    public String upstream() {
        return upstream;
    }

    @Override
    public int attempt() {
        return number;
    }

    @Override
    public Duration remaining() {
        return Duration.ofNanos(remainingNanos());
    }

    @Override
    public long remainingNanos() {
        return Math.max(0, startedAt + timeoutNanos - time.nanoTime());
    }

    @Override
    public boolean idempotent() {
        return idempotent;
    }

    TimeSource time() {
        return time;
    }

    /**
     * Registers an abandon action of the attempt running on the caller's thread ({@link dev.levee.TimeoutMode#COOPERATIVE}):
     * the first one arms a timer that abandons the attempt when its time is up.
     */
    @Override
    public boolean onAbandon(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        Abandonment ab = abandonment;
        if (ab != null) {
            return ab.add(action);
        }
        // Captured now, on the caller's thread: the actions run on a cleanup thread, in the caller's context.
        ab = new Abandonment(engine, engine.context.capture());
        abandonment = ab;
        boolean registered = ab.add(action);
        ab.abandonAfter(remainingNanos());
        return registered;
    }

    /** The attempt on the caller's thread has ended: its abandon actions, if any, will never run. */
    void attemptEnded() {
        Abandonment ab = abandonment;
        if (ab != null) {
            abandonment = null;
            ab.end();
        }
    }

    @Override
    public String toString() {
        return "CallContext[upstream=" + upstream + ", attempt=" + number + ", idempotent=" + idempotent + "]";
    }
}
