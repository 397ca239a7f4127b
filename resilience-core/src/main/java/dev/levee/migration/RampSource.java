package dev.levee.migration;

/**
 * Where a migration reads its stage and percentage on each call, instead of holding them itself: a
 * feature-flag system, for example {@link OpenFeatureRampSource}. While a migration has a source,
 * {@link Migration#moveTo} refuses (change the flag instead); an automatic rollback still overrides the
 * source until {@link Migration#resume()}. Must be thread-safe and fast: it is read on every call.
 *
 * @since 0.3
 */
@FunctionalInterface
public interface RampSource {

    /**
     * The stage and percentage now.
     *
     * @param fallback the migration's own setting, to return when the source has none; a source that throws
     *     is logged once and this fallback used
     * @return the setting to apply
     */
    Ramp current(Ramp fallback);
}
