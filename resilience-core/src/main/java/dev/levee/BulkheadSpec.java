package dev.levee;

import dev.levee.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable bulkhead settings of one upstream: how many calls may be in flight to it at once. A call over
 * the limit is rejected at once ({@link Outcome#BULKHEAD_FULL}), or after waiting up to {@link #maxWait()}
 * for a permit (synchronous calls only: asynchronous calls never block a thread, so they are rejected at
 * once).
 *
 * <p>A permit is held while the upstream work actually runs: a timed-out attempt whose client ignores
 * interrupts keeps its permit until the work ends, so abandoned work can never pile up beyond the limit.
 *
 * <p>Default: 25 concurrent calls (resilience4j's default) and no waiting. By Little's law 25 permits carry
 * 250 calls/s at 100 ms each, and an upstream that hangs can hold at most 25 of the caller's threads. Polly's
 * 1,000 and Envoy's 1,024 protect a proxy, not an application's thread pool.
 *
 * <p>Built objects are thread-safe; builders are not.
 *
 * @since 0.1
 */
public final class BulkheadSpec {

    private static final BulkheadSpec DEFAULTS = new Builder().build();

    private final int maxConcurrentCalls;
    private final Duration maxWait;

    private BulkheadSpec(Builder b) {
        maxConcurrentCalls = b.maxConcurrentCalls;
        maxWait = b.maxWait;
    }

    /**
     * The default settings.
     *
     * @return the defaults, a shared instance
     */
    public static BulkheadSpec defaults() {
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

    /** @return the most calls in flight at once */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** @return how long a synchronous call waits for a permit before it is rejected */
    public Duration maxWait() {
        return maxWait;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkheadSpec s && maxConcurrentCalls == s.maxConcurrentCalls && maxWait.equals(s.maxWait);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxConcurrentCalls, maxWait);
    }

    @Override
    public String toString() {
        return "BulkheadSpec[maxConcurrentCalls=" + maxConcurrentCalls + ", maxWait=" + Check.format(maxWait) + "]";
    }

    /**
     * Builds {@link BulkheadSpec}s; validates every field in {@link #build()}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private int maxConcurrentCalls = 25;
        private Duration maxWait = Duration.ZERO;

        private Builder() {
        }

        private Builder(BulkheadSpec s) {
            maxConcurrentCalls = s.maxConcurrentCalls;
            maxWait = s.maxWait;
        }

        /**
         * @param calls the most calls in flight at once, 1 to 10,000
         * @return this builder
         */
        public Builder maxConcurrentCalls(int calls) {
            this.maxConcurrentCalls = calls;
            return this;
        }

        /**
         * @param wait how long a synchronous call waits for a permit, 0 (reject at once) to 1 min
         * @return this builder
         */
        public Builder maxWait(Duration wait) {
            this.maxWait = Objects.requireNonNull(wait, "maxWait");
            return this;
        }

        /**
         * Validates and builds the settings.
         *
         * @return the settings
         * @throws InvalidSpecException naming the first field out of range
         */
        public BulkheadSpec build() {
            Check.range("bulkhead.maxConcurrentCalls", maxConcurrentCalls, 1, 10_000);
            Check.range("bulkhead.maxWait", maxWait, Duration.ZERO, Duration.ofMinutes(1));
            return new BulkheadSpec(this);
        }
    }
}
