package dev.levee.spring;

import dev.levee.Criticality;
import dev.levee.TimeoutMode;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one upstream, under {@code levee.upstreams.<name>}, or the defaults every upstream
 * inherits, under {@code levee.defaults}. A setting left unset is inherited from {@code levee.defaults},
 * and if unset there too, takes Levee's default (documented on {@link dev.levee.UpstreamSpec}).
 *
 * @since 0.1
 */
public class UpstreamProperties {

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

    /** Longest a whole call may take, retries and backoff included. Defaults to 3s. */
    private @Nullable Duration deadline;

    /** Whether to publish call latency as a percentile histogram. Defaults to false. */
    private @Nullable Boolean percentileHistogram;

    private final CircuitBreaker circuitBreaker = new CircuitBreaker();

    private final Retry retry = new Retry();

    private final Bulkhead bulkhead = new Bulkhead();

    private final Http http = new Http();

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
}
