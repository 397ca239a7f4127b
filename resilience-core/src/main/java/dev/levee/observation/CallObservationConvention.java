package dev.levee.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@link LeveeObservation#CALL} observations. Implement it (or extend
 * {@link DefaultCallObservationConvention}) and register it as a {@code GlobalObservationConvention} on the
 * observation registry to change them.
 *
 * @since 0.2
 */
public interface CallObservationConvention extends ObservationConvention<CallObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof CallObservationContext;
    }
}
