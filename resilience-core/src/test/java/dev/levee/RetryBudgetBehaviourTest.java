package dev.levee;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.spi.RetryRefusal;
import dev.levee.testing.ManualTimeSource;
import dev.levee.testing.RecordingObserver;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry budget caps what an outage costs the upstream, and recovers once its window has passed. */
class RetryBudgetBehaviourTest {

    private static final int MAX_ATTEMPTS = 5;
    private static final double RATIO = 0.2;
    private static final int MIN_RETRIES = 3;

    private final ManualTimeSource time = new ManualTimeSource();
    private final RecordingObserver observer = new RecordingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();
    private final AtomicInteger invocations = new AtomicInteger();

    @AfterEach
    void close() {
        upstreams.close();
    }

    private Upstream register() {
        return upstreams.register(UpstreamSpec.named("budget").timeSource(time)
                .timeoutMode(TimeoutMode.COOPERATIVE)
                .circuitBreaker(b -> b.countWindow(1_000).minimumCalls(1_000).consecutiveFailures(0)) // keep the circuit out of it
                .retry(r -> r.maxAttempts(MAX_ATTEMPTS).exponentialBackoff(ofMillis(1), 1.0).jitter(0)
                        .budget(RATIO, MIN_RETRIES, ofSeconds(10)))
                .build());
    }

    private int failingCall(Upstream u) {
        int before = invocations.get();
        assertThatThrownBy(() -> u.call(ctx -> {
            invocations.incrementAndGet();
            throw new IOException("down");
        }, Adapter.identity(), CallOptions.idempotent())).isInstanceOf(UpstreamFailureException.class);
        return invocations.get() - before;
    }

    @Test
    void duringATotalOutageRetriesAreCappedByTheBudget() {
        Upstream u = register();
        int calls = 40;
        for (int i = 0; i < calls; i++) {
            failingCall(u);
        }
        assertThat(time.slept()).as("all calls within one window").isLessThan(ofSeconds(1));
        long bound = (long) Math.floor((1 + RATIO) * calls + MIN_RETRIES);
        assertThat(invocations.get()).as("invocations of %d calls (without a budget: %d)", calls, MAX_ATTEMPTS * calls)
                .isLessThanOrEqualTo((int) bound)
                .isGreaterThan(calls + MIN_RETRIES - 1);
        long budgetRefusals = observer.refusals().stream().filter(r -> r == RetryRefusal.BUDGET).count();
        assertThat(budgetRefusals).isGreaterThan(0);
        assertThat(observer.refusals()).containsOnly(RetryRefusal.BUDGET);
        // Every attempt that the budget refused to repeat ended its call early.
        assertThat(observer.calls()).hasSize(calls)
                .filteredOn(c -> c.attempts() < MAX_ATTEMPTS).hasSize((int) budgetRefusals);
    }

    @Test
    void retriesAreAllowedAgainOnceTheWindowHasPassed() {
        Upstream u = register();
        for (int i = 0; i < 20; i++) {
            failingCall(u);
        }
        assertThat(failingCall(u)).as("budget spent").isEqualTo(1);
        time.advance(ofSeconds(10));
        observer.clear();
        // A fresh window: 1 call, 0.2 × 1 + 3 = 3.2 retries allowed, so 4 attempts and a refusal of the 5th.
        assertThat(failingCall(u)).isEqualTo(1 + MIN_RETRIES);
        assertThat(observer.refusals()).containsExactly(RetryRefusal.BUDGET);
    }

    @Test
    void aQuietUpstreamStillGetsTheFloorOfRetries() {
        Upstream u = register();
        assertThat(failingCall(u)).isEqualTo(1 + MIN_RETRIES);
        time.advance(ofSeconds(10));
        assertThat(failingCall(u)).isEqualTo(1 + MIN_RETRIES);
    }

    @Test
    void successfulCallsEarnRetries() {
        Upstream u = register();
        for (int i = 0; i < 50; i++) {
            u.call(ctx -> "ok");
        }
        // 0.2 × 51 + 3 = 13.2: the outage call gets all its retries.
        assertThat(failingCall(u)).isEqualTo(MAX_ATTEMPTS);
        assertThat(observer.refusals()).isEmpty();
    }
}
