package dev.levee.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Adapter;
import dev.levee.CallContext;
import dev.levee.CallOptions;
import dev.levee.DeadlineExceededException;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamCall;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.Verdict;
import dev.levee.spi.RetryRefusal;
import dev.levee.testing.ManualTimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deterministic reproductions of the bugs the HTTP functional tests exposed: on a {@link ManualTimeSource},
 * without a network, so each fails the same way every time on the unfixed code. Every test runs in each
 * {@link CallMode}.
 */
// A separate thread: the unfixed retry-after overflow hangs an asynchronous call, and join() ignores interrupts.
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CallPathRegressionTest {

    static final String UPSTREAM = "pricing";

    final ManualTimeSource time = new ManualTimeSource();
    final RecordingObserver.Factory observers = new RecordingObserver.Factory();
    final Upstreams upstreams = Upstreams.builder().observer(observers).build();

    @AfterEach
    void close() {
        upstreams.close();
    }

    private Upstream register(CallMode mode, Duration attemptTimeout, Duration deadline) {
        return upstreams.register(UpstreamSpec.named(UPSTREAM).timeoutMode(mode.timeoutMode).timeSource(time)
                .attemptTimeout(attemptTimeout).deadline(deadline)
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(5), 2.0).maxBackoff(Duration.ofMillis(20)))
                .build());
    }

    /** Makes an idempotent call in {@code mode} whose client runs {@code client}; returns what the caller got. */
    private static <T> Object run(CallMode mode, Upstream u, UpstreamCall<T> client, Adapter<T, T> adapter) {
        try {
            if (mode == CallMode.ASYNC) {
                return u.callAsync(ctx -> {
                    try {
                        return CompletableFuture.completedFuture(client.call(ctx));
                    } catch (Exception e) {
                        return CompletableFuture.<T>failedFuture(e);
                    }
                }, adapter, CallOptions.idempotent()).join();
            }
            return u.call(client, adapter, CallOptions.idempotent());
        } catch (CompletionException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * The attempt the deadline clamps ends with the client's own timeout exception, at its end. The
     * synchronous path called that a deadline exceeded; the asynchronous one a retryable TIMEOUT held against
     * the upstream, so over HTTP its outcome depended on which of the two timers fired first.
     */
    @ParameterizedTest
    @EnumSource(CallMode.class)
    void aClientTimeoutEndingTheClampedAttemptIsADeadlineExceededInEveryMode(CallMode mode) {
        Upstream u = register(mode, Duration.ofMillis(300), Duration.ofMillis(590));
        // Each attempt uses up exactly the time it was given, then the client's own timeout fires.
        UpstreamCall<String> slowClient = (CallContext ctx) -> {
            time.advance(ctx.remaining());
            throw new HttpTimeoutException("request timed out");
        };

        Object result = run(mode, u, slowClient, Adapter.identity());

        assertThat(result).isInstanceOfSatisfying(DeadlineExceededException.class, d -> {
            assertThat(d.attempts()).isEqualTo(2);
            assertThat(d.getCause()).isInstanceOf(HttpTimeoutException.class);
        });
        RecordingObserver o = observers.of(UPSTREAM);
        assertThat(o.attemptOutcomes()).containsExactly(Outcome.TIMEOUT, Outcome.DEADLINE_EXCEEDED);
        assertThat(o.onlyCall().outcome()).isEqualTo(Outcome.DEADLINE_EXCEEDED);
        assertThat(u.unwrap(CircuitBreaker.class).getMetrics().getNumberOfFailedCalls())
                .as("attempts held against the upstream: the first timeout only").isEqualTo(1);
    }

    static Stream<Arguments> hugeHints() {
        return Stream.of(CallMode.values()).flatMap(mode -> Stream.of(
                Arguments.of(mode, Duration.ofSeconds(Long.MAX_VALUE)), // saturated by the verdict to Long.MAX_VALUE ns
                Arguments.of(mode, Duration.ofNanos(Long.MAX_VALUE - 1)),
                Arguments.of(mode, Duration.ofDays(365L * 290))));
    }

    /**
     * A retry-after hint near the limit of a long overflowed when rounded up to milliseconds: the retry was
     * silently dropped without a {@link RetryRefusal#DEADLINE} (or, once saturated, overflowed the deadline
     * check and waited forever).
     */
    @ParameterizedTest
    @MethodSource("hugeHints")
    void aHugeRetryAfterHintIsRefusedByTheDeadline(CallMode mode, Duration hint) {
        Upstream u = register(mode, Duration.ofSeconds(1), Duration.ofSeconds(3));
        Adapter<String, String> throttled = new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public Verdict<String> classify(String response) {
                return Verdict.failure("http 429", hint);
            }
        };

        Object result = run(mode, u, ctx -> "busy", throttled);

        assertThat(result).isInstanceOfSatisfying(DeadlineExceededException.class,
                d -> assertThat(d.getCause()).isInstanceOfSatisfying(UpstreamFailureException.class,
                        f -> assertThat(f.retryAfter()).isPresent()));
        RecordingObserver o = observers.of(UPSTREAM);
        assertThat(o.refusals).containsExactly(RetryRefusal.DEADLINE);
        assertThat(o.attemptOutcomes()).containsExactly(Outcome.FAILURE);
        assertThat(time.slept()).isZero();
    }
}
