package dev.levee.internal;

import dev.levee.BreakerSpec;
import dev.levee.CircuitState;
import dev.levee.TimeSource;
import dev.levee.UpstreamSpec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/** Builds resilience4j circuit breakers from Levee specs, and translates their states. */
final class Breakers {

    /** Fed to the breaker for every failed attempt: the classification has already been made. */
    static final Exception FAILED = new Exception("upstream fault", null, false, false) { };

    private Breakers() {
    }

    /** The wall clock that moves with a time source: the system clock, or one derived from a manual source. */
    static Clock wallClock(TimeSource time) {
        return time == TimeSource.system() ? Clock.systemUTC() : new TimeSourceClock(time);
    }

    static CircuitBreaker create(UpstreamSpec spec, Clock wallClock) {
        BreakerSpec b = spec.circuitBreaker();
        TimeSource time = spec.timeSource();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .slowCallRateThreshold(b.slowCallRateThreshold())
                .slowCallDurationThreshold(spec.slowCallThreshold())
                .slidingWindow(b.windowSize(), b.minimumCalls(), b.windowType() == BreakerSpec.WindowType.COUNT_BASED
                        ? CircuitBreakerConfig.SlidingWindowType.COUNT_BASED
                        : CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .waitDurationInOpenState(b.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenProbes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(t -> true)
                .writableStackTraceEnabled(false)
                .clock(wallClock)
                .currentTimestampFunction(clock -> time.nanoTime(), TimeUnit.NANOSECONDS)
                .build();
        return CircuitBreaker.of(spec.name(), config);
    }

    static CircuitState state(CircuitBreaker.State state) {
        switch (state) {
            case CLOSED:
                return CircuitState.CLOSED;
            case OPEN:
                return CircuitState.OPEN;
            case HALF_OPEN:
                return CircuitState.HALF_OPEN;
            case FORCED_OPEN:
                return CircuitState.FORCED_OPEN;
            default:
                return CircuitState.DISABLED; // DISABLED and METRICS_ONLY: calls flow, nothing opens the circuit
        }
    }

    /** A wall clock that moves with a (possibly manual) time source, for the breaker's window and waits. */
    static final class TimeSourceClock extends Clock {
        private final TimeSource time;
        private final long originNanos;
        private final Instant origin;

        TimeSourceClock(TimeSource time) {
            this.time = time;
            this.originNanos = time.nanoTime();
            this.origin = Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return origin.plusNanos(time.nanoTime() - originNanos);
        }
    }
}
