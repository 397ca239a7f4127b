package dev.levee;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.spi.RetryRefusal;
import dev.levee.testing.ManualTimeSource;
import dev.levee.testing.RecordingObserver;
import dev.levee.testing.RecordingObserver.Transition;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The breaker, retry and deadline behaviour through callAsync; retry delays are real, so they are 1 ms. */
class AsyncStateTest {

    private static final long WAIT_SECONDS = 10;

    private final ManualTimeSource time = new ManualTimeSource();
    private final RecordingObserver observer = new RecordingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();
    private final AtomicInteger invocations = new AtomicInteger();

    @AfterEach
    void close() {
        upstreams.close();
    }

    private Upstream register(Consumer<UpstreamSpec.Builder> custom) {
        UpstreamSpec.Builder b = UpstreamSpec.named("async").timeSource(time)
                .attemptTimeout(ofSeconds(5))
                .deadline(ofSeconds(20))
                .circuitBreaker(cb -> cb.countWindow(4).minimumCalls(4).consecutiveFailures(0).waitInOpenState(ofSeconds(5)).halfOpenProbes(2))
                .retry(r -> r.maxAttempts(4).exponentialBackoff(ofMillis(1), 1.0).jitter(0).maxBackoff(ofMillis(1))
                        .budget(1.0, 1_000, ofSeconds(60)));
        custom.accept(b);
        return upstreams.register(b.build());
    }

    private AsyncUpstreamCall<String> failing() {
        return ctx -> {
            invocations.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        };
    }

    private AsyncUpstreamCall<String> succeeding() {
        return ctx -> {
            invocations.incrementAndGet();
            return CompletableFuture.completedFuture("ok");
        };
    }

    private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the call to fail, but it succeeded");
    }

    @Test
    void openCircuitRejectsAsyncCallsWithoutInvokingTheUpstream() throws Exception {
        Upstream u = register(b -> { });
        for (int i = 0; i < 4; i++) {
            assertThat(failureOf(u.callAsync(failing()))).isInstanceOf(UpstreamFailureException.class);
        }
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(invocations).hasValue(4);
        for (int i = 0; i < 5; i++) {
            assertThat(failureOf(u.callAsync(succeeding(), Adapter.identity(), CallOptions.idempotent())))
                    .isInstanceOfSatisfying(UpstreamRejectedException.class,
                            e -> assertThat(e.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN));
        }
        String fallback = u.callAsync(succeeding(), Adapter.identity(), CallOptions.<String>defaults().withFallback(e -> "fb"))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(fallback).isEqualTo("fb");
        assertThat(invocations).as("no invocation while open").hasValue(4);
        assertThat(observer.attemptOutcomes()).endsWith(Outcome.CIRCUIT_OPEN, Outcome.CIRCUIT_OPEN, Outcome.CIRCUIT_OPEN,
                Outcome.CIRCUIT_OPEN, Outcome.CIRCUIT_OPEN, Outcome.CIRCUIT_OPEN);
    }

    @Test
    void asyncProbesCloseOrReopenTheCircuit() throws Exception {
        Upstream u = register(b -> { });
        for (int i = 0; i < 4; i++) {
            failureOf(u.callAsync(failing()));
        }
        time.advance(ofSeconds(5).plusMillis(1));
        failureOf(u.callAsync(failing()));
        assertThat(u.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
        failureOf(u.callAsync(failing()));
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        time.advance(ofSeconds(5).plusMillis(1));
        assertThat(u.callAsync(succeeding()).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(u.callAsync(succeeding()).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(observer.transitions()).containsExactly(
                new Transition(CircuitState.CLOSED, CircuitState.OPEN),
                new Transition(CircuitState.OPEN, CircuitState.HALF_OPEN),
                new Transition(CircuitState.HALF_OPEN, CircuitState.OPEN),
                new Transition(CircuitState.OPEN, CircuitState.HALF_OPEN),
                new Transition(CircuitState.HALF_OPEN, CircuitState.CLOSED));
    }

    @Test
    void idempotentAsyncCallsAreRetriedUpToMaxAttempts() throws Exception {
        Upstream u = register(b -> b.circuitBreaker(cb -> cb.countWindow(100).minimumCalls(100).consecutiveFailures(0)));
        assertThat(failureOf(u.callAsync(failing(), Adapter.identity(), CallOptions.idempotent())))
                .isInstanceOf(UpstreamFailureException.class)
                .hasMessageContaining("after 4 attempts");
        assertThat(invocations).hasValue(4);
        assertThat(observer.attempts()).extracting(RecordingObserver.AttemptEvent::attempt).containsExactly(1, 2, 3, 4);
        assertThat(observer.calls()).singleElement().satisfies(c -> assertThat(c.attempts()).isEqualTo(4));
    }

    @Test
    void asyncRetriesStopAtTheFirstSuccess() throws Exception {
        Upstream u = register(b -> b.circuitBreaker(cb -> cb.countWindow(100).minimumCalls(100).consecutiveFailures(0)));
        String answer = u.callAsync(ctx -> {
            invocations.incrementAndGet();
            return ctx.attempt() < 2 ? CompletableFuture.failedFuture(new IOException("down"))
                    : CompletableFuture.completedFuture("second");
        }, Adapter.identity(), CallOptions.idempotent()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(answer).isEqualTo("second");
        assertThat(invocations).hasValue(2);
    }

    @Test
    void asyncCallsThatAreNotIdempotentOrNotRetryableAreNotRetried() throws Exception {
        Upstream u = register(b -> b.circuitBreaker(cb -> cb.countWindow(100).minimumCalls(100).consecutiveFailures(0)));
        assertThat(failureOf(u.callAsync(failing()))).isInstanceOf(UpstreamFailureException.class);
        assertThat(invocations).hasValue(1);
        Adapter<String, String> permanent = new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public Verdict<String> classifyError(Throwable error) {
                return Verdict.permanentFailure("gone");
            }
        };
        assertThat(failureOf(u.callAsync(failing(), permanent, CallOptions.idempotent()))).isInstanceOf(UpstreamFailureException.class);
        assertThat(invocations).hasValue(2);
        Adapter<String, String> caller = new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public Verdict<String> classifyError(Throwable error) {
                return Verdict.callerFault("bad");
            }
        };
        assertThat(failureOf(u.callAsync(failing(), caller, CallOptions.idempotent()))).isInstanceOf(CallerFaultException.class);
        assertThat(invocations).hasValue(3);
    }

    @Test
    void asyncRetriesAreCappedByTheBudget() throws Exception {
        Upstream u = register(b -> b.circuitBreaker(cb -> cb.countWindow(1_000).minimumCalls(1_000).consecutiveFailures(0))
                .retry(r -> r.maxAttempts(5).budget(0.2, 3, ofSeconds(10))));
        int calls = 30;
        for (int i = 0; i < calls; i++) {
            failureOf(u.callAsync(failing(), Adapter.identity(), CallOptions.idempotent()));
        }
        assertThat(invocations.get()).isLessThanOrEqualTo((int) Math.floor(1.2 * calls + 3)).isGreaterThan(calls);
        assertThat(observer.refusals()).contains(RetryRefusal.BUDGET);
    }

    @Test
    void asyncAttemptsAreClampedToTheDeadlineAndAHintBeyondItIsRefused() throws Exception {
        Upstream u = register(b -> b.attemptTimeout(ofSeconds(2)).deadline(ofSeconds(3))
                .circuitBreaker(cb -> cb.countWindow(100).minimumCalls(100).consecutiveFailures(0)));
        List<Duration> remaining = new CopyOnWriteArrayList<>();
        Adapter<String, String> hint = new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public Verdict<String> classifyError(Throwable error) {
                return Verdict.failure("429", ofMillis(error.getMessage().equals("soon") ? 1 : 5_000));
            }
        };
        // Attempt 1 fails after 1.5 s of manual time; a 1 ms retry leaves 1.5 s of the deadline for attempt 2,
        // which fails after 1 s with a 5 s hint that the deadline cannot allow.
        Throwable failure = failureOf(u.callAsync(ctx -> {
            invocations.incrementAndGet();
            remaining.add(ctx.remaining());
            time.advance(ofMillis(ctx.attempt() == 1 ? 1_500 : 1_000));
            return CompletableFuture.failedFuture(new IOException(ctx.attempt() == 1 ? "soon" : "later"));
        }, hint, CallOptions.idempotent()));
        assertThat(failure).isInstanceOf(DeadlineExceededException.class).hasCauseInstanceOf(UpstreamFailureException.class);
        assertThat(invocations).hasValue(2);
        assertThat(remaining).containsExactly(ofSeconds(2), ofMillis(1_500));
        assertThat(observer.refusals()).containsExactly(RetryRefusal.DEADLINE);
    }

    @Test
    void anEnormousRetryAfterHintEndsTheAsyncCallAtOnceWithADeadlineRefusal() throws Exception {
        // Regression: the hint's nanoseconds overflowed, so the retry was either dropped silently or scheduled
        // centuries ahead, leaving the future incomplete.
        for (Duration enormous : List.of(Duration.ofNanos(Long.MAX_VALUE - 1_000_000), Duration.ofDays(365L * 1_000))) {
            observer.clear();
            invocations.set(0);
            Upstream u = upstreams.register(UpstreamSpec.named("async-hint-" + enormous.toDays()).timeSource(time)
                    .retry(r -> r.maxAttempts(3).exponentialBackoff(ofMillis(1), 1.0).jitter(0).maxBackoff(ofMillis(1)))
                    .build());
            Adapter<String, String> hint = new Adapter<>() {
                @Override
                public String translate(String response) {
                    return response;
                }

                @Override
                public Verdict<String> classifyError(Throwable error) {
                    return Verdict.failure("503", enormous);
                }
            };
            assertThat(failureOf(u.callAsync(failing(), hint, CallOptions.idempotent())))
                    .as("hint %s", enormous).isInstanceOf(DeadlineExceededException.class)
                    .hasCauseInstanceOf(UpstreamFailureException.class);
            assertThat(invocations).as("hint %s", enormous).hasValue(1);
            assertThat(observer.refusals()).as("hint %s", enormous).containsExactly(RetryRefusal.DEADLINE);
        }
    }
}
