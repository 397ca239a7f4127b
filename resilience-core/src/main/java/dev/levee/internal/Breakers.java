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
import org.jspecify.annotations.Nullable;

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
     * The clock of the breaker, which resilience4j reads on every recorded call (its time window) and on every
     * permit while open (its wait). See {@link BreakerClock}.
     */
    static BreakerClock breakerClock(TimeSource time) {
        return new BreakerClock(time);
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

    /**
     * The breaker's clock: it moves with the upstream's time source (monotonic, so a wall-clock jump neither
     * empties the window nor ends a wait early), and it is cheap on the call path. Recording an attempt reads
     * resilience4j's clock once more after the attempt's own end was read; {@link #hint} hands that reading
     * over, so the record costs no second clock read (~20 ns here). A hint is seen only by the thread that
     * gave it, between {@link #hint} and {@link #unhint}; every other read reads the time source. For the
     * system time source, instants are whole milliseconds (resilience4j's window counts seconds and its waits
     * milliseconds) and one instant is made per millisecond and shared, instead of one per read.
     */
    static final class BreakerClock extends UtcClock {
        private final TimeSource time;
        private final boolean system;
        private final long originNanos;
        private final long originMillis;
        private final Instant origin;
        // Plain fields, racy on purpose. A thread that sees itself as the owner sees its own hint or a later
        // one by another thread: either is a reading of the time source from moments ago.
        private @Nullable Thread hintOwner;
        private long hintNanos;
        private Tick last = new Tick(Long.MIN_VALUE, Instant.EPOCH);

        private static final class Tick {
            final long millis;
            final Instant instant;

            Tick(long millis, Instant instant) {
                this.millis = millis;
                this.instant = instant;
            }
        }

        BreakerClock(TimeSource time) {
            this.time = time;
            this.system = time == TimeSource.system();
            this.originNanos = time.nanoTime();
            this.origin = Instant.now();
            this.originMillis = origin.toEpochMilli();
        }

        /** Until {@link #unhint}, this thread's reads return {@code nanos}, a reading just taken of the time source. */
        void hint(long nanos) {
            hintNanos = nanos;
            hintOwner = Thread.currentThread();
        }

        void unhint() {
            hintOwner = null;
        }

        @Override
        public Instant instant() {
            long nanos = hintOwner == Thread.currentThread() ? hintNanos : time.nanoTime();
            if (!system) {
                return origin.plusNanos(nanos - originNanos);
            }
            long millis = originMillis + Math.floorDiv(nanos - originNanos, 1_000_000L);
            Tick t = last;
            if (t.millis != millis) {
                t = new Tick(millis, Instant.ofEpochMilli(millis));
                last = t;
            }
            return t.instant;
        }
    }

    /** A clock in UTC that ignores zone changes: the two clocks below differ only in how they read time. */
    abstract static class UtcClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A wall clock that moves with a (possibly manual) time source, for health's "since". */
    static final class TimeSourceClock extends UtcClock {
        private final TimeSource time;
        private final long originNanos;
        private final Instant origin;

        TimeSourceClock(TimeSource time) {
            this.time = time;
            this.originNanos = time.nanoTime();
            this.origin = Instant.now();
        }

        @Override
        public Instant instant() {
            return origin.plusNanos(time.nanoTime() - originNanos);
        }
    }
}
