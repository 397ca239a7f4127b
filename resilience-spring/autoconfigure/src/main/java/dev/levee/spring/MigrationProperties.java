package dev.levee.spring;

import dev.levee.migration.Stage;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one provider migration, under {@code levee.migrations.<name>}. The migration itself (each
 * provider's call and adapter, the key, the equivalence) is code, created with {@link LeveeMigrations#migrate};
 * these settings override what the code sets, and every one left out keeps the code's value (or Levee's
 * default, documented on {@link dev.levee.migration.MigrationSpec}). Validated at startup: a bad value, an
 * unknown upstream, or a migration configured here that the application never creates fails the startup.
 *
 * <pre>
 * levee:
 *   migrations:
 *     recommendations:
 *       primary: recommendations
 *       candidate: recommendations-v2
 *       stage: ramp
 *       percentage: 10
 *       shadow-calls-per-second: 20
 *       rollback:
 *         mismatch-rate: 5
 *         window: 100
 *       samples: 5
 * </pre>
 *
 * <p>The stage applies at startup; the {@code upstreams} endpoint can change it while the application runs
 * (not persisted).
 *
 * @since 0.3
 */
public class MigrationProperties {

    /** Name of the registered upstream of the provider that answers until the candidate takes over. */
    private @Nullable String primary;

    /** Name of the registered upstream of the provider being migrated to; not the primary's. */
    private @Nullable String candidate;

    /**
     * Stage at startup: off (the primary answers), shadow (the candidate is also called on Levee's threads
     * and compared), ramp (the candidate answers a sticky percentage of keys), complete (the candidate answers
     * everything). Defaults to off.
     */
    private @Nullable Stage stage;

    /** Candidate's share of keys in the ramp stage, 0-100 (two decimals count). Defaults to 0. */
    private @Nullable Double percentage;

    /** Most shadow calls started per second, 0-10000 (0: none). Defaults to 50. */
    private @Nullable Integer shadowCallsPerSecond;

    /** Largest number of differences kept with redacted values for the endpoint, 0-100. Defaults to 0: values are never shown, only hashes. */
    private @Nullable Integer samples;

    private final Rollback rollback = new Rollback();

    public @Nullable String getPrimary() {
        return primary;
    }

    public void setPrimary(@Nullable String primary) {
        this.primary = primary;
    }

    public @Nullable String getCandidate() {
        return candidate;
    }

    public void setCandidate(@Nullable String candidate) {
        this.candidate = candidate;
    }

    public @Nullable Stage getStage() {
        return stage;
    }

    public void setStage(@Nullable Stage stage) {
        this.stage = stage;
    }

    public @Nullable Double getPercentage() {
        return percentage;
    }

    public void setPercentage(@Nullable Double percentage) {
        this.percentage = percentage;
    }

    public @Nullable Integer getShadowCallsPerSecond() {
        return shadowCallsPerSecond;
    }

    public void setShadowCallsPerSecond(@Nullable Integer shadowCallsPerSecond) {
        this.shadowCallsPerSecond = shadowCallsPerSecond;
    }

    public @Nullable Integer getSamples() {
        return samples;
    }

    public void setSamples(@Nullable Integer samples) {
        this.samples = samples;
    }

    public Rollback getRollback() {
        return rollback;
    }

    /** When the ramp and complete stages return to the primary by themselves (once; resuming is explicit). */
    public static class Rollback {

        /** Whether an unavailable candidate (its circuit open) rolls the migration back. Defaults to true. */
        private @Nullable Boolean onCandidateUnavailable;

        /** Mismatch rate in percent, above 0 up to 100 (100: never), that rolls the migration back. Defaults to 5. */
        private @Nullable Double mismatchRate;

        /** How many of the latest comparisons the mismatch rate is taken over, 10-100000. Defaults to 100. */
        private @Nullable Integer window;

        public @Nullable Boolean getOnCandidateUnavailable() {
            return onCandidateUnavailable;
        }

        public void setOnCandidateUnavailable(@Nullable Boolean onCandidateUnavailable) {
            this.onCandidateUnavailable = onCandidateUnavailable;
        }

        public @Nullable Double getMismatchRate() {
            return mismatchRate;
        }

        public void setMismatchRate(@Nullable Double mismatchRate) {
            this.mismatchRate = mismatchRate;
        }

        public @Nullable Integer getWindow() {
            return window;
        }

        public void setWindow(@Nullable Integer window) {
            this.window = window;
        }
    }
}
