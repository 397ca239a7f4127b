package dev.levee.internal;

import dev.levee.RetrySpec;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/** Exponential backoff with jitter and a cap; an upstream's retry-after hint wins if it is longer. */
final class Backoff {

    private final double initialNanos;
    private final double multiplier;
    private final double jitter;
    private final double maxNanos;
    private final DoubleSupplier random;

    Backoff(RetrySpec spec) {
        this(spec, () -> ThreadLocalRandom.current().nextDouble());
    }

    Backoff(RetrySpec spec, DoubleSupplier random) {
        this.initialNanos = spec.initialBackoff().toNanos();
        this.multiplier = spec.multiplier();
        this.jitter = spec.jitter();
        this.maxNanos = spec.maxBackoff().toNanos();
        this.random = random;
    }

    /**
     * The wait before retry {@code retry} (1 before the second attempt).
     *
     * @param retry the retry's number, from 1
     * @param retryAfterNanos the upstream's hint, 0 if none
     */
    long delayNanos(int retry, long retryAfterNanos) {
        double base = Math.min(maxNanos, initialNanos * Math.pow(multiplier, retry - 1));
        double spread = base * jitter;
        double delay = Math.min(maxNanos, base - spread + random.getAsDouble() * 2 * spread);
        return Math.max((long) delay, retryAfterNanos);
    }
}
