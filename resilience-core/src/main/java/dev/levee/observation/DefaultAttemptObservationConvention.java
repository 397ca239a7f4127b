package dev.levee.observation;

import dev.levee.metrics.LeveeMeters;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * Levee's names and keys for {@link LeveeObservation#ATTEMPT}: the name {@code levee.attempt}, the contextual
 * (span) name {@code attempt <upstream>}, and the keys listed in {@link LeveeObservation.Keys} that
 * {@link LeveeObservation#ATTEMPT} lists. Extend it to add or change a key. Thread-safe.
 *
 * @since 0.2
 */
public class DefaultAttemptObservationConvention implements AttemptObservationConvention {

    /** The observation's name. */
    public static final String NAME = "levee.attempt";

    /** Creates the default convention. */
    public DefaultAttemptObservationConvention() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public @Nullable String getContextualName(AttemptObservationContext context) {
        return "attempt " + context.upstream();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(AttemptObservationContext context) {
        return KeyValues.of(
                LeveeObservation.Keys.UPSTREAM.withValue(context.upstream()),
                LeveeObservation.Keys.OUTCOME.withValue(ErrorTypes.outcome(context.outcome())),
                LeveeObservation.Keys.KIND.withValue(context.isRetry() ? LeveeMeters.KIND_RETRY : LeveeMeters.KIND_FIRST),
                LeveeObservation.Keys.ERROR_TYPE.withValue(ErrorTypes.of(context.outcome(), context.getError())));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(AttemptObservationContext context) {
        return context.isRetry()
                ? KeyValues.of(LeveeObservation.Keys.RESEND_COUNT.withValue(Integer.toString(context.attempt() - 1)))
                : KeyValues.empty();
    }
}
