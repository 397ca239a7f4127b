package dev.levee.testing;

import dev.levee.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A time source driven by hand: time moves only when a test advances it, and a retry's sleep advances it
 * at once instead of waiting.
 */
public final class ManualTimeSource implements TimeSource {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong slept = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public void sleep(long nanosToSleep) {
        if (nanosToSleep > 0) {
            slept.addAndGet(nanosToSleep);
            nanos.addAndGet(nanosToSleep);
        }
    }

    /** Moves time forward. */
    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** The total time that retries have slept on this source. */
    public Duration slept() {
        return Duration.ofNanos(slept.get());
    }
}
