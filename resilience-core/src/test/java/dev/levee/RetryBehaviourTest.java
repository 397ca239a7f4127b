package dev.levee;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.spi.RetryRefusal;
import dev.levee.testing.ManualTimeSource;
import dev.levee.testing.PermitHolder;
import dev.levee.testing.RecordingObserver;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which calls and outcomes are retried, how often, and how long the waits between attempts are. */
class RetryBehaviourTest {

    private final ManualTimeSource time = new ManualTimeSource();
    private final RecordingObserver observer = new RecordingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();
    private final AtomicInteger invocations = new AtomicInteger();
    private final List<Long> startedAt = new ArrayList<>();

    @AfterEach
    void close() {
        upstreams.close();
    }

    /** Four attempts, 100 ms × 2^n ± 50%, a budget and a deadline that never get in the way. */
    private UpstreamSpec.Builder spec() {
        return UpstreamSpec.named("retry").timeSource(time)
                .timeoutMode(TimeoutMode.COOPERATIVE)
                .attemptTimeout(ofSeconds(1))
                .deadline(ofSeconds(60))
                .circuitBreaker(b -> b.countWindow(1_000).minimumCalls(1_000).consecutiveFailures(0))
                .retry(r -> r.maxAttempts(4).exponentialBackoff(ofMillis(100), 2.0).jitter(0.5).maxBackoff(ofSeconds(2))
                        .budget(1.0, 1_000, ofSeconds(60)));
    }

    private Upstream register(Consumer<UpstreamSpec.Builder> custom) {
        UpstreamSpec.Builder b = spec();
        custom.accept(b);
        return upstreams.register(b.build());
    }

    private <U> UpstreamCall<U> counting(UpstreamCall<U> call) {
        return ctx -> {
            invocations.incrementAndGet();
            startedAt.add(time.nanoTime());
            return call.call(ctx);
        };
    }

    private static UpstreamCall<String> throwing(Exception e) {
        return ctx -> {
            throw e;
        };
    }

    private List<Long> gapsMillis() {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < startedAt.size(); i++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(startedAt.get(i) - startedAt.get(i - 1)));
        }
        return gaps;
    }

    // ------------------------------------------------------------------ what is retried

    @Test
    void callsThatAreNotIdempotentAreNeverRetried() {
        Upstream u = register(b -> { });
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("boom")))))
                .isInstanceOf(UpstreamFailureException.class);
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("boom"))), Adapter.identity(),
                CallOptions.<String>idempotent().withIdempotent(false)))
                .isInstanceOf(UpstreamFailureException.class);
        assertThat(invocations).hasValue(2);
        assertThat(time.slept()).isZero();
        assertThat(observer.refusals()).isEmpty();
    }

    @Test
    void idempotentFailuresAreRetriedUpToMaxAttempts() {
        Upstream u = register(b -> { });
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("boom"))), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOf(UpstreamFailureException.class)
                .hasMessageContaining("after 4 attempts");
        assertThat(invocations).hasValue(4);
        assertThat(observer.attempts()).extracting(RecordingObserver.AttemptEvent::attempt).containsExactly(1, 2, 3, 4);
        assertThat(observer.attemptOutcomes()).containsOnly(Outcome.FAILURE);
        assertThat(observer.calls()).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.FAILURE);
            assertThat(c.attempts()).isEqualTo(4);
        });
        assertThat(observer.refusals()).as("max attempts is not a refusal").isEmpty();
    }

    @Test
    void aRetryThatSucceedsEndsTheCall() {
        Upstream u = register(b -> { });
        String answer = u.call(counting(ctx -> {
            if (ctx.attempt() < 3) {
                throw new IOException("boom");
            }
            return "third time lucky";
        }), Adapter.identity(), CallOptions.idempotent());
        assertThat(answer).isEqualTo("third time lucky");
        assertThat(invocations).hasValue(3);
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.FAILURE, Outcome.FAILURE, Outcome.SUCCESS);
    }

    @Test
    void maxAttemptsOfOneMeansNoRetry() {
        Upstream u = register(b -> b.retry(r -> r.maxAttempts(1)));
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("boom"))), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOf(UpstreamFailureException.class);
        assertThat(invocations).hasValue(1);
        assertThat(time.slept()).isZero();
    }

    @Test
    void attemptTimeoutsAreRetried() {
        Upstream u = register(b -> { });
        assertThatThrownBy(() -> u.call(counting(ctx -> {
            time.advance(ctx.remaining()); // the client honours its timeout, then gives up
            throw new IOException("read timed out");
        }), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOf(UpstreamTimeoutException.class);
        assertThat(invocations).hasValue(4);
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.TIMEOUT, Outcome.TIMEOUT, Outcome.TIMEOUT, Outcome.TIMEOUT);
    }

    @Test
    void clientTimeoutsAreRetried() {
        Upstream u = register(b -> { });
        assertThatThrownBy(() -> u.call(counting(throwing(new SocketTimeoutException("connect"))), Adapter.identity(),
                CallOptions.idempotent()))
                .isInstanceOf(UpstreamTimeoutException.class);
        assertThat(invocations).hasValue(4);
        assertThat(observer.attemptOutcomes()).containsOnly(Outcome.TIMEOUT);
    }

    static final class NotFixable extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static final class Domain extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** An adapter whose verdicts are chosen by the response or the error's message. */
    static final class ScriptedAdapter implements Adapter<String, String> {
        @Override
        public String translate(String response) {
            if (response.equals("garbage")) {
                throw new IllegalArgumentException("cannot parse");
            }
            return response;
        }

        @Override
        public Verdict<String> classify(String response) {
            return response.equals("400") ? Verdict.callerFault("http 400") : Verdict.proceed();
        }

        @Override
        public Verdict<String> classifyError(Throwable error) {
            switch (String.valueOf(error.getMessage())) {
                case "permanent":
                    return Verdict.permanentFailure("gone for good");
                case "caller":
                    return Verdict.callerFault("bad request");
                default:
                    return Verdict.unclassified();
            }
        }

        @Override
        public List<Expectation<? super String>> expectations() {
            return List.of(Expectation.of("not-empty", s -> !s.isEmpty()));
        }
    }

    static Stream<Arguments> notRetried() {
        return Stream.of(
                Arguments.of("caller fault verdict on a response", (UpstreamCall<String>) ctx -> "400", Outcome.CALLER_FAULT),
                Arguments.of("caller fault verdict on an error", throwing(new IOException("caller")), Outcome.CALLER_FAULT),
                Arguments.of("caller fault rule", throwing(new IllegalArgumentException("bad")), Outcome.CALLER_FAULT),
                Arguments.of("pass-through rule", throwing(new Domain()), Outcome.CALLER_FAULT),
                Arguments.of("broken expectation", (UpstreamCall<String>) ctx -> "", Outcome.CONTRACT_VIOLATION),
                Arguments.of("failed translation", (UpstreamCall<String>) ctx -> "garbage", Outcome.CONTRACT_VIOLATION),
                Arguments.of("permanent failure verdict", throwing(new IOException("permanent")), Outcome.FAILURE),
                Arguments.of("not-retryable rule", throwing(new NotFixable()), Outcome.FAILURE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void notRetried(String what, UpstreamCall<String> call, Outcome outcome) {
        Upstream u = register(b -> b.classification(c -> c.callerFault(IllegalArgumentException.class)
                .passThrough(Domain.class).notRetryable(NotFixable.class)));
        assertThatThrownBy(() -> u.call(counting(call), new ScriptedAdapter(), CallOptions.idempotent()))
                .satisfies(e -> {
                    if (e instanceof UpstreamException ue) {
                        assertThat(ue.outcome()).isEqualTo(outcome);
                    } else {
                        assertThat(e).isInstanceOf(Domain.class);
                    }
                });
        assertThat(invocations).as("invocations").hasValue(1);
        assertThat(observer.attemptOutcomes()).containsExactly(outcome);
        assertThat(time.slept()).isZero();
        assertThat(observer.refusals()).isEmpty();
    }

    @Test
    void aDomainAnswerIsNotRetried() {
        Upstream u = register(b -> { });
        Adapter<String, String> notFound = new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public Verdict<String> classifyError(Throwable error) {
                return Verdict.answer("none");
            }
        };
        String answer = u.call(counting(throwing(new IOException("404"))), notFound, CallOptions.idempotent());
        assertThat(answer).isEqualTo("none");
        assertThat(invocations).hasValue(1);
    }

    @Test
    void circuitOpenRejectionsAreNotRetried() {
        Upstream u = register(b -> b.circuitBreaker(cb -> cb.countWindow(2).minimumCalls(2).consecutiveFailures(0)).retry(r -> r.maxAttempts(1)));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> u.call(throwing(new IOException("boom")))).isInstanceOf(UpstreamFailureException.class);
        }
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        Upstream retrying = upstreams.register(spec().name("retry-open")
                .circuitBreaker(cb -> cb.countWindow(2).minimumCalls(2).consecutiveFailures(0)).build());
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> retrying.call(throwing(new IOException("boom")))).isInstanceOf(UpstreamFailureException.class);
        }
        observer.clear();
        assertThatThrownBy(() -> retrying.call(counting(ctx -> "x"), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOfSatisfying(UpstreamRejectedException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN));
        assertThat(invocations).hasValue(0);
        assertThat(observer.attempts()).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN));
        assertThat(observer.calls()).singleElement().satisfies(c -> assertThat(c.attempts()).isEqualTo(1));
        assertThat(time.slept()).isZero();
    }

    @Test
    void bulkheadRejectionsAreNotRetried() throws Exception {
        Upstream u = register(b -> b.maxConcurrentCalls(1));
        try (PermitHolder holder = PermitHolder.hold(u)) {
            observer.clear();
            assertThatThrownBy(() -> u.call(counting(ctx -> "x"), Adapter.identity(), CallOptions.idempotent()))
                    .isInstanceOfSatisfying(UpstreamRejectedException.class,
                            e -> assertThat(e.outcome()).isEqualTo(Outcome.BULKHEAD_FULL));
            assertThat(observer.attemptOutcomes()).containsExactly(Outcome.BULKHEAD_FULL);
        }
        assertThat(invocations).hasValue(0);
        assertThat(time.slept()).isZero();
    }

    // ------------------------------------------------------------------ waits between attempts

    @Test
    void waitsFollowTheBackoffWithinItsJitterBounds() {
        Upstream u = register(b -> { });
        Set<List<Long>> distinct = new HashSet<>();
        long sleptBefore = 0;
        for (int call = 0; call < 40; call++) {
            startedAt.clear();
            assertThatThrownBy(() -> u.call(counting(throwing(new IOException("boom"))), Adapter.identity(), CallOptions.idempotent()))
                    .isInstanceOf(UpstreamFailureException.class);
            List<Long> gaps = gapsMillis();
            assertThat(gaps).hasSize(3);
            assertThat(gaps.get(0)).isBetween(50L, 150L);
            assertThat(gaps.get(1)).isBetween(100L, 300L);
            assertThat(gaps.get(2)).isBetween(200L, 600L);
            long slept = time.slept().toMillis();
            assertThat(slept - sleptBefore).as("the call only slept between attempts").isEqualTo(gaps.stream().mapToLong(Long::longValue).sum());
            sleptBefore = slept;
            distinct.add(gaps);
        }
        assertThat(distinct).as("jitter spreads the waits").hasSizeGreaterThan(1);
    }

    @Test
    void withoutJitterWaitsGrowExponentiallyUpToMaxBackoff() {
        Upstream u = register(b -> b.retry(r -> r.maxAttempts(6).jitter(0).maxBackoff(ofMillis(500))));
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("boom"))), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOf(UpstreamFailureException.class);
        assertThat(gapsMillis()).containsExactly(100L, 200L, 400L, 500L, 500L);
        assertThat(time.slept()).isEqualTo(ofMillis(1_700));
    }

    private static Adapter<String, String> retryAfter(Duration hint) {
        return new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public Verdict<String> classifyError(Throwable error) {
                return Verdict.failure("http 429", hint);
            }
        };
    }

    @Test
    void aRetryAfterHintLongerThanTheBackoffIsHonoured() {
        Upstream u = register(b -> b.retry(r -> r.maxAttempts(3)));
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("429"))), retryAfter(ofMillis(2_500)), CallOptions.idempotent()))
                .isInstanceOfSatisfying(UpstreamFailureException.class,
                        e -> assertThat(e.retryAfter()).contains(ofMillis(2_500)));
        assertThat(invocations).hasValue(3);
        assertThat(gapsMillis()).allSatisfy(g -> assertThat(g).isGreaterThanOrEqualTo(2_500L));
        assertThat(time.slept()).isGreaterThanOrEqualTo(ofMillis(5_000));
    }

    @Test
    void aSubMillisecondRetryAfterHintIsStillHonoured() {
        Upstream u = register(b -> b.retry(r -> r.maxAttempts(2).exponentialBackoff(ofMillis(1), 1.0).jitter(0)));
        Duration hint = ofMillis(1_000).plusNanos(1);
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("429"))), retryAfter(hint), CallOptions.idempotent()))
                .isInstanceOf(UpstreamFailureException.class);
        assertThat(invocations).hasValue(2);
        assertThat(time.slept()).isGreaterThanOrEqualTo(hint);
    }

    @Test
    void aShorterRetryAfterHintDoesNotShortenTheBackoff() {
        Upstream u = register(b -> b.retry(r -> r.maxAttempts(2).jitter(0)));
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("429"))), retryAfter(ofMillis(5)), CallOptions.idempotent()))
                .isInstanceOf(UpstreamFailureException.class);
        assertThat(gapsMillis()).containsExactly(100L);
    }

    @Test
    void aRetryAfterHintBeyondTheDeadlineMeansNoRetry() {
        Upstream u = register(b -> b.deadline(ofSeconds(3)));
        assertThatThrownBy(() -> u.call(counting(throwing(new IOException("429"))), retryAfter(ofSeconds(5)), CallOptions.idempotent()))
                .isInstanceOf(UpstreamException.class);
        assertThat(invocations).hasValue(1);
        assertThat(time.slept()).isZero();
        assertThat(observer.refusals()).containsExactly(RetryRefusal.DEADLINE);
    }

    @Test
    void anEnormousRetryAfterHintMeansNoRetryAndIsReportedAsADeadlineRefusal() {
        for (Duration hint : List.of(ChronoUnit.CENTURIES.getDuration().multipliedBy(10), ChronoUnit.FOREVER.getDuration(),
                Duration.ofNanos(Long.MAX_VALUE - 500_000), Duration.ofNanos(Long.MAX_VALUE - 1_000_000))) {
            observer.clear();
            invocations.set(0);
            Upstream u = upstreams.register(spec().name("hint-" + Math.abs(hint.hashCode())).deadline(ofSeconds(3)).build());
            assertThatThrownBy(() -> u.call(counting(throwing(new IOException("429"))), retryAfter(hint), CallOptions.idempotent()))
                    .as("hint %s", hint)
                    .isInstanceOf(UpstreamException.class);
            assertThat(invocations).as("hint %s", hint).hasValue(1);
            assertThat(time.slept()).as("hint %s", hint).isZero();
            assertThat(observer.refusals()).as("hint %s", hint).containsExactly(RetryRefusal.DEADLINE);
        }
    }
}
