package dev.levee;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.spi.RetryRefusal;
import dev.levee.testing.ManualTimeSource;
import dev.levee.testing.RecordingObserver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The call's deadline: it clamps each attempt's time and refuses waits that would pass it. */
class DeadlineTest {

    private final ManualTimeSource time = new ManualTimeSource();
    private final RecordingObserver observer = new RecordingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();
    private final AtomicInteger invocations = new AtomicInteger();
    private final List<Duration> remainingAtStart = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        upstreams.close();
    }

    /** Attempts of 400 ms within a deadline of 1 s; 10 ms between attempts, no jitter. */
    private Upstream register(Consumer<UpstreamSpec.Builder> custom) {
        UpstreamSpec.Builder b = UpstreamSpec.named("deadline").timeSource(time)
                .timeoutMode(TimeoutMode.COOPERATIVE)
                .attemptTimeout(ofMillis(400))
                .deadline(ofSeconds(1))
                .circuitBreaker(cb -> cb.countWindow(100).minimumCalls(100))
                .retry(r -> r.maxAttempts(5).exponentialBackoff(ofMillis(10), 1.0).jitter(0).maxBackoff(ofMillis(10))
                        .budget(1.0, 1_000, ofSeconds(10)));
        custom.accept(b);
        return upstreams.register(b.build());
    }

    /** A client that honours the time it is given, then gives up. */
    private UpstreamCall<String> usesAllItsTime() {
        return ctx -> {
            invocations.incrementAndGet();
            remainingAtStart.add(ctx.remaining());
            time.advance(ctx.remaining());
            throw new IOException("read timed out");
        };
    }

    @Test
    void eachAttemptIsClampedToWhatIsLeftOfTheDeadline() {
        Upstream u = register(b -> { });
        assertThatThrownBy(() -> u.call(usesAllItsTime(), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(Outcome.DEADLINE_EXCEEDED);
                    assertThat(e.deadline()).isEqualTo(ofSeconds(1));
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e).hasCauseInstanceOf(IOException.class);
                });
        // 0 ms: 400 ms; 410 ms: 400 ms; 820 ms: only 180 ms left of the deadline.
        assertThat(remainingAtStart).containsExactly(ofMillis(400), ofMillis(400), ofMillis(180));
        assertThat(invocations).hasValue(3);
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.TIMEOUT, Outcome.TIMEOUT, Outcome.DEADLINE_EXCEEDED);
        assertThat(observer.calls()).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.DEADLINE_EXCEEDED);
            assertThat(c.attempts()).isEqualTo(3);
            assertThat(c.durationNanos()).isEqualTo(ofSeconds(1).toNanos());
        });
        assertThat(time.slept()).isEqualTo(ofMillis(20));
    }

    @Test
    void remainingCountsDownInsideTheAttempt() {
        Upstream u = register(b -> { });
        List<Duration> seen = new CopyOnWriteArrayList<>();
        String answer = u.call(ctx -> {
            seen.add(ctx.remaining());
            time.advance(ofMillis(150));
            seen.add(ctx.remaining());
            time.advance(ofMillis(300));
            seen.add(ctx.remaining());
            return "late but fine";
        });
        assertThat(answer).isEqualTo("late but fine");
        assertThat(seen).containsExactly(ofMillis(400), ofMillis(250), Duration.ZERO);
    }

    @Test
    void anUnclampedFirstAttemptTimesOutAndNoRetryFitsTheDeadline() {
        // The deadline equals the attempt timeout: the first attempt is not clamped, and its end is a timeout.
        Upstream plain = register(b -> b.deadline(ofMillis(400)));
        assertThatThrownBy(() -> plain.call(usesAllItsTime(), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOf(DeadlineExceededException.class).hasCauseInstanceOf(UpstreamTimeoutException.class);
        assertThat(observer.refusals()).containsExactly(RetryRefusal.DEADLINE);
    }

    @Test
    void deadlineExceededAttemptsAreNotHeldAgainstTheUpstream() {
        Upstream u = register(b -> { });
        assertThatThrownBy(() -> u.call(usesAllItsTime(), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOf(DeadlineExceededException.class);
        CircuitBreaker.Metrics m = u.unwrap(CircuitBreaker.class).getMetrics();
        assertThat(m.getNumberOfBufferedCalls()).as("the two timeouts only").isEqualTo(2);
        assertThat(m.getNumberOfFailedCalls()).isEqualTo(2);
    }

    @Test
    void aFastFailureInAClampedAttemptIsAnOrdinaryFailure() {
        Upstream u = register(b -> b.retry(r -> r.maxAttempts(3)));
        assertThatThrownBy(() -> u.call(ctx -> {
            invocations.incrementAndGet();
            remainingAtStart.add(ctx.remaining());
            if (ctx.attempt() < 3) {
                time.advance(ctx.remaining());
            } else {
                time.advance(ofMillis(50)); // 50 of the 180 ms left
            }
            throw new IOException("boom");
        }, Adapter.identity(), CallOptions.idempotent())).isInstanceOf(UpstreamFailureException.class);
        assertThat(remainingAtStart).containsExactly(ofMillis(400), ofMillis(400), ofMillis(180));
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.TIMEOUT, Outcome.TIMEOUT, Outcome.FAILURE);
    }

    @Test
    void noRetryStartsWhenTheWaitWouldPassTheDeadline() {
        Upstream u = register(b -> b.attemptTimeout(ofSeconds(1))
                .retry(r -> r.exponentialBackoff(ofMillis(300), 1.0).maxBackoff(ofMillis(300))));
        assertThatThrownBy(() -> u.call(ctx -> {
            invocations.incrementAndGet();
            time.advance(ofMillis(800)); // fails fast enough, but 800 + 300 > 1000
            throw new IOException("boom");
        }, Adapter.identity(), CallOptions.idempotent())).isInstanceOf(UpstreamException.class);
        assertThat(invocations).hasValue(1);
        assertThat(time.slept()).isZero();
        assertThat(observer.refusals()).containsExactly(RetryRefusal.DEADLINE);
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.FAILURE);
    }

    @Test
    void aRetryStartsWhenTheWaitEndsBeforeTheDeadline() {
        Upstream u = register(b -> b.attemptTimeout(ofSeconds(1))
                .retry(r -> r.exponentialBackoff(ofMillis(300), 1.0).maxBackoff(ofMillis(300))));
        assertThatThrownBy(() -> u.call(ctx -> {
            invocations.incrementAndGet();
            remainingAtStart.add(ctx.remaining());
            time.advance(ctx.attempt() == 1 ? ofMillis(699) : ctx.remaining());
            throw new IOException("boom");
        }, Adapter.identity(), CallOptions.idempotent())).isInstanceOf(DeadlineExceededException.class);
        // 699 ms + 300 ms = 999 ms: the second attempt starts with the 1 ms left of the deadline, and uses it up.
        assertThat(invocations).hasValue(2);
        assertThat(remainingAtStart).containsExactly(ofSeconds(1), ofMillis(1));
        assertThat(time.slept()).isEqualTo(ofMillis(300));
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.FAILURE, Outcome.DEADLINE_EXCEEDED);
        assertThat(observer.refusals()).isEmpty();
    }
}
