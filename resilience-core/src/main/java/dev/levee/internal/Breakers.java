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

    /**
     * The clock of the breaker's time window, which resilience4j reads on every recorded call: for the system
     * time source, one that makes an {@code Instant} at most once per millisecond instead of on every read
     * (resilience4j's window counts whole seconds and its waits whole milliseconds); otherwise the wall clock
     * that moves with the time source.
     */
    static Clock breakerClock(TimeSource time, Clock wallClock) {
        return time == TimeSource.system() ? new MillisClock() : wallClock;
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

    /** The system's UTC clock in whole milliseconds, whose instant is made once per millisecond and shared. */
    static final class MillisClock extends Clock {
        /** The last instant made; racy on purpose: any thread's instant of this millisecond is as good. */
        private Tick last = new Tick(Long.MIN_VALUE, Instant.EPOCH);

        private static final class Tick {
            final long millis;
            final Instant instant;

            Tick(long millis, Instant instant) {
                this.millis = millis;
                this.instant = instant;
            }
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return zone.equals(ZoneOffset.UTC) ? this : Clock.system(zone);
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public Instant instant() {
            long now = System.currentTimeMillis();
            Tick t = last;
            if (t.millis != now) {
                t = new Tick(now, Instant.ofEpochMilli(now));
                last = t;
            }
            return t.instant;
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
