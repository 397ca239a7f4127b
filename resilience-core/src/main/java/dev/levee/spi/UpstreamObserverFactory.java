package dev.levee.spi;

import dev.levee.Upstream;

/**
 * Creates the observer of each upstream when it is registered, so an observer can prepare everything it
 * needs per upstream (its meters, say) once instead of on every call.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface UpstreamObserverFactory {

    /**
     * Creates the observer of a newly registered upstream.
     *
     * @param upstream the upstream; its state may be read at any later time (for gauges)
     * @return the observer, or {@link UpstreamObserver#NOOP}
     */
    UpstreamObserver create(Upstream upstream);
}
