/**
 * Levee's public API: register upstreams from immutable {@link dev.levee.UpstreamSpec specs} in an
 * {@link dev.levee.Upstreams} registry and route every call to them through an {@link dev.levee.Upstream}.
 *
 * <p>Everything in this package is covered by semantic versioning: minor releases never break it.
 * Types in {@code dev.levee.internal} carry no compatibility promise.
 *
 * @since 0.1
 */
@NullMarked
package dev.levee;

import org.jspecify.annotations.NullMarked;
