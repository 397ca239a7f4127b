package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineScopeTest {

    private final Upstreams upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).build();
    private final Upstream upstream = upstreams.register(UpstreamSpec.named("inventory")
            .attemptTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(5)).build());

    @AfterEach
    void close() {
        upstreams.close();
    }

    @Test
    void aBoundDeadlineClampsWhatTheUpstreamCallIsGiven() {
        AtomicLong seen = new AtomicLong();
        try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(400)).bind()) {
            upstream.call(ctx -> {
                seen.set(ctx.remainingNanos());
                return "ok";
            });
        }
        assertThat(Duration.ofNanos(seen.get())).isLessThanOrEqualTo(Duration.ofMillis(400)).isPositive();
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void aPassedDeadlineFailsAtOnceWithoutTouchingTheUpstream() {
        AtomicInteger invoked = new AtomicInteger();
        try (Deadline.Scope scope = Deadline.after(Duration.ZERO).bind()) {
            assertThatThrownBy(() -> upstream.call(ctx -> invoked.incrementAndGet()))
                    .isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
                        assertThat(e.upstream()).isEqualTo("inventory");
                        assertThat(e.attempts()).isZero();
                    });
            CompletableFuture<Integer> async = upstream.callAsync(ctx -> CompletableFuture.completedFuture(invoked.incrementAndGet()));
            assertThatThrownBy(async::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(DeadlineExceededException.class);
        }
        assertThat(invoked).hasValue(0);
        assertThat(upstream.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void anInnerScopeCannotExtendAnOuterOne() {
        try (Deadline.Scope outer = Deadline.after(Duration.ofMillis(100)).bind()) {
            try (Deadline.Scope inner = Deadline.after(Duration.ofSeconds(10)).bind()) {
                assertThat(Deadline.current().orElseThrow().remaining()).isLessThanOrEqualTo(Duration.ofMillis(100));
            }
            try (Deadline.Scope inner = Deadline.after(Duration.ofMillis(10)).bind()) {
                assertThat(Deadline.current().orElseThrow().remaining()).isLessThanOrEqualTo(Duration.ofMillis(10));
            }
            assertThat(Deadline.current().orElseThrow().remaining()).isGreaterThan(Duration.ofMillis(10));
        }
        assertThat(Deadline.currentRemainingNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aScopeMustBeClosedOnItsOwnThread() throws Exception {
        Deadline.Scope scope = Deadline.after(Duration.ofSeconds(1)).bind();
        AtomicInteger failures = new AtomicInteger();
        Thread other = new Thread(() -> {
            try {
                scope.close();
            } catch (IllegalStateException e) {
                failures.incrementAndGet();
            }
        });
        other.start();
        other.join(5_000);
        scope.close();
        assertThat(failures).hasValue(1);
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void negativeBudgetsAreRejected() {
        assertThatThrownBy(() -> Deadline.after(Duration.ofMillis(-1)))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage("deadline must be zero or more, but was -1ms");
    }
}
