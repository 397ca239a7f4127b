package dev.levee.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Levee's {@link OutcomeWindow} against resilience4j's own time window, on one manual clock: the same counts
 * after every record and every read, and the circuit opening at exactly the same record, over long seeded
 * runs of successes, failures and slow calls spread over seconds that leave the window.
 */
class OutcomeWindowTest {

    private static final long MS = 1_000_000L;
    private static final long SLOW = 500 * MS;

    /** A clock the test moves; resilience4j reads its window's seconds from it. */
    private static final class ManualClock extends Breakers.UtcClock {
        long nanos;

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(nanos);
        }
    }

    @Test
    void decidesAndCountsExactlyAsResilience4jsTimeWindow() {
        for (long seed = 1; seed <= 20; seed++) {
            compareWithResilience4j(seed, 5, 10, 50, 80);
            compareWithResilience4j(seed, 30, 20, 50, 100);
        }
    }

    private static void compareWithResilience4j(long seed, int seconds, int minimumCalls, float failureRate, float slowRate) {
        ManualClock clock = new ManualClock();
        CircuitBreaker r4j = CircuitBreaker.of("reference", CircuitBreakerConfig.custom()
                .slidingWindow(seconds, minimumCalls, CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .failureRateThreshold(failureRate).slowCallRateThreshold(slowRate)
                .slowCallDurationThreshold(Duration.ofNanos(SLOW)).recordException(t -> true)
                .clock(clock).build());
        OutcomeWindow levee = new OutcomeWindow(seconds, minimumCalls, failureRate, slowRate, SLOW, 0L, 4);
        Random random = new Random(seed);
        int openings = 0;
        for (int step = 0; step < 3_000; step++) {
            // Mostly calls within a second, sometimes a pause of up to a whole window.
            clock.nanos += random.nextInt(10) == 0 ? random.nextInt(seconds * 1_000) * MS : random.nextInt(200) * MS;
            boolean outage = step / 300 % 2 == 1; // healthy and failing phases in turn
            int kind = random.nextInt(10);
            boolean failed = kind < (outage ? 7 : 1);
            long took = kind == 9 || (failed && random.nextBoolean()) ? SLOW + random.nextInt(100) * MS : random.nextInt(100) * MS;
            if (failed) {
                r4j.onError(took, TimeUnit.NANOSECONDS, new Exception("failed"));
            } else {
                r4j.onSuccess(took, TimeUnit.NANOSECONDS);
            }
            boolean opens = levee.record(clock.nanos, took, failed);
            String at = "seed " + seed + ", step " + step + ", window " + seconds + " s";
            assertThat(opens).as("opens at this record: " + at).isEqualTo(r4j.getState() == CircuitBreaker.State.OPEN);
            if (opens) { // both start afresh, as a circuit that closes again does
                openings++;
                r4j.reset();
                levee = new OutcomeWindow(seconds, minimumCalls, failureRate, slowRate, SLOW, 0L, 4);
                continue;
            }
            OutcomeWindow.Counts c = levee.counts(clock.nanos);
            CircuitBreaker.Metrics m = r4j.getMetrics();
            assertThat(new int[] {c.calls(), c.failed(), c.slow(), c.slowFailed()}).as("counts: " + at).containsExactly(
                    m.getNumberOfBufferedCalls(), m.getNumberOfFailedCalls(), m.getNumberOfSlowCalls(), m.getNumberOfSlowFailedCalls());
            assertThat(c.failureRate()).as("failure rate: " + at).isEqualTo(m.getFailureRate());
            assertThat(c.slowCallRate()).as("slow-call rate: " + at).isEqualTo(m.getSlowCallRate());
        }
        assertThat(openings).as("the run opened the circuit (seed %d)", seed).isPositive();
    }

    @Test
    void aReadingOlderThanTheWindowIsNotCounted() {
        OutcomeWindow w = new OutcomeWindow(2, 1, 50, 100, SLOW, 0L, 2);
        w.record(5_000 * MS, MS, false); // the window's time is second 5: it holds seconds 4 and 5
        w.record(3_999 * MS, MS, true); // second 3, read before the clock moved on: already out
        w.record(4_000 * MS, MS, false);
        OutcomeWindow.Counts c = w.counts(5_000 * MS);
        assertThat(c.calls()).isEqualTo(2);
        assertThat(c.failed()).isZero();
        assertThat(w.counts(6_000 * MS).calls()).as("second 4 leaves at second 6").isEqualTo(1);
        assertThat(w.counts(7_000 * MS).calls()).isZero();
    }

    @Test
    void threadsRecordingAtOnceLoseNoCount() throws Exception {
        OutcomeWindow w = new OutcomeWindow(30, 1, 100, 100, SLOW, 0L, 2);
        int threads = 4;
        int each = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            boolean failing = t % 2 == 0;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    w.record(i % 1_000 * MS, MS, failing); // all within second 0
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(30_000);
            assertThat(worker.isAlive()).as("a recording thread is stuck").isFalse();
        }
        OutcomeWindow.Counts c = w.counts(999 * MS);
        assertThat(c.calls()).isEqualTo(threads * each);
        assertThat(c.failed()).isEqualTo(threads / 2 * each);
    }
}
