package dev.levee.internal;

import dev.levee.CallContext;
import dev.levee.Outcome;
import dev.levee.TimeSource;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The state of one call as it moves through its attempts: the {@link CallContext} handed to the upstream
 * call, and the result of the attempt that just ended. Written by one thread at a time.
 */
final class Attempt implements CallContext {

    private final String upstream;
    private final boolean idempotent;
    private final TimeSource time;
    final long deadlineNanos;
    final long deadlineAt;

    volatile int number;
    volatile long startedAt;
    volatile long timeoutNanos;

    // Result of the attempt that just ended.
    Outcome outcome = Outcome.SUCCESS;
    @Nullable Object value;
    @Nullable Throwable failure;
    boolean retryable;
    Retry.@Nullable AsyncContext<Object> retryContext;

    /**
     * @param start the call's start on the time source
     * @param deadlineNanos the call's effective deadline: the spec's, clamped by a bound {@link dev.levee.Deadline}
     */
    Attempt(String upstream, boolean idempotent, TimeSource time, long start, long deadlineNanos) {
        this.upstream = upstream;
        this.idempotent = idempotent;
        this.time = time;
        this.deadlineNanos = deadlineNanos;
        this.deadlineAt = start + deadlineNanos;
    }

    void begin(int number, long startedAt, long timeoutNanos) {
        this.number = number;
        this.startedAt = startedAt;
        this.timeoutNanos = timeoutNanos;
        this.outcome = Outcome.SUCCESS;
        this.value = null;
        this.failure = null;
        this.retryable = false;
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

    @Override
    public String toString() {
        return "CallContext[upstream=" + upstream + ", attempt=" + number + ", idempotent=" + idempotent + "]";
    }
}
