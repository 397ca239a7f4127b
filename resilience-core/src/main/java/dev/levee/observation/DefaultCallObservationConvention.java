package dev.levee.observation;

import dev.levee.Outcome;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * Levee's names and keys for {@link LeveeObservation#CALL}: the name {@code levee.call}, the contextual
 * (span) name {@code call <upstream>}, and the keys listed in {@link LeveeObservation.Keys} that
 * {@link LeveeObservation#CALL} lists. Extend it to add or change a key. Thread-safe.
 *
 * @since 0.2
 */
public class DefaultCallObservationConvention implements CallObservationConvention {

    /** The observation's name. */
    public static final String NAME = "levee.call";

    /** Creates the default convention. */
    public DefaultCallObservationConvention() {
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public @Nullable String getContextualName(CallObservationContext context) {
        return "call " + context.upstream();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(CallObservationContext context) {
        Outcome outcome = context.outcome();
        return KeyValues.of(
                LeveeObservation.Keys.UPSTREAM.withValue(context.upstream()),
                LeveeObservation.Keys.OUTCOME.withValue(ErrorTypes.outcome(outcome)),
                LeveeObservation.Keys.FALLBACK.withValue(context.fallbackUsed() ? "true" : "false"),
                LeveeObservation.Keys.ERROR_TYPE.withValue(ErrorTypes.of(outcome, context.getError())));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(CallObservationContext context) {
        return context.attempts() == 0 ? KeyValues.empty()
                : KeyValues.of(LeveeObservation.Keys.ATTEMPTS.withValue(Integer.toString(context.attempts())));
    }
}
