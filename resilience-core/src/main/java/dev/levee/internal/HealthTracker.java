package dev.levee.internal;

import dev.levee.BreakerSpec;
import dev.levee.CircuitState;
import dev.levee.HealthListener;
import dev.levee.HealthState;
import dev.levee.UpstreamHealth;
import dev.levee.UpstreamSpec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives an upstream's health from its breaker, bulkhead and retry budget, by the rule documented on
 * {@link HealthState}. Evaluated on demand, on every circuit state change and periodically; a change of
 * state is noticed once (compare-and-set), logged once and told to the listeners once.
 */
final class HealthTracker {

    private static final Logger LOG = LoggerFactory.getLogger("dev.levee.health");

    private final UpstreamSpec spec;
    private final CircuitBreaker breaker;
    /** The breaker's window as the engine shows it (see {@link WindowMetrics}). */
    private final CircuitBreaker.Metrics metrics;
    private final Bulkhead bulkhead;
    private final RetryBudget budget;
    private final Clock wallClock;
    private final List<HealthListener> listeners;
    private final AtomicReference<UpstreamHealth> current;
    /** The failed attempts in a row so far, read from the engine. */
    private final java.util.function.IntSupplier failureRun;
    /** A run this long is a warning: half the run that opens the circuit (never, when that trigger is off). */
    private final int runWarning;

    HealthTracker(UpstreamSpec spec, CircuitBreaker breaker, CircuitBreaker.Metrics metrics, Bulkhead bulkhead, RetryBudget budget, Clock wallClock,
            List<HealthListener> listeners, java.util.function.IntSupplier failureRun) {
        this.failureRun = failureRun;
        int runToOpen = spec.circuitBreaker().consecutiveFailures();
        this.runWarning = runToOpen == 0 ? Integer.MAX_VALUE : Math.max(2, (runToOpen + 1) / 2);
        this.spec = spec;
        this.breaker = breaker;
        this.metrics = metrics;
        this.bulkhead = bulkhead;
        this.budget = budget;
        this.wallClock = wallClock;
        this.listeners = listeners;
        this.current = new AtomicReference<>(snapshot(HealthState.HEALTHY, "healthy", wallClock.instant()));
    }

    /** Evaluates the health now; notices, logs and tells a change of state exactly once. */
    UpstreamHealth evaluate() {
        while (true) {
            UpstreamHealth previous = current.get();
            String[] reason = new String[1];
            HealthState state = derive(reason);
            if (state == previous.state()) {
                return snapshot(state, reason[0], previous.since());
            }
            UpstreamHealth next = snapshot(state, reason[0], wallClock.instant());
            if (current.compareAndSet(previous, next)) {
                changed(previous, next);
                return next;
            }
        }
    }

    /**
     * The state the rule gives now, without noticing it: no log line, no listener call, nothing changed.
     * For gauges, whose scrape thread must have no side effects.
     */
    HealthState peek() {
        return derive(new String[1]);
    }

    private HealthState derive(String[] reason) {
        CircuitState circuit = Breakers.state(breaker.getState());
        BreakerSpec b = spec.circuitBreaker();
        CircuitBreaker.Metrics m = metrics;
        switch (circuit) {
            case OPEN:
                reason[0] = "circuit open: calls are rejected without trying until the wait of "
                        + Check.format(b.waitInOpenState()) + " has passed and probes succeed";
                return HealthState.UNAVAILABLE;
            case FORCED_OPEN:
                reason[0] = "circuit forced open by hand: every call is rejected until it is closed or reset";
                return HealthState.UNAVAILABLE;
            case HALF_OPEN:
                reason[0] = "circuit half-open: " + b.halfOpenProbes() + " probe calls are testing whether the upstream recovered";
                return HealthState.DEGRADED;
            default:
                break;
        }
        int run = failureRun.getAsInt();
        if (run >= runWarning) {
            reason[0] = run + " attempts in a row have failed (the circuit opens at " + b.consecutiveFailures() + ")";
            return HealthState.DEGRADED;
        }
        float failureRate = m.getFailureRate();
        float failureWarning = b.failureRateThreshold() / 2;
        if (failureRate >= 0 && failureRate >= failureWarning) {
            reason[0] = "failure rate " + percent(failureRate) + " has reached the warning level of " + percent(failureWarning)
                    + " (the circuit opens at " + percent(b.failureRateThreshold()) + ")";
            return HealthState.DEGRADED;
        }
        float slowRate = m.getSlowCallRate();
        float slowWarning = b.slowCallRateThreshold() / 2;
        if (slowRate >= 0 && slowRate >= slowWarning) {
            reason[0] = "slow-call rate " + percent(slowRate) + " (calls over " + Check.format(spec.slowCallThreshold())
                    + ") has reached the warning level of " + percent(slowWarning)
                    + " (the circuit opens at " + percent(b.slowCallRateThreshold()) + ")";
            return HealthState.DEGRADED;
        }
        int inFlight = bulkhead.inFlight();
        if (inFlight >= bulkhead.max()) {
            reason[0] = "bulkhead saturated: " + inFlight + " of " + bulkhead.max() + " concurrent calls in flight; more are rejected";
            return HealthState.DEGRADED;
        }
        if (budget.exhausted(spec.timeSource().nanoTime())) {
            reason[0] = "retry budget exhausted: failed calls are no longer retried (at most "
                    + percent((float) (spec.retry().budgetRatio() * 100)) + " of calls + " + spec.retry().budgetMinRetries()
                    + " per " + Check.format(spec.retry().budgetWindow()) + ")";
            return HealthState.DEGRADED;
        }
        reason[0] = "healthy";
        return HealthState.HEALTHY;
    }

    private UpstreamHealth snapshot(HealthState state, String reason, java.time.Instant since) {
        CircuitBreaker.Metrics m = metrics;
        return new UpstreamHealth(spec.name(), spec.owner(), spec.criticality(), state, since, reason,
                Breakers.state(breaker.getState()), m.getFailureRate(), m.getSlowCallRate(), m.getNumberOfBufferedCalls(),
                bulkhead.inFlight(), bulkhead.max());
    }

    private void changed(UpstreamHealth previous, UpstreamHealth next) {
        if (next.state() == HealthState.UNAVAILABLE) {
            LOG.warn("Upstream '{}' ({}, owner {}) is UNAVAILABLE, was {}: {}", spec.name(),
                    spec.criticality().name().toLowerCase(Locale.ROOT), spec.owner(), previous.state(), next.reason());
        } else if (next.state() == HealthState.HEALTHY) {
            LOG.info("Upstream '{}' is HEALTHY again, was {}", spec.name(), previous.state());
        } else {
            LOG.info("Upstream '{}' is DEGRADED, was {}: {}", spec.name(), previous.state(), next.reason());
        }
        for (HealthListener listener : listeners) {
            try {
                listener.onHealthChange(previous, next);
            } catch (Throwable e) { // an error too: a listener must never break the call that noticed the change
                LOG.error("Health listener {} threw; skipped", listener.getClass().getName(), e);
            }
        }
    }

    private static String percent(float value) {
        return (value == Math.rint(value) ? String.valueOf((int) value) : String.format(Locale.ROOT, "%.1f", value)) + "%";
    }
}
