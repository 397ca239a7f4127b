package dev.levee.benchmarks;

import dev.levee.TimeoutMode;
import dev.levee.UpstreamSpec;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Fallback;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How each library is configured, in one place, so that the JMH benchmarks and the outage scenarios measure
 * the same compositions. The peers get Levee's defaults translated into their own terms:
 *
 * <table>
 * <caption>Equivalent settings</caption>
 * <tr><th>concern</th><th>Levee default</th><th>resilience4j</th><th>Failsafe</th></tr>
 * <tr><td>breaker</td><td>50% failures or 100% slow (&gt;500 ms) over a 30 s window, min 20 calls, open 10 s,
 *     5 half-open probes</td><td>the same, time-based window</td><td>failure rate 50% of &ge;20 executions in 30 s,
 *     delay 10 s, 3 of 5 probes must succeed</td></tr>
 * <tr><td>retry</td><td>3 attempts, exponential backoff 100 ms &times; 2 &plusmn;50%, max 2 s, within a 20% budget</td>
 *     <td>3 attempts, the same backoff, no budget; rejections not retried</td><td>the same; rejections not retried</td></tr>
 * <tr><td>bulkhead</td><td>25 concurrent calls, no wait</td><td>semaphore bulkhead, 25, no wait</td><td>none (the
 *     issue's composition is retry + breaker)</td></tr>
 * <tr><td>metrics</td><td>Levee's meters on the registry</td><td>tagged breaker, retry and bulkhead metrics plus a
 *     per-upstream timer</td><td>none: Failsafe has no metrics</td></tr>
 * </table>
 */
public final class Stacks {

    /** The value every trivial upstream returns. */
    public static final String VALUE = "value";
    /** The value every fallback returns. */
    public static final String FALLBACK = "fallback";

    private Stacks() {
    }

    // ------------------------------------------------------------------ Levee

    /**
     * Levee's full stack: every default (breaker, retry within the budget, bulkhead of 25, deadline 3 s,
     * attempt timeout 1 s) with the given timeout mode. Metrics come from the {@code Upstreams}' registry.
     *
     * @param name the upstream's name
     * @param mode how attempt timeouts are enforced
     * @return the spec
     */
    public static UpstreamSpec leveeFull(String name, TimeoutMode mode) {
        return UpstreamSpec.named(name).timeoutMode(mode).build();
    }

    /**
     * Levee with the breaker alone, as far as Levee allows: one attempt (so no retry and no budget use beyond
     * counting the call), a bulkhead so large it never rejects (the bulkhead cannot be removed: its permit is
     * what guarantees no thread is left behind), and no meter registry on the {@code Upstreams}.
     *
     * @param name the upstream's name
     * @param mode how attempt timeouts are enforced
     * @return the spec
     */
    public static UpstreamSpec leveeBreakerOnly(String name, TimeoutMode mode) {
        return UpstreamSpec.named(name).timeoutMode(mode)
                .retry(r -> r.maxAttempts(1))
                .maxConcurrentCalls(10_000)
                .build();
    }

    // ------------------------------------------------------------------ resilience4j

    /** resilience4j's breaker configured like Levee's defaults. */
    public static CircuitBreakerConfig r4jBreakerConfig(Duration waitInOpenState) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofMillis(500))
                .slidingWindow(30, 20, CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .waitDurationInOpenState(waitInOpenState)
                .permittedNumberOfCallsInHalfOpenState(5)
                .build();
    }

    /** resilience4j's retry configured like Levee's defaults (without a budget: it has none). */
    public static RetryConfig r4jRetryConfig(int maxAttempts) {
        return RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(2)))
                .ignoreExceptions(CallNotPermittedException.class, BulkheadFullException.class)
                .build();
    }

    /** resilience4j's semaphore bulkhead configured like Levee's default. */
    public static BulkheadConfig r4jBulkheadConfig() {
        return BulkheadConfig.custom().maxConcurrentCalls(25).maxWaitDuration(Duration.ZERO).build();
    }

    /**
     * resilience4j's equivalent of Levee's full stack: {@code Retry(CircuitBreaker(Bulkhead(call)))}, each from
     * a registry with its tagged Micrometer metrics bound, plus a per-upstream {@link Timer} around the whole.
     */
    public static final class R4jFull {
        public final CircuitBreaker breaker;
        public final Retry retry;
        public final Bulkhead bulkhead;
        public final Timer timer;
        private final Supplier<String> decorated;

        public R4jFull(String name, MeterRegistry registry, Supplier<String> call, Duration waitInOpenState) {
            this(name, registry, call, r4jBreakerConfig(waitInOpenState));
        }

        /**
         * The same composition with another breaker configuration, such as {@link CircuitBreakerConfig#ofDefaults()}
         * (a count window of 100 calls): what a resilience4j user who configured nothing runs.
         */
        public R4jFull(String name, MeterRegistry registry, Supplier<String> call, CircuitBreakerConfig breakerConfig) {
            CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(breakerConfig);
            RetryRegistry retries = RetryRegistry.of(r4jRetryConfig(3));
            BulkheadRegistry bulkheads = BulkheadRegistry.of(r4jBulkheadConfig());
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
            TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
            TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
            this.breaker = breakers.circuitBreaker(name);
            this.retry = retries.retry(name);
            this.bulkhead = bulkheads.bulkhead(name);
            this.timer = Timer.builder("upstream.calls").tag("upstream", name)
                    .description("Calls to the upstream, as a resilience4j user would time them").register(registry);
            this.decorated = Retry.decorateSupplier(retry,
                    CircuitBreaker.decorateSupplier(breaker,
                            Bulkhead.decorateSupplier(bulkhead, call)));
        }

        /** One call through the composition, timed by the per-upstream timer. */
        public String get() {
            return timer.record(decorated);
        }
    }

    // ------------------------------------------------------------------ Failsafe

    /** Failsafe's retry policy configured like Levee's defaults (rejections are not retried). */
    public static dev.failsafe.RetryPolicy<String> failsafeRetry(int maxAttempts) {
        return dev.failsafe.RetryPolicy.<String>builder()
                .withMaxAttempts(maxAttempts)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0)
                .withJitter(0.5)
                .abortOn(CircuitBreakerOpenException.class)
                .build();
    }

    /** Failsafe's circuit breaker configured like Levee's defaults. */
    public static dev.failsafe.CircuitBreaker<String> failsafeBreaker(Duration delay) {
        return dev.failsafe.CircuitBreaker.<String>builder()
                .withFailureRateThreshold(50, 20, Duration.ofSeconds(30))
                .withDelay(delay)
                .withSuccessThreshold(3, 5)
                .build();
    }

    /** {@code Failsafe.with(retry, breaker)}: retry outside the breaker, as in Levee. */
    public static FailsafeExecutor<String> failsafe(dev.failsafe.RetryPolicy<String> retry, dev.failsafe.CircuitBreaker<String> breaker) {
        return Failsafe.with(retry, breaker);
    }

    /** {@code Failsafe.with(fallback, retry, breaker)}. */
    public static FailsafeExecutor<String> failsafeWithFallback(dev.failsafe.RetryPolicy<String> retry,
            dev.failsafe.CircuitBreaker<String> breaker) {
        return Failsafe.with(Fallback.of(FALLBACK), retry, breaker);
    }
}
