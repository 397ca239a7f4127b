package dev.levee.internal;

import dev.levee.CallContext;
import io.micrometer.observation.Observation;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The context of one attempt that runs away from the caller (an attempt thread, or an asynchronous call):
 * its number and time are fixed when it starts, and its abandon actions are its own, so an abandoned attempt
 * that registers an action late never attaches it to the retry that followed.
 */
final class AttemptView implements CallContext {

    private final Attempt call;
    private final int number;
    private final long endsAt;
    final Abandonment abandonment;
    /** The caller's context, restored wherever the attempt and its abandon actions run. */
    final CallerContext context;
    /** The attempt's observation, current while its upstream call runs; null without observations. */
    final @Nullable Observation observation;

    AttemptView(Attempt call, UpstreamEngine engine, CallerContext context, @Nullable Observation observation) {
        this.call = call;
        this.number = call.number;
        this.endsAt = call.startedAt + call.timeoutNanos;
        this.context = context;
        this.observation = observation;
        this.abandonment = new Abandonment(engine, context);
    }

    @Override
    public String upstream() {
        return call.upstream();
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
        return Math.max(0, endsAt - call.time().nanoTime());
    }

    @Override
    public boolean idempotent() {
        return call.idempotent();
    }

    @Override
    public boolean onAbandon(Runnable action) {
        return abandonment.add(action);
    }

    @Override
    public String toString() {
        return "CallContext[upstream=" + call.upstream() + ", attempt=" + number + ", idempotent=" + call.idempotent() + "]";
    }
}
