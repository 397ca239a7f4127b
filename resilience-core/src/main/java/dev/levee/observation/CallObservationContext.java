package dev.levee.observation;

import dev.levee.Outcome;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link LeveeObservation#CALL} observation knows about its call, for a convention to name and tag
 * it. Levee fills in the outcome, the attempts and the fallback when the call ends; before that,
 * {@link #outcome()} is null. The error, if the caller got one, is {@link #getError()}.
 *
 * <p>Written by the thread that ends the call; read by handlers on the same thread.
 *
 * @since 0.2
 */
public final class CallObservationContext extends Observation.Context {

    private final String upstream;
    private @Nullable Outcome outcome;
    private int attempts;
    private boolean fallbackUsed;

    /**
     * A context for a call to an upstream.
     *
     * @param upstream the upstream's configured name
     */
    public CallObservationContext(String upstream) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
    }

    /**
     * The upstream called.
     *
     * @return the upstream's configured name
     */
    public String upstream() {
        return upstream;
    }

    /**
     * How the call ended.
     *
     * @return the outcome, or null while the call is in progress
     */
    public @Nullable Outcome outcome() {
        return outcome;
    }

    /**
     * How many attempts the call made, rejected ones included.
     *
     * @return the number of attempts, 0 while the call is in progress
     */
    public int attempts() {
        return attempts;
    }

    /**
     * Whether the call's fallback supplied the answer.
     *
     * @return {@code true} if the fallback was used
     */
    public boolean fallbackUsed() {
        return fallbackUsed;
    }

    /**
     * Records how the call ended; called by Levee before it stops the observation.
     *
     * @param outcome the call's outcome
     * @param attempts how many attempts it made
     * @param fallbackUsed whether its fallback supplies the answer
     */
    public void ended(Outcome outcome, int attempts, boolean fallbackUsed) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.attempts = attempts;
        this.fallbackUsed = fallbackUsed;
    }

    @Override
    public String toString() {
        return "CallObservationContext[upstream=" + upstream + ", outcome=" + outcome + ", attempts=" + attempts
                + ", fallbackUsed=" + fallbackUsed + "]";
    }
}
