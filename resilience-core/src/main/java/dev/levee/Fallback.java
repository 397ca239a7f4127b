package dev.levee;

/**
 * Supplies the domain answer when a call failed or was rejected: a default, a cached value, a degraded
 * answer. Never used for caller faults or cancellations. Using a fallback does not turn the upstream's
 * failure into a success: the outcome stays recorded, marked as having fallen back.
 *
 * @param <D> the domain type
 * @since 0.1
 */
@FunctionalInterface
public interface Fallback<D> {

    /**
     * Produces the answer to use instead of the upstream's.
     *
     * @param failure why the call failed; {@link UpstreamException#outcome()} tells which way
     * @return the fallback answer
     * @throws RuntimeException to fail the call after all; it propagates to the caller as thrown
     */
    D recover(UpstreamException failure);
}
