package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.TimeoutMode;
import dev.levee.metrics.LeveeMeters;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A candidate that hangs leaves the caller's latency as it is without a migration, measured in the same
 * run, and never holds more than its bulkhead; shadowing pauses itself and says why.
 */
class ShadowIsolationTest {

    private static final int BULKHEAD = 4;
    /** Longer than the test: no shadow call ends while it runs, so exactly the bulkhead's calls reach the candidate. */
    private static final Duration CANDIDATE_TIMEOUT = Duration.ofSeconds(10);
    /** Noise allowed on a loaded 2-core machine; waiting for the candidate would cost its whole timeout. */
    private static final Duration NOISE = Duration.ofMillis(100);

    private final CountDownLatch never = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private final AtomicInteger reachedCandidate = new AtomicInteger();
    private final MigrationFixture f = new MigrationFixture(b -> b.maxConcurrentCalls(BULKHEAD)
            .timeoutMode(TimeoutMode.ENFORCED).attemptTimeout(CANDIDATE_TIMEOUT).deadline(CANDIDATE_TIMEOUT)
            .timeSource(dev.levee.TimeSource.system()));

    @AfterEach
    void close() {
        never.countDown();
        f.close();
    }

    private MigrationFixture.V2Dto hang(String customer) {
        reachedCandidate.incrementAndGet();
        mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            never.await();
            return new MigrationFixture.V2Dto(customer, List.of(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            running.decrementAndGet();
        }
    }

    @Test
    void aHangingCandidateLeavesTheCallersLatencyUnchangedAndHoldsAtMostItsBulkhead() {
        Migration<String, Recs> m = f.upstreams.migrate(f.spec(c -> new MigrationFixture.V1Dto(c, List.of(), 1.0), this::hang)
                .stage(Stage.SHADOW).shadowCallsPerSecond(10_000).build());
        dev.levee.Upstream v1 = f.upstreams.get("recs-v1");
        int rounds = 400;
        long[] direct = new long[rounds];
        long[] shadowed = new long[rounds];
        for (int i = 0; i < rounds; i++) { // interleaved, so both see the same machine load
            String key = "customer-" + i;
            long t0 = System.nanoTime();
            v1.call(ctx -> new MigrationFixture.V1Dto(key, List.of(), 1.0), MigrationFixture.V1_ADAPTER);
            long t1 = System.nanoTime();
            assertThat(m.call(key).total()).isEqualTo(1.0);
            long t2 = System.nanoTime();
            direct[i] = t1 - t0;
            shadowed[i] = t2 - t1;
            assertThat(f.upstreams.get("recs-v2").inFlight()).isLessThanOrEqualTo(BULKHEAD);
        }
        long p99Direct = p99(direct);
        long p99Shadowed = p99(shadowed);
        System.out.printf("FIGURES hanging candidate in SHADOW: %d calls each, p99 without a migration %.3f ms, with %.3f ms"
                + " (candidate timeout %d ms)%n", rounds, p99Direct / 1e6, p99Shadowed / 1e6, CANDIDATE_TIMEOUT.toMillis());
        // Within noise: a hand-off of the shadow call is tens of microseconds; waiting for the candidate
        // would be its timeout.
        assertThat(Duration.ofNanos(p99Shadowed)).as("p99 with SHADOW (p99 without: %s)", Duration.ofNanos(p99Direct))
                .isLessThan(Duration.ofNanos(p99Direct).plus(NOISE));
        assertThat(Duration.ofNanos(Arrays.stream(shadowed).max().getAsLong())).isLessThan(Duration.ofSeconds(1));

        assertThat(mostRunning.get()).as("candidate calls running at once").isLessThanOrEqualTo(BULKHEAD);
        assertThat(reachedCandidate.get()).isEqualTo(BULKHEAD);
        MigrationReport r = m.report();
        assertThat(r.shadowCalls().get("saturated")).isEqualTo(rounds - BULKHEAD);
        assertThat(r.shadowPaused()).contains("slow").contains("recs-v2");
        assertThat(f.registry.get(LeveeMeters.MIGRATION_SHADOW_PAUSED).gauge().value()).isEqualTo(1);
        assertThat(f.registry.get(LeveeMeters.MIGRATION_SHADOW_IN_FLIGHT).gauge().value()).isEqualTo(BULKHEAD);
        assertThat(f.logged()).containsOnlyOnce("shadowing paused");
    }

    private static long p99(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
    }
}
