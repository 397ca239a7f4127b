package dev.levee;

import dev.levee.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable retry settings of one upstream. Only idempotent calls are retried, only after a retryable
 * outcome ({@link Outcome#isRetryable()}), only while the call's deadline leaves room for the wait, and only
 * while the retry budget allows.
 *
 * <p><b>Backoff.</b> Before retry {@code n} (n = 1 for the second attempt) the wait is
 * {@code min(maxBackoff, initialBackoff × multiplier^(n-1))}, spread uniformly by {@code ± jitter} of itself
 * (and capped at {@code maxBackoff} again), or the upstream's retry-after hint if that is longer.
 *
 * <p><b>Retry budget.</b> Over a sliding {@link #budgetWindow()}, retries may add at most
 * {@link #budgetRatio()} × calls + {@link #budgetMinRetries()} extra attempts: during a total outage an
 * upstream receives at most (1 + ratio) × calls + floor attempts per window instead of
 * {@code maxAttempts} × calls. The floor lets a quiet upstream still retry at all.
 *
 * <table>
 * <caption>Defaults and why</caption>
 * <tr><th>setting</th><th>default</th><th>why</th></tr>
 * <tr><td>max attempts</td><td>3</td><td>resilience4j's default; a third try rarely succeeds where two failed.</td></tr>
 * <tr><td>backoff</td><td>100 ms × 2^n, ± 50%, at most 2 s</td><td>jitter spreads retries of many callers
 *     (Polly's standard handler); 100 ms fits a 3 s deadline where Polly's 2 s start does not.</td></tr>
 * <tr><td>budget</td><td>20% of calls + 10 per 10 s</td><td>Envoy's and Finagle's budgets: an outage is not multiplied
 *     by max attempts.</td></tr>
 * </table>
 *
 * <p>Built objects are thread-safe; builders are not.
 *
 * @since 0.1
 */
public final class RetrySpec {

    private static final RetrySpec DEFAULTS = new Builder().build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double multiplier;
    private final double jitter;
    private final Duration maxBackoff;
    private final double budgetRatio;
    private final int budgetMinRetries;
    private final Duration budgetWindow;

    private RetrySpec(Builder b) {
        maxAttempts = b.maxAttempts;
        initialBackoff = b.initialBackoff;
        multiplier = b.multiplier;
        jitter = b.jitter;
        maxBackoff = b.maxBackoff;
        budgetRatio = b.budgetRatio;
        budgetMinRetries = b.budgetMinRetries;
        budgetWindow = b.budgetWindow;
    }

    /**
     * The default settings.
     *
     * @return the defaults, a shared instance
     */
    public static RetrySpec defaults() {
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

    /** @return the most attempts a call makes, the first included; 1 means no retries */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the wait before the first retry, before jitter */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the factor by which the wait grows from one retry to the next */
    public double multiplier() {
        return multiplier;
    }

    /** @return the share of the wait by which it is randomly spread, 0 to 1 */
    public double jitter() {
        return jitter;
    }

    /** @return the longest wait between attempts, whatever the multiplier */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the share of calls that retries may add over the budget window, 0 to 1 */
    public double budgetRatio() {
        return budgetRatio;
    }

    /** @return the retries always allowed per budget window, whatever the traffic */
    public int budgetMinRetries() {
        return budgetMinRetries;
    }

    /** @return the sliding window over which the budget counts calls and retries */
    public Duration budgetWindow() {
        return budgetWindow;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetrySpec s && maxAttempts == s.maxAttempts && initialBackoff.equals(s.initialBackoff)
                && multiplier == s.multiplier && jitter == s.jitter && maxBackoff.equals(s.maxBackoff)
                && budgetRatio == s.budgetRatio && budgetMinRetries == s.budgetMinRetries
                && budgetWindow.equals(s.budgetWindow);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, initialBackoff, multiplier, jitter, maxBackoff, budgetRatio, budgetMinRetries, budgetWindow);
    }

    @Override
    public String toString() {
        return "RetrySpec[maxAttempts=" + maxAttempts + ", initialBackoff=" + Check.format(initialBackoff)
                + ", multiplier=" + multiplier + ", jitter=" + jitter + ", maxBackoff=" + Check.format(maxBackoff)
                + ", budgetRatio=" + budgetRatio + ", budgetMinRetries=" + budgetMinRetries
                + ", budgetWindow=" + Check.format(budgetWindow) + "]";
    }

    /**
     * Builds {@link RetrySpec}s; validates every field in {@link #build()}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(100);
        private double multiplier = 2.0;
        private double jitter = 0.5;
        private Duration maxBackoff = Duration.ofSeconds(2);
        private double budgetRatio = 0.2;
        private int budgetMinRetries = 10;
        private Duration budgetWindow = Duration.ofSeconds(10);

        private Builder() {
        }

        private Builder(RetrySpec s) {
            maxAttempts = s.maxAttempts;
            initialBackoff = s.initialBackoff;
            multiplier = s.multiplier;
            jitter = s.jitter;
            maxBackoff = s.maxBackoff;
            budgetRatio = s.budgetRatio;
            budgetMinRetries = s.budgetMinRetries;
            budgetWindow = s.budgetWindow;
        }

        /**
         * @param attempts the most attempts per call, the first included, 1 (no retries) to 10
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Sets an exponential backoff.
         *
         * @param initial the wait before the first retry, 1 ms to 1 min
         * @param multiplier the growth factor per retry, 1 to 10
         * @return this builder
         */
        public Builder exponentialBackoff(Duration initial, double multiplier) {
            this.initialBackoff = Objects.requireNonNull(initial, "initialBackoff");
            this.multiplier = multiplier;
            return this;
        }

        /**
         * @param share the share of each wait by which it is randomly spread, 0 (none) to 1
         * @return this builder
         */
        public Builder jitter(double share) {
            this.jitter = share;
            return this;
        }

        /**
         * @param max the longest wait between attempts, from the initial backoff to 5 min
         * @return this builder
         */
        public Builder maxBackoff(Duration max) {
            this.maxBackoff = Objects.requireNonNull(max, "maxBackoff");
            return this;
        }

        /**
         * Sets the retry budget.
         *
         * @param ratio the share of calls that retries may add, 0 to 1
         * @param minRetries the retries always allowed per window, 0 to 1,000
         * @param window the sliding window, 1 s to 10 min
         * @return this builder
         */
        public Builder budget(double ratio, int minRetries, Duration window) {
            this.budgetRatio = ratio;
            this.budgetMinRetries = minRetries;
            this.budgetWindow = Objects.requireNonNull(window, "budgetWindow");
            return this;
        }

        /**
         * Validates and builds the settings.
         *
         * @return the settings
         * @throws InvalidSpecException naming the first field out of range
         */
        public RetrySpec build() {
            Check.range("retry.maxAttempts", maxAttempts, 1, 10);
            Check.range("retry.initialBackoff", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(1));
            Check.range("retry.multiplier", multiplier, 1.0, 10.0);
            Check.range("retry.jitter", jitter, 0.0, 1.0);
            Check.range("retry.maxBackoff", maxBackoff, initialBackoff, Duration.ofMinutes(5));
            Check.range("retry.budgetRatio", budgetRatio, 0.0, 1.0);
            Check.range("retry.budgetMinRetries", budgetMinRetries, 0, 1_000);
            Check.range("retry.budgetWindow", budgetWindow, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return new RetrySpec(this);
        }
    }
}
