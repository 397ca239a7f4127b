package dev.levee.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The retry budget's arithmetic and its ten-bucket sliding window, on hand-picked clock readings. */
class RetryBudgetTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long WINDOW = 10 * SECOND; // ten buckets of one second

    private static int drain(RetryBudget budget, long now) {
        int taken = 0;
        while (taken < 10_000 && budget.tryAcquireRetry(now)) {
            taken++;
        }
        return taken;
    }

    @ParameterizedTest(name = "origin {0} s")
    @ValueSource(longs = {0, 7, -3, 1_000_000})
    void allowsRatioTimesCallsPlusTheFloor(long originSeconds) {
        long t = originSeconds * SECOND;
        RetryBudget budget = new RetryBudget(WINDOW, 0.5, 2);
        assertThat(budget.remaining(t)).isEqualTo(2);
        for (int i = 0; i < 4; i++) {
            budget.recordCall(t);
        }
        assertThat(budget.remaining(t)).isEqualTo(4); // 0.5 × 4 + 2
        assertThat(budget.tryAcquireRetry(t)).isTrue();
        assertThat(budget.remaining(t)).isEqualTo(3);
        assertThat(drain(budget, t)).isEqualTo(3);
        assertThat(budget.remaining(t)).isZero();
        assertThat(budget.tryAcquireRetry(t)).isFalse();
        budget.recordCall(t);
        budget.recordCall(t); // 0.5 × 6 + 2 = 5, four taken
        assertThat(budget.remaining(t)).isEqualTo(1);
        assertThat(drain(budget, t)).isEqualTo(1);
    }

    @Test
    void remainingAlwaysEqualsTheRetriesThatCanBeTaken() {
        for (int calls = 0; calls <= 25; calls++) {
            RetryBudget budget = new RetryBudget(WINDOW, 0.2, 3);
            for (int i = 0; i < calls; i++) {
                budget.recordCall(SECOND);
            }
            long remaining = budget.remaining(SECOND);
            assertThat(remaining).as("%d calls", calls).isEqualTo((long) Math.floor(0.2 * calls + 3));
            assertThat(drain(budget, SECOND)).as("%d calls", calls).isEqualTo(remaining);
        }
    }

    @Test
    void zeroFloorAllowsNoRetryUntilEnoughCalls() {
        RetryBudget budget = new RetryBudget(WINDOW, 0.25, 0);
        budget.recordCall(0);
        budget.recordCall(0);
        budget.recordCall(0);
        assertThat(budget.remaining(0)).isZero();
        assertThat(budget.tryAcquireRetry(0)).isFalse();
        budget.recordCall(0);
        assertThat(budget.tryAcquireRetry(0)).isTrue();
        assertThat(budget.tryAcquireRetry(0)).isFalse();
    }

    @Test
    void callsAndRetriesLeaveTheWindowBucketByBucket() {
        RetryBudget budget = new RetryBudget(WINDOW, 0.5, 2);
        long t0 = 100 * SECOND;
        for (int i = 0; i < 10; i++) {
            budget.recordCall(t0); // bucket 100
        }
        assertThat(budget.remaining(t0)).isEqualTo(7);
        long t5 = t0 + 5 * SECOND;
        assertThat(budget.remaining(t5)).as("calls 5 s ago still count").isEqualTo(7);
        assertThat(budget.tryAcquireRetry(t5)).isTrue();
        assertThat(budget.tryAcquireRetry(t5)).isTrue();
        assertThat(budget.tryAcquireRetry(t5)).isTrue(); // three retries in bucket 105
        assertThat(budget.remaining(t5)).isEqualTo(4);
        long last = t0 + WINDOW - 1; // still in bucket 109: bucket 100 is the oldest of the ten
        assertThat(budget.remaining(last)).isEqualTo(4);
        long t10 = t0 + WINDOW; // bucket 110: bucket 100 has left the window, the retries of 105 have not
        assertThat(budget.remaining(t10)).isZero(); // floor 2 − 3 retries
        assertThat(budget.tryAcquireRetry(t10)).isFalse();
        long t15 = t0 + 15 * SECOND; // bucket 115: the retries of 105 have left too
        assertThat(budget.remaining(t15)).isEqualTo(2);
        assertThat(drain(budget, t15)).isEqualTo(2);
    }

    @Test
    void aReusedBucketStartsFromZero() {
        RetryBudget budget = new RetryBudget(WINDOW, 1.0, 0);
        long t0 = 3 * SECOND;
        for (int i = 0; i < 5; i++) {
            budget.recordCall(t0);
        }
        assertThat(drain(budget, t0)).isEqualTo(5);
        long sameSlot = t0 + WINDOW; // same index in the ring, next lap
        budget.recordCall(sameSlot);
        assertThat(budget.remaining(sameSlot)).isEqualTo(1);
        assertThat(drain(budget, sameSlot)).isEqualTo(1);
        // A lap later still, nothing of the old laps is left.
        assertThat(budget.remaining(sameSlot + WINDOW)).isZero();
        budget.recordCall(sameSlot + WINDOW + 1);
        budget.recordCall(sameSlot + WINDOW + 1);
        assertThat(budget.remaining(sameSlot + WINDOW + 1)).isEqualTo(2);
    }

    @Test
    void countsFromEveryBucketOfTheWindowAddUp() {
        RetryBudget budget = new RetryBudget(WINDOW, 1.0, 0);
        long t0 = 50 * SECOND;
        for (int s = 0; s < 10; s++) {
            budget.recordCall(t0 + s * SECOND); // one call in each of the ten buckets
        }
        long end = t0 + 9 * SECOND + SECOND / 2;
        assertThat(budget.remaining(end)).isEqualTo(10);
        assertThat(budget.tryAcquireRetry(end)).isTrue();
        // One second later the first bucket is gone: 9 calls, 1 retry.
        assertThat(budget.remaining(end + SECOND)).isEqualTo(8);
    }

    @Test
    void exactCapUnderContention() throws Exception {
        RetryBudget budget = new RetryBudget(WINDOW, 0.5, 10);
        for (int i = 0; i < 100; i++) {
            budget.recordCall(SECOND);
        }
        java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(() -> {
                try {
                    start.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < 100; k++) {
                    if (budget.tryAcquireRetry(SECOND)) {
                        granted.incrementAndGet();
                    }
                }
            });
            threads[i].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(granted).hasValue(60); // 0.5 × 100 + 10
    }
}
