package dev.levee.spring;

import dev.levee.Criticality;
import dev.levee.InterruptPolicy;
import dev.levee.TimeoutMode;
import dev.levee.contract.ContractPolicy;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one upstream, under {@code levee.upstreams.<name>}; of a named base configuration, under
 * {@code levee.configs.<name>}; or the defaults every upstream inherits, under {@code levee.defaults}.
 *
 * <p>Each setting of an upstream is resolved on its own, the first level that sets it winning:
 * <ol>
 * <li>the upstream's own value ({@code levee.upstreams.<name>.*});</li>
 * <li>its base configuration ({@code levee.configs.<base-config>.*}), then that configuration's own base
 *     configuration, and so on; an upstream that names no {@code base-config} takes
 *     {@code levee.defaults.base-config}, if set;</li>
 * <li>{@code levee.defaults.*};</li>
 * <li>Levee's default (documented on {@link dev.levee.UpstreamSpec}).</li>
 * </ol>
 * A list (such as {@code http.failure-statuses} or {@code classification.caller-faults}) is one setting: a
 * level that sets it replaces the inherited list rather than adding to it.
 *
 * @since 0.1
 */
public class UpstreamProperties {

    /**
     * Name of a base configuration under levee.configs whose settings apply where this level sets none of its
     * own. On levee.defaults: the base configuration of every upstream that names none. An empty value names
     * none.
     */
    private @Nullable String baseConfig;

    /** Team or person that owns the upstream, shown to operators. Defaults to "unassigned". */
    private @Nullable String owner;

    /**
     * Whether the application needs the upstream to be ready (critical) or only degrades a feature without it
     * (optional). Defaults to optional.
     */
    private @Nullable Criticality criticality;

    /** Longest one attempt may take. Defaults to 1s. */
    private @Nullable Duration attemptTimeout;

    /**
     * How synchronous attempts' timeouts are enforced: on a Levee thread (enforced) or by the client on the
     * caller's thread (cooperative). Defaults to enforced.
     */
    private @Nullable TimeoutMode timeoutMode;

    /**
     * Whether the thread of a synchronous attempt that Levee abandons (at its timeout, when the caller is
     * interrupted, when the application stops) is interrupted: when-no-abandon-action (only if the call
     * registered no action that stops its work), always, or never. Interrupting a virtual thread closes its
     * socket under the client. Defaults to when-no-abandon-action.
     */
    private @Nullable InterruptPolicy interruptPolicy;

    /** Longest a whole call may take, retries and backoff included. Defaults to 3s. */
    private @Nullable Duration deadline;

    /** Whether to publish call latency as a percentile histogram. Defaults to false. */
    private @Nullable Boolean percentileHistogram;

    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    private final Retry retry = new Retry();

    private final Bulkhead bulkhead = new Bulkhead();

    private final Http http = new Http();

    private final Classification classification = new Classification();

    private final Contract contract = new Contract();

    public @Nullable String getBaseConfig() {
        return baseConfig;
    }

    public void setBaseConfig(@Nullable String baseConfig) {
        this.baseConfig = baseConfig;
    }

    public @Nullable String getOwner() {
        return owner;
    }

    public void setOwner(@Nullable String owner) {
        this.owner = owner;
    }

    public @Nullable Criticality getCriticality() {
        return criticality;
    }

    public void setCriticality(@Nullable Criticality criticality) {
        this.criticality = criticality;
    }

    public @Nullable Duration getAttemptTimeout() {
        return attemptTimeout;
    }

    public void setAttemptTimeout(@Nullable Duration attemptTimeout) {
        this.attemptTimeout = attemptTimeout;
    }

    public @Nullable TimeoutMode getTimeoutMode() {
        return timeoutMode;
    }

    public void setTimeoutMode(@Nullable TimeoutMode timeoutMode) {
        this.timeoutMode = timeoutMode;
    }

    public @Nullable InterruptPolicy getInterruptPolicy() {
        return interruptPolicy;
    }

    public void setInterruptPolicy(@Nullable InterruptPolicy interruptPolicy) {
        this.interruptPolicy = interruptPolicy;
    }

    public @Nullable Duration getDeadline() {
        return deadline;
    }

    public void setDeadline(@Nullable Duration deadline) {
        this.deadline = deadline;
    }

    public @Nullable Boolean getPercentileHistogram() {
        return percentileHistogram;
    }

    public void setPercentileHistogram(@Nullable Boolean percentileHistogram) {
        this.percentileHistogram = percentileHistogram;
    }

    public CircuitBreaker getCircuitBreaker() {
        return circuitBreaker;
    }

    public Retry getRetry() {
        return retry;
    }

    public Bulkhead getBulkhead() {
        return bulkhead;
    }

    public Http getHttp() {
        return http;
    }

    public Contract getContract() {
        return contract;
    }

    public Classification getClassification() {
        return classification;
    }

    /** Circuit breaker settings. */
    public static class CircuitBreaker {

        /** Failure rate, in percent, at which the circuit opens (1-100). Defaults to 50. */
        private @Nullable Float failureRateThreshold;

        /** Duration above which a call counts as slow. Defaults to 500ms, or the attempt timeout if shorter. */
        private @Nullable Duration slowCallThreshold;

        /** Slow-call rate, in percent, at which the circuit opens (1-100). Defaults to 100. */
        private @Nullable Float slowCallRateThreshold;

        /** Measure rates over the last N calls (1-10000). Mutually exclusive with time-window. */
        private @Nullable Integer countWindow;

        /** Measure rates over the calls of this last period, in whole seconds (1s-1h). Defaults to 30s. */
        private @Nullable Duration timeWindow;

        /** Calls the window must hold before a rate can open the circuit. Defaults to 20. */
        private @Nullable Integer minimumCalls;

        /** How long the circuit stays open before probing. Defaults to 10s. */
        private @Nullable Duration waitInOpenState;

        /** Probe calls admitted in the half-open state (1-1000). Defaults to 5. */
        private @Nullable Integer halfOpenProbes;

        /**
         * Failed attempts in a row that open the circuit at once, whatever the rates say (1-1000); 0 lets only
         * the rates open it. Defaults to 5.
         */
        private @Nullable Integer consecutiveFailures;

        public @Nullable Float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public @Nullable Duration getSlowCallThreshold() {
            return slowCallThreshold;
        }

        public void setSlowCallThreshold(@Nullable Duration slowCallThreshold) {
            this.slowCallThreshold = slowCallThreshold;
        }

        public @Nullable Float getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        public void setSlowCallRateThreshold(@Nullable Float slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        public @Nullable Integer getCountWindow() {
            return countWindow;
        }

        public void setCountWindow(@Nullable Integer countWindow) {
            this.countWindow = countWindow;
        }

        public @Nullable Duration getTimeWindow() {
            return timeWindow;
        }

        public void setTimeWindow(@Nullable Duration timeWindow) {
            this.timeWindow = timeWindow;
        }

        public @Nullable Integer getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(@Nullable Integer minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public @Nullable Duration getWaitInOpenState() {
            return waitInOpenState;
        }

        public void setWaitInOpenState(@Nullable Duration waitInOpenState) {
            this.waitInOpenState = waitInOpenState;
        }

        public @Nullable Integer getHalfOpenProbes() {
            return halfOpenProbes;
        }

        public void setHalfOpenProbes(@Nullable Integer halfOpenProbes) {
            this.halfOpenProbes = halfOpenProbes;
        }

        public @Nullable Integer getConsecutiveFailures() {
            return consecutiveFailures;
        }

        public void setConsecutiveFailures(@Nullable Integer consecutiveFailures) {
            this.consecutiveFailures = consecutiveFailures;
        }
    }

    /** Retry settings: only idempotent calls are retried. */
    public static class Retry {

        /** Most attempts per call, the first included (1 = no retries, at most 10). Defaults to 3. */
        private @Nullable Integer maxAttempts;

        /** Wait before the first retry, before jitter. Defaults to 100ms. */
        private @Nullable Duration initialBackoff;

        /** Factor by which the wait grows per retry (1-10). Defaults to 2. */
        private @Nullable Double multiplier;

        /** Share of each wait by which it is randomly spread (0-1). Defaults to 0.5. */
        private @Nullable Double jitter;

        /** Longest wait between attempts. Defaults to 2s. */
        private @Nullable Duration maxBackoff;

        /** Share of calls that retries may add over the budget window (0-1). Defaults to 0.2. */
        private @Nullable Double budgetRatio;

        /** Retries always allowed per budget window, whatever the traffic. Defaults to 10. */
        private @Nullable Integer budgetMinRetries;

        /** Sliding window of the retry budget. Defaults to 10s. */
        private @Nullable Duration budgetWindow;

        public @Nullable Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public @Nullable Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(@Nullable Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public @Nullable Double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(@Nullable Double multiplier) {
            this.multiplier = multiplier;
        }

        public @Nullable Double getJitter() {
            return jitter;
        }

        public void setJitter(@Nullable Double jitter) {
            this.jitter = jitter;
        }

        public @Nullable Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(@Nullable Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public @Nullable Double getBudgetRatio() {
            return budgetRatio;
        }

        public void setBudgetRatio(@Nullable Double budgetRatio) {
            this.budgetRatio = budgetRatio;
        }

        public @Nullable Integer getBudgetMinRetries() {
            return budgetMinRetries;
        }

        public void setBudgetMinRetries(@Nullable Integer budgetMinRetries) {
            this.budgetMinRetries = budgetMinRetries;
        }

        public @Nullable Duration getBudgetWindow() {
            return budgetWindow;
        }

        public void setBudgetWindow(@Nullable Duration budgetWindow) {
            this.budgetWindow = budgetWindow;
        }
    }

    /**
     * What a violation of a contract checked on the upstream's responses does (a {@code ContractAdapter} in code,
     * or the {@code Contract} bean named by {@code contract.bean} for RestClient and HTTP service clients). Maps
     * onto {@code dev.levee.contract.ContractPolicy}.
     */
    public static class Contract {

        /**
         * What a violation does: record (count and log it, the call goes on), fail (the call fails as
         * contract_violation, no fallback) or fallback (it fails and the fallback answers, if there is one).
         * Defaults to fallback.
         */
        private ContractPolicy.@Nullable Action action;

        /** The share of good responses checked, 0 to 1, spread evenly. Defaults to 1 (every response). */
        private @Nullable Double sampleRate;

        /** How often, at most, a violation of one expectation is logged (1ms-1d). Defaults to 1m. */
        private @Nullable Duration logInterval;

        public ContractPolicy.@Nullable Action getAction() {
            return action;
        }

        public void setAction(ContractPolicy.@Nullable Action action) {
            this.action = action;
        }

        public @Nullable Double getSampleRate() {
            return sampleRate;
        }

        public void setSampleRate(@Nullable Double sampleRate) {
            this.sampleRate = sampleRate;
        }

        public @Nullable Duration getLogInterval() {
            return logInterval;
        }

        public void setLogInterval(@Nullable Duration logInterval) {
            this.logInterval = logInterval;
        }
    }

    /** Bulkhead settings. */
    public static class Bulkhead {

        /** Most calls in flight at once (1-10000). Defaults to 25. */
        private @Nullable Integer maxConcurrentCalls;

        /** How long a synchronous call waits for a permit before it is rejected. Defaults to 0 (reject at once). */
        private @Nullable Duration maxWait;

        public @Nullable Integer getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public @Nullable Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(@Nullable Duration maxWait) {
            this.maxWait = maxWait;
        }
    }

    /** How HTTP exchanges through RestClient and HTTP service clients are classified. */
    public static class Http {

        /**
         * Status codes that count as upstream failures (retried for idempotent methods): codes such as 429, or
         * classes such as 5xx. Other 4xx statuses are the caller's fault. Defaults to 5xx, 408, 429.
         */
        private @Nullable List<String> failureStatuses;

        /** HTTP methods that are idempotent and may be retried. Defaults to GET, HEAD, OPTIONS, PUT, DELETE. */
        private @Nullable List<String> idempotentMethods;

        public @Nullable List<String> getFailureStatuses() {
            return failureStatuses;
        }

        public void setFailureStatuses(@Nullable List<String> failureStatuses) {
            this.failureStatuses = failureStatuses;
        }

        public @Nullable List<String> getIdempotentMethods() {
            return idempotentMethods;
        }

        public void setIdempotentMethods(@Nullable List<String> idempotentMethods) {
            this.idempotentMethods = idempotentMethods;
        }
    }

    /**
     * How exceptions thrown by an upstream call are classified, by fully qualified class name (a nested class as
     * {@code Outer.Inner} or {@code Outer$Inner}); a class also matches its subclasses. The lists are checked in
     * this order, the first match winning: pass-through, caller-faults, timeouts, not-retryable. An exception
     * the call's adapter does not classify and no list names is an upstream failure: held against the upstream
     * and retried if the call is idempotent. A class may appear in one list only. Maps onto
     * {@link dev.levee.ClassificationRules}.
     */
    public static class Classification {

        /**
         * Exception classes meaning the request itself was at fault: the call ends in a CallerFaultException
         * (the exception as its cause), not held against the upstream, never retried.
         */
        private @Nullable List<String> callerFaults;

        /**
         * Exception classes meaning the client's own timeout fired: counted as timeouts, held against the
         * upstream and retried. java.net.SocketTimeoutException and java.net.http.HttpTimeoutException always are.
         */
        private @Nullable List<String> timeouts;

        /** Exception classes meaning an upstream failure that another attempt cannot fix: held against the upstream, not retried. */
        private @Nullable List<String> notRetryable;

        /**
         * Exception classes the call throws on purpose, such as a port's own domain exceptions: rethrown
         * unchanged, and like caller faults not held against the upstream and never retried.
         */
        private @Nullable List<String> passThrough;

        public @Nullable List<String> getCallerFaults() {
            return callerFaults;
        }

        public void setCallerFaults(@Nullable List<String> callerFaults) {
            this.callerFaults = callerFaults;
        }

        public @Nullable List<String> getTimeouts() {
            return timeouts;
        }

        public void setTimeouts(@Nullable List<String> timeouts) {
            this.timeouts = timeouts;
        }

        public @Nullable List<String> getNotRetryable() {
            return notRetryable;
        }

        public void setNotRetryable(@Nullable List<String> notRetryable) {
            this.notRetryable = notRetryable;
        }

        public @Nullable List<String> getPassThrough() {
            return passThrough;
        }

        public void setPassThrough(@Nullable List<String> passThrough) {
            this.passThrough = passThrough;
        }
    }
}
