package dev.levee.observation;

import dev.levee.Outcome;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link LeveeObservation#ATTEMPT} observation knows about its attempt, for a convention to name and
 * tag it. Levee fills in the outcome when the attempt is settled; before that, {@link #outcome()} is null.
 * A failed attempt's exception (an {@link dev.levee.UpstreamException} whose cause is the client's) is
 * {@link #getError()}.
 *
 * <p>Written by the thread that settles the attempt; read by handlers on the same thread.
 *
 * @since 0.2
 */
public final class AttemptObservationContext extends Observation.Context {

    private final String upstream;
    private final int attempt;
    private @Nullable Outcome outcome;

    /**
     * A context for one attempt of a call.
     *
     * @param upstream the upstream's configured name
     * @param attempt the attempt's number, from 1
     */
    public AttemptObservationContext(String upstream, int attempt) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.attempt = attempt;
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
     * The attempt's number: 1 for the first, 2 for the first retry, and so on.
     *
     * @return the attempt number
     */
    public int attempt() {
        return attempt;
    }

    /**
     * Whether this attempt is a retry.
     *
     * @return {@code true} from the second attempt on
     */
    public boolean isRetry() {
        return attempt > 1;
    }

    /**
     * How the attempt ended.
     *
     * @return the outcome, or null while the attempt is in progress
     */
    public @Nullable Outcome outcome() {
        return outcome;
    }

    /**
     * Records how the attempt ended; called by Levee before it stops the observation.
     *
     * @param outcome the attempt's outcome
     */
    public void ended(Outcome outcome) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    @Override
    public String toString() {
        return "AttemptObservationContext[upstream=" + upstream + ", attempt=" + attempt + ", outcome=" + outcome + "]";
    }
}
