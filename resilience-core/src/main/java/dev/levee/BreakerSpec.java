package dev.levee;

import dev.levee.internal.Check;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Immutable circuit breaker settings of one upstream. The breaker opens when, over its sliding window and
 * after at least {@link #minimumCalls()} calls, the share of failed calls reaches
 * {@link #failureRateThreshold()} or the share of slow calls reaches {@link #slowCallRateThreshold()}.
 * While open it rejects every call for {@link #waitInOpenState()}, then lets
 * {@link #halfOpenProbes()} probe calls through: if they fail at the threshold rate it opens again,
 * otherwise it closes.
 *
 * <p>Beside the windowed rates, a run of {@link #consecutiveFailures()} failed attempts in a row opens the
 * circuit at once. A rate over a 30 s window cannot see a hard outage behind the thousands of successes
 * recorded before it (a stopped database behind 8 busy threads took 28 s to open the circuit); a run of
 * failures can, at any traffic level. Any success ends the run, so random errors almost never make one:
 * at 2% errors, a run of 5 turns up once in about 300 million attempts.
 *
 * <table>
 * <caption>Defaults and why</caption>
 * <tr><th>setting</th><th>default</th><th>why</th></tr>
 * <tr><td>failure rate threshold</td><td>50%</td><td>resilience4j's default; an upstream failing every other call is
 *     not worth waiting on. Polly's 10% opens on noise at low traffic.</td></tr>
 * <tr><td>window</td><td>time-based, 30 s</td><td>Polly's standard handler: a time window reacts the same at any
 *     traffic level, where a count window of 100 takes minutes to fill on a quiet upstream.</td></tr>
 * <tr><td>minimum calls</td><td>20</td><td>enough for a rate to mean something; resilience4j's 100 never opens on
 *     an upstream called a few times a second.</td></tr>
 * <tr><td>slow call threshold</td><td>500 ms, or the attempt timeout if shorter</td><td>a call slower than this
 *     holds a bulkhead permit for most of its timeout.</td></tr>
 * <tr><td>slow call rate threshold</td><td>100%</td><td>slowness alone opens the circuit only when every call is
 *     slow; health reports the upstream degraded long before.</td></tr>
 * <tr><td>wait in open state</td><td>10 s</td><td>between Polly's 5 s (probes a struggling upstream often) and
 *     resilience4j's 60 s (a minute of lost feature after a blip).</td></tr>
 * <tr><td>half-open probes</td><td>5</td><td>few enough not to hit a recovering upstream hard, enough to judge.</td></tr>
 * <tr><td>consecutive failures</td><td>5</td><td>Envoy's outlier detection (5 consecutive 5xx): opens within about
 *     a second of a hard outage at 10 calls/s and more, after 5 failed attempts at any lower rate, and not on a
 *     1% or 2% error rate.</td></tr>
 * </table>
 *
 * <p>Built objects are thread-safe; builders are not.
 *
 * @since 0.1
 */
public final class BreakerSpec {

    /** How the sliding window is measured. */
    public enum WindowType {
        /** The last N calls. */
        COUNT_BASED,
        /** The calls of the last N seconds. */
        TIME_BASED
    }

    /** The default slow call threshold, lowered to the attempt timeout when that is shorter. */
    public static final Duration DEFAULT_SLOW_CALL_THRESHOLD = Duration.ofMillis(500);

    private static final BreakerSpec DEFAULTS = new Builder().build();

    private final float failureRateThreshold;
    private final @Nullable Duration slowCallThreshold;
    private final float slowCallRateThreshold;
    private final WindowType windowType;
    private final int windowSize;
    private final int minimumCalls;
    private final Duration waitInOpenState;
    private final int halfOpenProbes;
    private final int consecutiveFailures;

    private BreakerSpec(Builder b) {
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallThreshold = b.slowCallThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.windowType = b.windowType;
        this.windowSize = b.windowSize;
        this.minimumCalls = b.minimumCalls;
        this.waitInOpenState = b.waitInOpenState;
        this.halfOpenProbes = b.halfOpenProbes;
        this.consecutiveFailures = b.consecutiveFailures;
    }

    /**
     * The default settings.
     *
     * @return the defaults, a shared instance
     */
    public static BreakerSpec defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the failure rate, in percent, at which the circuit opens */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /**
     * The duration above which a call counts as slow, if set explicitly; otherwise the upstream uses
     * {@link #DEFAULT_SLOW_CALL_THRESHOLD} or its attempt timeout, whichever is shorter (see
     * {@link UpstreamSpec#slowCallThreshold()}).
     *
     * @return the explicit threshold, or empty
     */
    public Optional<Duration> slowCallThreshold() {
        return Optional.ofNullable(slowCallThreshold);
    }

    /** @return the slow call rate, in percent, at which the circuit opens */
    public float slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** @return how the window is measured */
    public WindowType windowType() {
        return windowType;
    }

    /** @return the window's size: calls for {@link WindowType#COUNT_BASED}, seconds for {@link WindowType#TIME_BASED} */
    public int windowSize() {
        return windowSize;
    }

    /** @return how many calls the window must hold before a rate can open the circuit */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** @return how long the circuit stays open before probing */
    public Duration waitInOpenState() {
        return waitInOpenState;
    }

    /** @return how many probe calls the half-open state admits */
    public int halfOpenProbes() {
        return halfOpenProbes;
    }

    /**
     * How many failed attempts in a row open the circuit whatever the windowed rates say; 0 if only the rates
     * open it. Attempts that failed, timed out or broke an expectation count; a success or a caller fault ends
     * the run; rejections and cancellations neither count nor end it.
     *
     * @return the run of failures that opens the circuit, or 0
     * @since 0.2
     */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BreakerSpec s && failureRateThreshold == s.failureRateThreshold
                && Objects.equals(slowCallThreshold, s.slowCallThreshold) && slowCallRateThreshold == s.slowCallRateThreshold
                && windowType == s.windowType && windowSize == s.windowSize && minimumCalls == s.minimumCalls
                && waitInOpenState.equals(s.waitInOpenState) && halfOpenProbes == s.halfOpenProbes
                && consecutiveFailures == s.consecutiveFailures;
    }

    @Override
    public int hashCode() {
        return Objects.hash(failureRateThreshold, slowCallThreshold, slowCallRateThreshold, windowType, windowSize,
                minimumCalls, waitInOpenState, halfOpenProbes, consecutiveFailures);
    }

    @Override
    public String toString() {
        return "BreakerSpec[failureRateThreshold=" + failureRateThreshold + ", slowCallThreshold="
                + (slowCallThreshold == null ? "default" : Check.format(slowCallThreshold))
                + ", slowCallRateThreshold=" + slowCallRateThreshold + ", window=" + windowType + "/" + windowSize
                + ", minimumCalls=" + minimumCalls + ", waitInOpenState=" + Check.format(waitInOpenState)
                + ", halfOpenProbes=" + halfOpenProbes + ", consecutiveFailures=" + consecutiveFailures + "]";
    }

    /**
     * Builds {@link BreakerSpec}s; validates every field in {@link #build()}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private float failureRateThreshold = 50;
        private @Nullable Duration slowCallThreshold;
        private float slowCallRateThreshold = 100;
        private WindowType windowType = WindowType.TIME_BASED;
        private int windowSize = 30;
        private int minimumCalls = 20;
        private Duration waitInOpenState = Duration.ofSeconds(10);
        private int halfOpenProbes = 5;
        private int consecutiveFailures = 5;

        private Builder() {
        }

        private Builder(BreakerSpec s) {
            failureRateThreshold = s.failureRateThreshold;
            slowCallThreshold = s.slowCallThreshold;
            slowCallRateThreshold = s.slowCallRateThreshold;
            windowType = s.windowType;
            windowSize = s.windowSize;
            minimumCalls = s.minimumCalls;
            waitInOpenState = s.waitInOpenState;
            halfOpenProbes = s.halfOpenProbes;
            consecutiveFailures = s.consecutiveFailures;
        }

        /**
         * @param percent the failure rate at which the circuit opens, 1 to 100
         * @return this builder
         */
        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = percent;
            return this;
        }

        /**
         * @param threshold the duration above which a call counts as slow, 1 ms to the attempt timeout
         * @return this builder
         */
        public Builder slowCallThreshold(Duration threshold) {
            this.slowCallThreshold = Objects.requireNonNull(threshold, "slowCallThreshold");
            return this;
        }

        /**
         * @param percent the slow call rate at which the circuit opens, 1 to 100
         * @return this builder
         */
        public Builder slowCallRateThreshold(float percent) {
            this.slowCallRateThreshold = percent;
            return this;
        }

        /**
         * Measures rates over the last {@code calls} calls.
         *
         * @param calls the window's size, 1 to 10,000
         * @return this builder
         */
        public Builder countWindow(int calls) {
            this.windowType = WindowType.COUNT_BASED;
            this.windowSize = calls;
            return this;
        }

        /**
         * Measures rates over the calls of the last {@code window}, in whole seconds.
         *
         * @param window the window's length, 1 s to 1 h
         * @return this builder
         * @throws InvalidSpecException if the window is not a whole number of seconds
         */
        public Builder timeWindow(Duration window) {
            Objects.requireNonNull(window, "timeWindow");
            if (window.getNano() != 0) {
                throw new InvalidSpecException("circuitBreaker.timeWindow", Check.format(window), "a whole number of seconds");
            }
            this.windowType = WindowType.TIME_BASED;
            // clamped, never wrapped, into an int: the range (1 s to 1 h) is checked in build()
            this.windowSize = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, window.getSeconds()));
            return this;
        }

        /**
         * @param calls how many calls the window must hold before a rate can open the circuit, 1 to the
         *     window's size for a count window (1 to 10,000 for a time window)
         * @return this builder
         */
        public Builder minimumCalls(int calls) {
            this.minimumCalls = calls;
            return this;
        }

        /**
         * @param wait how long the circuit stays open before probing, 1 ms to 1 h
         * @return this builder
         */
        public Builder waitInOpenState(Duration wait) {
            this.waitInOpenState = Objects.requireNonNull(wait, "waitInOpenState");
            return this;
        }

        /**
         * @param probes how many probe calls the half-open state admits, 1 to 1,000
         * @return this builder
         */
        public Builder halfOpenProbes(int probes) {
            this.halfOpenProbes = probes;
            return this;
        }

        /**
         * Opens the circuit after {@code attempts} failed attempts in a row, whatever the windowed rates say.
         *
         * @param attempts the run of failed attempts that opens the circuit, 1 to 1,000; 0 to let only the
         *     rates open it
         * @return this builder
         * @since 0.2
         */
        public Builder consecutiveFailures(int attempts) {
            this.consecutiveFailures = attempts;
            return this;
        }

        /**
         * Validates and builds the settings.
         *
         * @return the settings
         * @throws InvalidSpecException naming the first field out of range
         */
        public BreakerSpec build() {
            Check.range("circuitBreaker.failureRateThreshold", failureRateThreshold, 1, 100);
            Check.range("circuitBreaker.slowCallRateThreshold", slowCallRateThreshold, 1, 100);
            if (slowCallThreshold != null) {
                Check.range("circuitBreaker.slowCallThreshold", slowCallThreshold, Duration.ofMillis(1), Duration.ofHours(1));
            }
            if (windowType == WindowType.COUNT_BASED) {
                Check.range("circuitBreaker.countWindow", windowSize, 1, 10_000);
                Check.range("circuitBreaker.minimumCalls", minimumCalls, 1, windowSize);
            } else {
                Check.range("circuitBreaker.timeWindow", Duration.ofSeconds(windowSize), Duration.ofSeconds(1), Duration.ofHours(1));
                Check.range("circuitBreaker.minimumCalls", minimumCalls, 1, 10_000);
            }
            Check.range("circuitBreaker.waitInOpenState", waitInOpenState, Duration.ofMillis(1), Duration.ofHours(1));
            Check.range("circuitBreaker.halfOpenProbes", halfOpenProbes, 1, 1_000);
            Check.range("circuitBreaker.consecutiveFailures", consecutiveFailures, 0, 1_000);
            return new BreakerSpec(this);
        }
    }
}
