package dev.levee.spring.actuate;

import dev.levee.BreakerSpec;
import dev.levee.CircuitState;
import dev.levee.Criticality;
import dev.levee.HealthState;
import dev.levee.RetrySpec;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamHealth;
import dev.levee.UpstreamSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What the {@code upstreams} endpoint shows of one upstream: who owns it, how critical it is, its health and
 * why, its circuit and bulkhead figures, its effective configuration and, on the upstream's own page, its recent
 * events. Durations are written as in configuration ({@code 300ms}, {@code 1s}); a figure that has no value
 * yet is {@code null}, which the endpoint leaves out.
 *
 * @param name the upstream's name
 * @param owner its owner
 * @param criticality how much the application depends on it
 * @param health state, reason and since
 * @param circuit state and rates over the breaker's window
 * @param bulkhead in-flight calls and the limit
 * @param configuration the effective settings
 * @param recentEvents circuit transitions and health changes, oldest first; {@code null} in the list of all
 *     upstreams and when no events are recorded ({@code levee.endpoint.recent-events=0})
 * @since 0.1
 */
public record UpstreamDescriptor(String name, String owner, Criticality criticality, Health health, Circuit circuit,
        Bulkhead bulkhead, Configuration configuration, @Nullable List<UpstreamEvent> recentEvents)
        implements OperationResponseBody {

    /**
     * Describes an upstream now, without its events.
     *
     * @param upstream the upstream
     * @return its descriptor
     */
    public static UpstreamDescriptor of(Upstream upstream) {
        return of(upstream, null);
    }

    /**
     * Describes an upstream now, with its recent events if they are recorded.
     *
     * @param upstream the upstream
     * @param events the recorder of recent events, or {@code null} to leave them out
     * @return its descriptor
     */
    public static UpstreamDescriptor of(Upstream upstream, @Nullable UpstreamEvents events) {
        // Health first: reading it notices a circuit change made since the last call, which records its events.
        UpstreamHealth h = upstream.health();
        UpstreamSpec s = upstream.spec();
        return new UpstreamDescriptor(s.name(), s.owner(), s.criticality(),
                new Health(h.state(), h.reason(), h.since(), h.blocksReadiness()),
                new Circuit(h.circuitState(), rate(h.failureRate()), rate(h.slowCallRate()), h.callsInWindow()),
                new Bulkhead(h.inFlight(), h.maxConcurrentCalls()),
                Configuration.of(s), events == null ? null : events.recent(s.name()).orElse(null));
    }

    /** A rate, or {@code null} where the breaker reports -1: its window does not hold enough calls yet. */
    private static @Nullable Float rate(float rate) {
        return rate < 0 ? null : rate;
    }

    /**
     * An upstream's health.
     *
     * @param state the state
     * @param reason why, in an operator's words
     * @param since when the upstream entered the state
     * @param blocksReadiness whether it makes the application unready (critical and unavailable)
     * @since 0.1
     */
    public record Health(HealthState state, String reason, Instant since, boolean blocksReadiness) {
    }

    /**
     * An upstream's circuit breaker now.
     *
     * @param state the state
     * @param failureRate failed calls in the window, in percent; {@code null} before the window holds its minimum
     *     number of calls
     * @param slowCallRate slow calls in the window, in percent; {@code null} likewise
     * @param callsInWindow how many calls the window holds
     * @since 0.1
     */
    public record Circuit(CircuitState state, @Nullable Float failureRate, @Nullable Float slowCallRate, int callsInWindow) {
    }

    /**
     * An upstream's bulkhead now.
     *
     * @param inFlight attempts holding a permit
     * @param maxConcurrentCalls the limit
     * @since 0.1
     */
    public record Bulkhead(int inFlight, int maxConcurrentCalls) {
    }

    /**
     * An upstream's effective configuration, named as its {@code levee.upstreams.<name>.*} properties are.
     *
     * @param attemptTimeout such as {@code 300ms}
     * @param timeoutMode how the attempt timeout is enforced
     * @param deadline the whole call's budget, retries included
     * @param circuitBreaker the breaker's settings
     * @param retry the retry settings
     * @param bulkhead the bulkhead's settings
     * @since 0.1
     */
    public record Configuration(String attemptTimeout, TimeoutMode timeoutMode, String deadline,
            CircuitBreakerConfiguration circuitBreaker, RetryConfiguration retry, BulkheadConfiguration bulkhead) {

        static Configuration of(UpstreamSpec s) {
            BreakerSpec b = s.circuitBreaker();
            boolean count = b.windowType() == BreakerSpec.WindowType.COUNT_BASED;
            RetrySpec r = s.retry();
            return new Configuration(DurationFormat.format(s.attemptTimeout()), s.timeoutMode(), DurationFormat.format(s.deadline()),
                    new CircuitBreakerConfiguration(b.failureRateThreshold(), DurationFormat.format(s.slowCallThreshold()),
                            b.slowCallRateThreshold(), count ? b.windowSize() : null,
                            count ? null : DurationFormat.format(Duration.ofSeconds(b.windowSize())), b.minimumCalls(),
                            b.consecutiveFailures(), DurationFormat.format(b.waitInOpenState()), b.halfOpenProbes()),
                    new RetryConfiguration(r.maxAttempts(), DurationFormat.format(r.initialBackoff()), r.multiplier(), r.jitter(),
                            DurationFormat.format(r.maxBackoff()), r.budgetRatio(), r.budgetMinRetries(),
                            DurationFormat.format(r.budgetWindow())),
                    new BulkheadConfiguration(s.bulkhead().maxConcurrentCalls(), DurationFormat.format(s.bulkhead().maxWait())));
        }
    }

    /**
     * The circuit breaker's settings.
     *
     * @param failureRateThreshold the failure rate that opens the circuit, in percent
     * @param slowCallThreshold how long a call may take before it counts as slow
     * @param slowCallRateThreshold the slow-call rate that opens the circuit, in percent
     * @param countWindow the window in calls, or {@code null} for a time window
     * @param timeWindow the window in time, or {@code null} for a count window
     * @param minimumCalls the calls the window must hold before its rates count
     * @param consecutiveFailures the failed attempts in a row that open the circuit; 0 when that trigger is off
     * @param waitInOpenState how long the circuit stays open before probing
     * @param halfOpenProbes the probe calls let through when half-open
     * @since 0.1
     */
    public record CircuitBreakerConfiguration(float failureRateThreshold, String slowCallThreshold, float slowCallRateThreshold,
            @Nullable Integer countWindow, @Nullable String timeWindow, int minimumCalls, int consecutiveFailures,
            String waitInOpenState, int halfOpenProbes) {
    }

    /**
     * The retry settings.
     *
     * @param maxAttempts the most attempts per call, the first included
     * @param initialBackoff the wait before the first retry
     * @param multiplier how much each wait grows
     * @param jitter the random share of each wait
     * @param maxBackoff the longest wait
     * @param budgetRatio the retries allowed as a share of calls
     * @param budgetMinRetries the retries always allowed per budget window
     * @param budgetWindow the retry budget's window
     * @since 0.1
     */
    public record RetryConfiguration(int maxAttempts, String initialBackoff, double multiplier, double jitter, String maxBackoff,
            double budgetRatio, int budgetMinRetries, String budgetWindow) {
    }

    /**
     * The bulkhead's settings.
     *
     * @param maxConcurrentCalls the most attempts in flight
     * @param maxWait how long an attempt may wait for a permit
     * @since 0.1
     */
    public record BulkheadConfiguration(int maxConcurrentCalls, String maxWait) {
    }
}
