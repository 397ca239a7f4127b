package dev.levee;

import dev.levee.internal.Check;
import dev.levee.contract.ContractPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The immutable description of one upstream: who owns it, how critical it is, and how calls to it are
 * protected. Built with a builder and validated once, in {@link Builder#build()}: a bad value fails there,
 * at startup, with a message naming the field, the value and the allowed range.
 *
 * <pre>{@code
 * UpstreamSpec spec = UpstreamSpec.named("pricing")
 *         .owner("pricing-team")
 *         .criticality(Criticality.OPTIONAL)
 *         .attemptTimeout(Duration.ofMillis(300))
 *         .deadline(Duration.ofSeconds(1))
 *         .circuitBreaker(cb -> cb.failureRateThreshold(50).slowCallThreshold(Duration.ofMillis(250)))
 *         .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(50), 2.0).jitter(0.5))
 *         .maxConcurrentCalls(20)
 *         .build();
 * }</pre>
 *
 * <table>
 * <caption>Defaults and why</caption>
 * <tr><th>setting</th><th>default</th><th>why</th></tr>
 * <tr><td>criticality</td><td>{@link Criticality#OPTIONAL}</td><td>an upstream must be declared critical to be allowed
 *     to take the application out of rotation: the reverse default pulled whole fleets (resilience4j #607).</td></tr>
 * <tr><td>attempt timeout</td><td>1 s</td><td>resilience4j's time limiter default; far above a healthy in-datacenter
 *     call and far below Polly's 10 s, which by Little's law lets 100 calls/s hold 1,000 threads.</td></tr>
 * <tr><td>timeout mode</td><td>{@link TimeoutMode#ENFORCED}</td><td>a caller returns at its timeout even from a
 *     client that ignores interrupts.</td></tr>
 * <tr><td>interrupt policy</td><td>{@link InterruptPolicy#WHEN_NO_ABANDON_ACTION}</td><td>an attempt that registered
 *     how to stop its work ({@link CallContext#onAbandon}) is stopped that way; an interrupt on a virtual thread
 *     closes the socket under the client instead.</td></tr>
 * <tr><td>deadline</td><td>3 s</td><td>room for the first attempt and two retries with their backoff; no call
 *     outlives a typical user's patience.</td></tr>
 * <tr><td>circuit breaker, retry, bulkhead</td><td>see {@link BreakerSpec}, {@link RetrySpec}, {@link BulkheadSpec}</td><td></td></tr>
 * <tr><td>percentile histogram</td><td>off</td><td>histograms multiply time series; switch on for every upstream of
 *     a meter registry or for none, since Prometheus cannot expose one meter both as a histogram and as a
 *     summary ({@link Upstreams#register} rejects a mix).</td></tr>
 * </table>
 *
 * <p>Built objects are thread-safe; builders are not.
 *
 * @since 0.1
 */
public final class UpstreamSpec {


    private final String name;
    private final String owner;
    private final Criticality criticality;
    private final Duration attemptTimeout;
    private final TimeoutMode timeoutMode;
    private final InterruptPolicy interruptPolicy;
    private final Duration deadline;
    private final BreakerSpec circuitBreaker;
    private final RetrySpec retry;
    private final BulkheadSpec bulkhead;
    private final ClassificationRules classification;
    private final boolean percentileHistogram;
    private final TimeSource timeSource;
    private final Duration slowCallThreshold;
    private final ContractPolicy contractPolicy;

    private UpstreamSpec(Builder b, BreakerSpec circuitBreaker, RetrySpec retry, BulkheadSpec bulkhead,
            ClassificationRules classification, Duration slowCallThreshold, ContractPolicy contractPolicy) {
        name = b.name;
        owner = b.owner;
        criticality = b.criticality;
        attemptTimeout = b.attemptTimeout;
        timeoutMode = b.timeoutMode;
        interruptPolicy = b.interruptPolicy;
        deadline = b.deadline;
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
        this.bulkhead = bulkhead;
        this.classification = classification;
        percentileHistogram = b.percentileHistogram;
        timeSource = b.timeSource;
        this.slowCallThreshold = slowCallThreshold;
        this.contractPolicy = contractPolicy;
    }

    /**
     * Starts a spec with the defaults.
     *
     * @param name the upstream's name: 1 to 64 characters of lowercase letters, digits, {@code - _ .};
     *     it is a metric tag value, so it must come from configuration, never from request data
     * @return a new builder
     * @throws InvalidSpecException if the name is not allowed
     */
    public static Builder named(String name) {
        return new Builder(validName(name));
    }

    static String validName(String name) {
        return Check.name(name);
    }

    /**
     * A builder starting from this spec.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the upstream's name */
    public String name() {
        return name;
    }

    /** @return the team or person that owns the upstream, for operators */
    public String owner() {
        return owner;
    }

    /** @return how much the application depends on the upstream */
    public Criticality criticality() {
        return criticality;
    }

    /** @return the longest one attempt may take */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** @return how synchronous attempts' timeouts are enforced */
    public TimeoutMode timeoutMode() {
        return timeoutMode;
    }

    /**
     * Whether a synchronous attempt's thread is interrupted when Levee abandons the attempt.
     *
     * @return the interrupt policy
     * @since 0.2
     */
    public InterruptPolicy interruptPolicy() {
        return interruptPolicy;
    }

    /** @return the longest a whole call may take, retries and backoff included */
    public Duration deadline() {
        return deadline;
    }

    /** @return the circuit breaker settings */
    public BreakerSpec circuitBreaker() {
        return circuitBreaker;
    }

    /**
     * The effective slow call threshold: the breaker's explicit one, or
     * {@link BreakerSpec#DEFAULT_SLOW_CALL_THRESHOLD} or the attempt timeout, whichever is shorter.
     *
     * @return the duration above which a call counts as slow
     */
    public Duration slowCallThreshold() {
        return slowCallThreshold;
    }

    /** @return the retry settings */
    public RetrySpec retry() {
        return retry;
    }

    /** @return the bulkhead settings */
    public BulkheadSpec bulkhead() {
        return bulkhead;
    }

    /** @return the rules that classify thrown exceptions */
    public ClassificationRules classification() {
        return classification;
    }

    /** @return whether call latency is published as a percentile histogram */
    public boolean percentileHistogram() {
        return percentileHistogram;
    }

    /** @return the time source of the upstream's accounting */
    public TimeSource timeSource() {
        return timeSource;
    }

    /**
     * What a violation of a {@link dev.levee.contract.Contract} checked on this upstream's responses does.
     *
     * @return the policy; {@link ContractPolicy#defaults()} unless set
     * @since 0.2
     */
    public ContractPolicy contractPolicy() {
        return contractPolicy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpstreamSpec s && name.equals(s.name) && owner.equals(s.owner) && criticality == s.criticality
                && attemptTimeout.equals(s.attemptTimeout) && timeoutMode == s.timeoutMode
                && interruptPolicy == s.interruptPolicy && deadline.equals(s.deadline)
                && circuitBreaker.equals(s.circuitBreaker) && retry.equals(s.retry) && bulkhead.equals(s.bulkhead)
                && classification.equals(s.classification) && percentileHistogram == s.percentileHistogram
                && timeSource.equals(s.timeSource) && contractPolicy.equals(s.contractPolicy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, owner, criticality, attemptTimeout, timeoutMode, interruptPolicy, deadline, circuitBreaker, retry, bulkhead,
                classification, percentileHistogram, timeSource, contractPolicy);
    }

    @Override
    public String toString() {
        return "UpstreamSpec[name=" + name + ", owner=" + owner + ", criticality=" + criticality
                + ", attemptTimeout=" + Check.format(attemptTimeout) + ", timeoutMode=" + timeoutMode + ", interruptPolicy=" + interruptPolicy
                + ", deadline=" + Check.format(deadline) + ", " + circuitBreaker + ", " + retry + ", " + bulkhead
                + ", " + classification + ", percentileHistogram=" + percentileHistogram + ", " + contractPolicy + "]";
    }

    /**
     * Builds {@link UpstreamSpec}s; validates every field and their combinations in {@link #build()}.
     * Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private String name;
        private String owner = "unassigned";
        private Criticality criticality = Criticality.OPTIONAL;
        private Duration attemptTimeout = Duration.ofSeconds(1);
        private TimeoutMode timeoutMode = TimeoutMode.ENFORCED;
        private InterruptPolicy interruptPolicy = InterruptPolicy.WHEN_NO_ABANDON_ACTION;
        private Duration deadline = Duration.ofSeconds(3);
        // sub-spec builders, built (and so validated) only in build(): a value set by one customizer may depend
        // on one set by a later customizer, such as countWindow(5) followed by minimumCalls(5)
        private BreakerSpec.Builder circuitBreaker = BreakerSpec.builder();
        private RetrySpec.Builder retry = RetrySpec.builder();
        private BulkheadSpec.Builder bulkhead = BulkheadSpec.builder();
        private ClassificationRules.Builder classification = ClassificationRules.builder();
        private boolean percentileHistogram;
        private TimeSource timeSource = TimeSource.system();
        private ContractPolicy.Builder contractPolicy = ContractPolicy.builder();

        private Builder(String name) {
            this.name = name;
        }

        private Builder(UpstreamSpec s) {
            name = s.name;
            owner = s.owner;
            criticality = s.criticality;
            attemptTimeout = s.attemptTimeout;
            timeoutMode = s.timeoutMode;
            interruptPolicy = s.interruptPolicy;
            deadline = s.deadline;
            circuitBreaker = s.circuitBreaker.toBuilder();
            retry = s.retry.toBuilder();
            bulkhead = s.bulkhead.toBuilder();
            classification = s.classification.toBuilder();
            percentileHistogram = s.percentileHistogram;
            timeSource = s.timeSource;
            contractPolicy = s.contractPolicy.toBuilder();
        }

        /**
         * @param name the upstream's name, as for {@link UpstreamSpec#named(String)}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = validName(name);
            return this;
        }

        /**
         * @param owner the owning team or person: 1 to 64 printable characters
         * @return this builder
         */
        public Builder owner(String owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        /**
         * @param criticality how much the application depends on the upstream
         * @return this builder
         */
        public Builder criticality(Criticality criticality) {
            this.criticality = Objects.requireNonNull(criticality, "criticality");
            return this;
        }

        /**
         * @param timeout the longest one attempt may take, 1 ms to 10 min, at most the deadline
         * @return this builder
         */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = Objects.requireNonNull(timeout, "attemptTimeout");
            return this;
        }

        /**
         * @param mode how synchronous attempts' timeouts are enforced
         * @return this builder
         */
        public Builder timeoutMode(TimeoutMode mode) {
            this.timeoutMode = Objects.requireNonNull(mode, "timeoutMode");
            return this;
        }

        /**
         * @param policy whether a synchronous attempt's thread is interrupted when Levee abandons the attempt
         * @return this builder
         * @since 0.2
         */
        public Builder interruptPolicy(InterruptPolicy policy) {
            this.interruptPolicy = Objects.requireNonNull(policy, "interruptPolicy");
            return this;
        }

        /**
         * @param deadline the longest a whole call may take, retries included: from the attempt timeout to 1 h
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        /**
         * Adjusts the circuit breaker settings, starting from the current ones.
         *
         * @param customizer changes to apply
         * @return this builder
         */
        public Builder circuitBreaker(Consumer<BreakerSpec.Builder> customizer) {
            Objects.requireNonNull(customizer, "customizer").accept(circuitBreaker);
            return this;
        }

        /**
         * @param spec the circuit breaker settings
         * @return this builder
         */
        public Builder circuitBreaker(BreakerSpec spec) {
            this.circuitBreaker = Objects.requireNonNull(spec, "circuitBreaker").toBuilder();
            return this;
        }

        /**
         * Adjusts the retry settings, starting from the current ones.
         *
         * @param customizer changes to apply
         * @return this builder
         */
        public Builder retry(Consumer<RetrySpec.Builder> customizer) {
            Objects.requireNonNull(customizer, "customizer").accept(retry);
            return this;
        }

        /**
         * @param spec the retry settings
         * @return this builder
         */
        public Builder retry(RetrySpec spec) {
            this.retry = Objects.requireNonNull(spec, "retry").toBuilder();
            return this;
        }

        /**
         * Adjusts the bulkhead settings, starting from the current ones.
         *
         * @param customizer changes to apply
         * @return this builder
         */
        public Builder bulkhead(Consumer<BulkheadSpec.Builder> customizer) {
            Objects.requireNonNull(customizer, "customizer").accept(bulkhead);
            return this;
        }

        /**
         * @param spec the bulkhead settings
         * @return this builder
         */
        public Builder bulkhead(BulkheadSpec spec) {
            this.bulkhead = Objects.requireNonNull(spec, "bulkhead").toBuilder();
            return this;
        }

        /**
         * A shortcut for {@code bulkhead(b -> b.maxConcurrentCalls(calls))}.
         *
         * @param calls the most calls in flight at once, 1 to 10,000
         * @return this builder
         */
        public Builder maxConcurrentCalls(int calls) {
            return bulkhead(b -> b.maxConcurrentCalls(calls));
        }

        /**
         * Adjusts the classification rules, starting from the current ones.
         *
         * @param customizer changes to apply
         * @return this builder
         */
        public Builder classification(Consumer<ClassificationRules.Builder> customizer) {
            Objects.requireNonNull(customizer, "customizer").accept(classification);
            return this;
        }

        /**
         * @param rules the classification rules
         * @return this builder
         */
        public Builder classification(ClassificationRules rules) {
            this.classification = Objects.requireNonNull(rules, "classification").toBuilder();
            return this;
        }

        /**
         * @param enabled whether to publish call latency as a percentile histogram; the same for every upstream
         *     publishing to one meter registry
         * @return this builder
         */
        public Builder percentileHistogram(boolean enabled) {
            this.percentileHistogram = enabled;
            return this;
        }

        /**
         * @param timeSource the time source of the upstream's accounting; replace it only in tests
         * @return this builder
         */
        public Builder timeSource(TimeSource timeSource) {
            this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
            return this;
        }

        /**
         * Sets what a violation of a {@link dev.levee.contract.Contract} checked on this upstream's responses
         * (by a {@link dev.levee.contract.ContractAdapter}) does: record it, fail the call, or fail it and let
         * the fallback answer; and which share of responses is checked.
         *
         * @param policy the policy
         * @return this builder
         * @since 0.2
         */
        public Builder contractPolicy(ContractPolicy policy) {
            this.contractPolicy = Objects.requireNonNull(policy, "policy").toBuilder();
            return this;
        }

        /**
         * Customizes the contract policy, validated in {@link #build()} like the other sub-specs.
         *
         * @param customizer changes the policy's builder
         * @return this builder
         * @since 0.2
         */
        public Builder contractPolicy(Consumer<ContractPolicy.Builder> customizer) {
            customizer.accept(contractPolicy);
            return this;
        }

        /**
         * Validates every field and their combinations and builds the spec.
         *
         * @return the spec
         * @throws InvalidSpecException naming the first field out of range
         */
        public UpstreamSpec build() {
            if (owner.isBlank() || owner.length() > 64 || owner.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidSpecException("owner", "'" + owner + "'", "1 to 64 printable characters, not blank");
            }
            Check.range("attemptTimeout", attemptTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
            Check.range("deadline", deadline, attemptTimeout, Duration.ofHours(1));
            BreakerSpec circuitBreaker = this.circuitBreaker.build();
            RetrySpec retry = this.retry.build();
            BulkheadSpec bulkhead = this.bulkhead.build();
            ClassificationRules classification = this.classification.build();
            Duration slow = circuitBreaker.slowCallThreshold().orElse(null);
            if (slow == null) {
                slow = BreakerSpec.DEFAULT_SLOW_CALL_THRESHOLD.compareTo(attemptTimeout) < 0
                        ? BreakerSpec.DEFAULT_SLOW_CALL_THRESHOLD : attemptTimeout;
            } else {
                Check.range("circuitBreaker.slowCallThreshold", slow, Duration.ofMillis(1), attemptTimeout);
            }
            if (circuitBreaker.windowType() == BreakerSpec.WindowType.TIME_BASED) {
                // An attempt that times out must end inside the window that counts it (Polly's rule).
                Duration min = attemptTimeout.multipliedBy(2);
                Duration window = Duration.ofSeconds(circuitBreaker.windowSize());
                if (window.compareTo(min) < 0) {
                    throw new InvalidSpecException("circuitBreaker.timeWindow", Check.format(window),
                            "at least twice attemptTimeout (" + Check.format(min) + ")");
                }
            }
            Check.range("bulkhead.maxWait", bulkhead.maxWait(), Duration.ZERO, deadline);
            return new UpstreamSpec(this, circuitBreaker, retry, bulkhead, classification, slow, contractPolicy.build());
        }
    }
}
