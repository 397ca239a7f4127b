package dev.levee;

import java.util.concurrent.TimeUnit;

/**
 * The source of time for an upstream's accounting: call durations, deadlines, circuit breaker windows and
 * waits, retry budget windows and sleeps between retries. Replace it in tests to drive time by hand.
 *
 * <p>Attempt timeouts of running work are always enforced on the JVM's real clock.
 * Implementations must be thread-safe.
 *
 * @since 0.1
 */
public interface TimeSource {

    /**
     * A monotonic reading in nanoseconds, comparable only with other readings of the same source.
     *
     * @return the current reading
     */
    long nanoTime();

    /**
     * Waits for the given time before a retry on the calling thread.
     *
     * @param nanos how long to wait, in nanoseconds; zero or less returns at once
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    default void sleep(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    /**
     * The JVM's monotonic clock ({@link System#nanoTime()}) and real sleeps.
     *
     * @return the system time source, a shared instance
     */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}

/** The default time source. */
enum SystemTimeSource implements TimeSource {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
