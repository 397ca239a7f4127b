package dev.levee.migration;

import dev.levee.Adapter;
import dev.levee.InvalidSpecException;
import dev.levee.internal.Check;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The immutable definition of a {@link Migration}: its two providers, how a request's sticky key is
 * derived, how answers are compared, the initial stage, the shadow budget and the rollback rules.
 *
 * <table>
 * <caption>Defaults</caption>
 * <tr><th>setting</th><th>default</th></tr>
 * <tr><td>stage, percentage</td><td>OFF, 0</td></tr>
 * <tr><td>key</td><td>{@code String.valueOf(request)}</td></tr>
 * <tr><td>equivalence</td><td>{@link Equivalence#equality()}</td></tr>
 * <tr><td>shadow calls per second</td><td>50</td></tr>
 * <tr><td>rollback when the candidate is unavailable</td><td>on</td></tr>
 * <tr><td>rollback mismatch rate</td><td>5 % over the last 100 comparisons</td></tr>
 * <tr><td>samples</td><td>0: no value shown, only hashes</td></tr>
 * </table>
 *
 * @param <Q> the request type
 * @param <R> the domain answer type
 * @since 0.3
 */
public final class MigrationSpec<Q, R> {

    private final String name;
    private final Provider<Q, R> primary;
    private final Provider<Q, R> candidate;
    private final Function<? super Q, String> key;
    private final Equivalence<? super R> equivalence;
    private final Ramp ramp;
    private final @Nullable RampSource rampSource;
    private final boolean idempotent;
    private final int shadowCallsPerSecond;
    private final boolean rollbackOnCandidateUnavailable;
    private final double rollbackMismatchRate;
    private final int mismatchWindow;
    private final int samples;
    private final Redactor redactor;

    private MigrationSpec(Builder<Q, R> b) {
        this.name = b.name;
        this.primary = Objects.requireNonNull(b.primary, "primary");
        this.candidate = Objects.requireNonNull(b.candidate, "candidate");
        this.key = b.key;
        this.equivalence = b.equivalence;
        this.ramp = new Ramp(b.stage, b.percentage);
        this.rampSource = b.rampSource;
        this.idempotent = b.idempotent;
        this.shadowCallsPerSecond = b.shadowCallsPerSecond;
        this.rollbackOnCandidateUnavailable = b.rollbackOnCandidateUnavailable;
        this.rollbackMismatchRate = b.rollbackMismatchRate;
        this.mismatchWindow = b.mismatchWindow;
        this.samples = b.samples;
        this.redactor = b.redactor;
    }

    /**
     * A builder of a migration spec.
     *
     * @param name the migration's name: 1 to 64 characters of lowercase letters, digits, {@code - _ .}; a
     *     metric tag value, so it comes from configuration
     * @param <Q> the request type
     * @param <R> the domain answer type
     * @return a new builder
     * @throws InvalidSpecException if the name is not allowed
     */
    public static <Q, R> Builder<Q, R> named(String name) {
        return new Builder<>(Check.name(name));
    }

    /**
     * A builder starting from this spec.
     *
     * @return a new builder
     */
    public Builder<Q, R> toBuilder() {
        Builder<Q, R> b = new Builder<>(name);
        b.primary = primary;
        b.candidate = candidate;
        b.key = key;
        b.equivalence = equivalence;
        b.stage = ramp.stage();
        b.percentage = ramp.percentage();
        b.rampSource = rampSource;
        b.idempotent = idempotent;
        b.shadowCallsPerSecond = shadowCallsPerSecond;
        b.rollbackOnCandidateUnavailable = rollbackOnCandidateUnavailable;
        b.rollbackMismatchRate = rollbackMismatchRate;
        b.mismatchWindow = mismatchWindow;
        b.samples = samples;
        b.redactor = redactor;
        return b;
    }

    /** @return the migration's name */
    public String name() {
        return name;
    }

    /** @return the provider that answers until the candidate takes over */
    public Provider<Q, R> primary() {
        return primary;
    }

    /** @return the provider being migrated to */
    public Provider<Q, R> candidate() {
        return candidate;
    }

    /** @return how a request's sticky key is derived */
    public Function<? super Q, String> key() {
        return key;
    }

    /** @return how answers are compared */
    public Equivalence<? super R> equivalence() {
        return equivalence;
    }

    /** @return the initial stage and percentage */
    public Ramp ramp() {
        return ramp;
    }

    /** @return where the stage is read on each call, or null when the migration holds it */
    public @Nullable RampSource rampSource() {
        return rampSource;
    }

    /** @return whether the serving calls (never the shadow calls) may be retried */
    public boolean idempotent() {
        return idempotent;
    }

    /** @return the most shadow calls started per second */
    public int shadowCallsPerSecond() {
        return shadowCallsPerSecond;
    }

    /** @return whether an unavailable candidate rolls RAMP and COMPLETE back */
    public boolean rollbackOnCandidateUnavailable() {
        return rollbackOnCandidateUnavailable;
    }

    /** @return the mismatch rate in percent that rolls RAMP and COMPLETE back; 100 never does */
    public double rollbackMismatchRate() {
        return rollbackMismatchRate;
    }

    /** @return how many of the latest comparisons the mismatch rate is taken over */
    public int mismatchWindow() {
        return mismatchWindow;
    }

    /** @return how many redacted differences the report keeps; 0 keeps none */
    public int samples() {
        return samples;
    }

    /** @return how sampled values are redacted */
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public String toString() {
        return "MigrationSpec[" + name + ": " + primary.upstream() + " -> " + candidate.upstream() + ", " + ramp
                + ", shadowCallsPerSecond=" + shadowCallsPerSecond + ", rollbackMismatchRate=" + rollbackMismatchRate
                + "% over " + mismatchWindow + ", samples=" + samples + "]";
    }

    /**
     * Builds a {@link MigrationSpec}. Not thread-safe.
     *
     * @param <Q> the request type
     * @param <R> the domain answer type
     * @since 0.3
     */
    public static final class Builder<Q, R> {
        private final String name;
        private @Nullable Provider<Q, R> primary;
        private @Nullable Provider<Q, R> candidate;
        private Function<? super Q, String> key = String::valueOf;
        private Equivalence<? super R> equivalence = Equivalence.equality();
        private Stage stage = Stage.OFF;
        private double percentage;
        private @Nullable RampSource rampSource;
        private boolean idempotent;
        private int shadowCallsPerSecond = 50;
        private boolean rollbackOnCandidateUnavailable = true;
        private double rollbackMismatchRate = 5.0;
        private int mismatchWindow = 100;
        private int samples;
        private Redactor redactor = Redactor.DEFAULT;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The provider that answers until the candidate takes over.
         *
         * @param upstream the name of its registered upstream
         * @param call the call to its client
         * @param adapter its adapter into the domain type
         * @param <U> its response type
         * @return this builder
         */
        public <U> Builder<Q, R> primary(String upstream, ProviderCall<Q, U> call, Adapter<U, R> adapter) {
            return primary(Provider.of(upstream, call, adapter));
        }

        /**
         * The provider that answers until the candidate takes over.
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder<Q, R> primary(Provider<Q, R> provider) {
            this.primary = Objects.requireNonNull(provider, "primary");
            return this;
        }

        /**
         * The provider being migrated to.
         *
         * @param upstream the name of its registered upstream
         * @param call the call to its client
         * @param adapter its adapter into the domain type
         * @param <U> its response type
         * @return this builder
         */
        public <U> Builder<Q, R> candidate(String upstream, ProviderCall<Q, U> call, Adapter<U, R> adapter) {
            return candidate(Provider.of(upstream, call, adapter));
        }

        /**
         * The provider being migrated to.
         *
         * @param provider the provider
         * @return this builder
         */
        public Builder<Q, R> candidate(Provider<Q, R> provider) {
            this.candidate = Objects.requireNonNull(provider, "candidate");
            return this;
        }

        /**
         * Renames the upstream of the primary, keeping its call and adapter: how configuration names it.
         *
         * @param upstream the upstream's name
         * @return this builder
         * @throws IllegalStateException if no primary is set yet
         */
        public Builder<Q, R> primaryUpstream(String upstream) {
            if (primary == null) {
                throw new IllegalStateException("migration '" + name + "': set the primary before renaming its upstream");
            }
            primary = primary.withUpstream(upstream);
            return this;
        }

        /**
         * Renames the upstream of the candidate, keeping its call and adapter.
         *
         * @param upstream the upstream's name
         * @return this builder
         * @throws IllegalStateException if no candidate is set yet
         */
        public Builder<Q, R> candidateUpstream(String upstream) {
            if (candidate == null) {
                throw new IllegalStateException("migration '" + name + "': set the candidate before renaming its upstream");
            }
            candidate = candidate.withUpstream(upstream);
            return this;
        }

        /**
         * The sticky key of a request, such as a customer id: in RAMP, one key always goes the same way for a
         * given percentage. Only its hash is kept.
         *
         * @param key derives the key from a request
         * @return this builder
         */
        public Builder<Q, R> key(Function<? super Q, String> key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * How the candidate's answer is compared with the primary's.
         *
         * @param equivalence the equivalence
         * @return this builder
         */
        public Builder<Q, R> equivalence(Equivalence<? super R> equivalence) {
            this.equivalence = Objects.requireNonNull(equivalence, "equivalence");
            return this;
        }

        /**
         * The initial stage.
         *
         * @param stage the stage
         * @return this builder
         */
        public Builder<Q, R> stage(Stage stage) {
            this.stage = Objects.requireNonNull(stage, "stage");
            return this;
        }

        /**
         * The candidate's share of keys in RAMP.
         *
         * @param percentage 0 to 100
         * @return this builder
         */
        public Builder<Q, R> percentage(double percentage) {
            this.percentage = percentage;
            return this;
        }

        /**
         * Reads the stage and percentage from a source on each call, such as {@link OpenFeatureRampSource}.
         *
         * @param source the source
         * @return this builder
         */
        public Builder<Q, R> rampSource(RampSource source) {
            this.rampSource = Objects.requireNonNull(source, "rampSource");
            return this;
        }

        /**
         * Whether the serving calls may be retried by each provider's retry settings. Shadow calls never are.
         *
         * @param idempotent {@code true} if a request may be sent more than once; {@code false} by default
         * @return this builder
         */
        public Builder<Q, R> idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * The shadow budget: the most shadow calls started per second (on the candidate upstream's time
         * source). Beyond it, shadow chances are counted as {@code over_budget} and skipped.
         *
         * @param perSecond 0 (no shadow calls) to 10,000
         * @return this builder
         */
        public Builder<Q, R> shadowCallsPerSecond(int perSecond) {
            this.shadowCallsPerSecond = perSecond;
            return this;
        }

        /**
         * Whether RAMP and COMPLETE roll back to SHADOW when the candidate's circuit opens.
         *
         * @param enabled on by default
         * @return this builder
         */
        public Builder<Q, R> rollbackOnCandidateUnavailable(boolean enabled) {
            this.rollbackOnCandidateUnavailable = enabled;
            return this;
        }

        /**
         * The mismatch rate that rolls RAMP and COMPLETE back to SHADOW, taken over the latest {@code window}
         * comparisons once that many have been made.
         *
         * @param percent above 0 up to 100; 100 never rolls back
         * @param window 10 to 100,000 comparisons
         * @return this builder
         */
        public Builder<Q, R> rollbackMismatchRate(double percent, int window) {
            this.rollbackMismatchRate = percent;
            this.mismatchWindow = window;
            return this;
        }

        /**
         * Keeps the latest differences with their values, redacted, in the report.
         *
         * @param max how many differences to keep, 0 (none, the default) to 100
         * @param redactor what a sample shows of each value
         * @return this builder
         */
        public Builder<Q, R> samples(int max, Redactor redactor) {
            this.samples = max;
            this.redactor = Objects.requireNonNull(redactor, "redactor");
            return this;
        }

        /**
         * Validates and builds the spec.
         *
         * @return the spec
         * @throws InvalidSpecException naming the first setting out of range
         */
        public MigrationSpec<Q, R> build() {
            if (primary == null) {
                throw new InvalidSpecException("primary", "none", "a provider: primary(upstream, call, adapter)");
            }
            if (candidate == null) {
                throw new InvalidSpecException("candidate", "none", "a provider: candidate(upstream, call, adapter)");
            }
            if (primary.upstream().equals(candidate.upstream())) {
                throw new InvalidSpecException("candidate", "'" + candidate.upstream() + "'",
                        "an upstream other than the primary's: each provider needs its own breaker and bulkhead");
            }
            Check.range("percentage", percentage, 0.0, 100.0);
            Check.range("shadowCallsPerSecond", shadowCallsPerSecond, 0, 10_000);
            if (!(rollbackMismatchRate > 0 && rollbackMismatchRate <= 100)) {
                throw new InvalidSpecException("rollbackMismatchRate", rollbackMismatchRate, "above 0 up to 100");
            }
            Check.range("mismatchWindow", mismatchWindow, 10, 100_000);
            Check.range("samples", samples, 0, 100);
            return new MigrationSpec<>(this);
        }
    }
}
