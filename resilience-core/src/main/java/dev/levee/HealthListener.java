package dev.levee;

/**
 * Told when an upstream's {@link HealthState} changes: once per change, never per call. Called on the
 * thread that noticed the change (a call's thread, or Levee's scheduler); must be quick and must not throw.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface HealthListener {

    /**
     * An upstream's health state changed.
     *
     * @param previous the snapshot before the change
     * @param current the snapshot after it
     */
    void onHealthChange(UpstreamHealth previous, UpstreamHealth current);
}
