package dev.levee.contract;

import dev.levee.InvalidSpecException;
import dev.levee.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * What a contract violation does on the call path, chosen per upstream
 * ({@link dev.levee.UpstreamSpec.Builder#contractPolicy}) and kept apart from the contract itself, so one
 * contract serves run time, the consumer's tests and the provider's build.
 *
 * <pre>{@code
 * UpstreamSpec.named("pricing")
 *         .contractPolicy(ContractPolicy.builder().action(ContractPolicy.Action.RECORD).sampleRate(0.1).build())
 *         .build();
 * }</pre>
 *
 * <p>Whatever the action, every violated expectation is counted ({@code levee.contract.violations}, tagged
 * with the expectation's name) and logged at WARN at most once per expectation per {@link #logInterval()},
 * with its path and kind, never the value. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class ContractPolicy {

    /** What a violation does to the call. */
    public enum Action {
        /** Count and log it; the call goes on and translates the response as if it held. */
        RECORD,
        /**
         * Fail the call with a {@link dev.levee.ContractViolationException} (outcome {@code contract_violation},
         * held against the upstream, never retried) that reaches the caller even if the call has a fallback.
         */
        FAIL,
        /** Fail the call as {@link #FAIL} does, and let the call's fallback answer if it has one. The default. */
        FALLBACK
    }

    private static final ContractPolicy DEFAULT = builder().build();

    private final Action action;
    private final double sampleRate;
    private final Duration logInterval;

    private ContractPolicy(Builder b) {
        this.action = b.action;
        this.sampleRate = b.sampleRate;
        this.logInterval = b.logInterval;
    }

    /**
     * The default: {@link Action#FALLBACK}, every response checked, each expectation logged at most once a minute.
     *
     * @return the default policy
     */
    public static ContractPolicy defaults() {
        return DEFAULT;
    }

    /**
     * Starts a policy from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this policy.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.action = action;
        b.sampleRate = sampleRate;
        b.logInterval = logInterval;
        return b;
    }

    /**
     * What a violation does to the call.
     *
     * @return the action
     */
    public Action action() {
        return action;
    }

    /**
     * The share of good responses checked, from 0 (none) to 1 (every one). Checked responses are spread evenly
     * (every tenth at 0.1), not drawn at random, so a low rate still checks a steady stream.
     *
     * @return the rate
     */
    public double sampleRate() {
        return sampleRate;
    }

    /**
     * How often, at most, a violation of one expectation is logged.
     *
     * @return the interval
     */
    public Duration logInterval() {
        return logInterval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContractPolicy p && action == p.action && sampleRate == p.sampleRate && logInterval.equals(p.logInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, sampleRate, logInterval);
    }

    @Override
    public String toString() {
        return "ContractPolicy[action=" + action + ", sampleRate=" + sampleRate + ", logInterval=" + Check.format(logInterval) + "]";
    }

    /**
     * Builds a {@link ContractPolicy}. Not thread-safe.
     *
     * @since 0.2
     */
    public static final class Builder {
        private Action action = Action.FALLBACK;
        private double sampleRate = 1.0;
        private Duration logInterval = Duration.ofMinutes(1);

        private Builder() {
        }

        /**
         * @param action what a violation does to the call
         * @return this builder
         */
        public Builder action(Action action) {
            this.action = Objects.requireNonNull(action, "action");
            return this;
        }

        /**
         * @param rate the share of good responses checked, 0 to 1
         * @return this builder
         */
        public Builder sampleRate(double rate) {
            this.sampleRate = rate;
            return this;
        }

        /**
         * @param interval how often, at most, a violation of one expectation is logged: 1 ms to 1 day
         * @return this builder
         */
        public Builder logInterval(Duration interval) {
            this.logInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Validates and builds the policy.
         *
         * @return the policy
         * @throws InvalidSpecException naming the field out of range
         */
        public ContractPolicy build() {
            Check.range("contract.sampleRate", sampleRate, 0.0, 1.0);
            Check.range("contract.logInterval", logInterval, Duration.ofMillis(1), Duration.ofDays(1));
            return new ContractPolicy(this);
        }
    }
}
