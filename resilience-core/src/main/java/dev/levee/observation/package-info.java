/**
 * Levee's Micrometer Observations: one {@code levee.call} per call, and beneath it one {@code levee.attempt}
 * per attempt that reached the upstream. Switched on by
 * {@link dev.levee.Upstreams.Builder#observationRegistry(io.micrometer.observation.ObservationRegistry)};
 * with a tracing bridge on the registry, each becomes a span, and a span the upstream's client opens while an
 * attempt runs (an HTTP client's, say) is a child of that attempt's span.
 *
 * <p>{@link dev.levee.observation.LeveeObservation} documents the names, keys and events. The names and keys
 * come from a convention: to change them, register a {@code GlobalObservationConvention} for
 * {@link dev.levee.observation.CallObservationContext} or {@link dev.levee.observation.AttemptObservationContext}
 * on the registry (for example a subclass of {@link dev.levee.observation.DefaultCallObservationConvention}
 * that also implements {@code GlobalObservationConvention}); it takes precedence over Levee's default.
 *
 * @since 0.2
 */
@NullMarked
package dev.levee.observation;

import org.jspecify.annotations.NullMarked;
