package dev.levee.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@link LeveeObservation#ATTEMPT} observations. Implement it (or extend
 * {@link DefaultAttemptObservationConvention}) and register it as a {@code GlobalObservationConvention} on
 * the observation registry to change them.
 *
 * @since 0.2
 */
public interface AttemptObservationConvention extends ObservationConvention<AttemptObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof AttemptObservationContext;
    }
}
