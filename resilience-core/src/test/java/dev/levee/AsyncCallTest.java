package dev.levee;

import static dev.levee.Behaviour.await;
import static dev.levee.Behaviour.failureOf;
import static dev.levee.Behaviour.get;
import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The asynchronous path: never blocks the caller, propagates cancellation, retries on timers. */
class AsyncCallTest {

    private final CountingObserver observer = new CountingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();

    @AfterEach
    void close() {
        upstreams.close();
    }

    private Upstream upstream(String name) {
        return upstreams.register(spec(name)
                .attemptTimeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(10))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(1), 1.0).jitter(0)
                        .budget(1.0, 100, Duration.ofSeconds(10)))
                .build());
    }

    @Test
    void callAsyncReturnsBeforeTheUpstreamAnswersAndCompletesWithItsValue() {
        Upstream u = upstream("answer-later");
        CompletableFuture<String> upstreamFuture = new CompletableFuture<>();

        CompletableFuture<String> result = u.callAsync(ctx -> upstreamFuture);

        assertThat(result).as("the caller got control back while the upstream is still working").isNotDone();
        assertThat(observer.totalCalls()).isZero();
        upstreamFuture.complete("answer");
        assertThat(get(result)).isEqualTo("answer");
        assertThat(observer.calls(Outcome.SUCCESS)).isEqualTo(1);
        assertThat(observer.attempts(Outcome.SUCCESS)).isEqualTo(1);
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void callAsyncTranslatesThroughTheAdapterWhenTheUpstreamCompletesOnAnotherThread() throws Exception {
        Upstream u = upstream("translated");
        CompletableFuture<Integer> upstreamFuture = new CompletableFuture<>();
        CompletableFuture<String> result = u.callAsync(ctx -> upstreamFuture, (Adapter<Integer, String>) n -> "#" + n);
        assertThat(result).isNotDone();

        Thread completer = new Thread(() -> upstreamFuture.complete(42), "completer");
        completer.start();
        Behaviour.join(completer);
        assertThat(get(result)).isEqualTo("#42");
    }

    @Test
    void cancellingTheReturnedFutureCancelsTheUpstreamFutureAndIsReportedOnceAsCancelled() {
        Upstream u = upstream("cancelled");
        CompletableFuture<String> upstreamFuture = new CompletableFuture<>();
        CompletableFuture<String> result = u.callAsync(ctx -> upstreamFuture);
        assertThat(u.inFlight()).isEqualTo(1);

        assertThat(result.cancel(true)).isTrue();

        assertThat(upstreamFuture).as("cancellation reaches the upstream's future").isCancelled();
        assertThat(u.inFlight()).isZero();
        assertThat(observer.calls(Outcome.CANCELLED)).isEqualTo(1);
        assertThat(observer.totalCalls()).as("the call is reported exactly once").isEqualTo(1);
        assertThat(observer.attempts(Outcome.CANCELLED)).isEqualTo(1);
        assertThat(observer.totalAttempts()).isEqualTo(1);
        assertThat(observer.totalFallbackCalls()).isZero();
        CircuitBreaker.Metrics breaker = u.unwrap(CircuitBreaker.class).getMetrics();
        assertThat(breaker.getNumberOfBufferedCalls()).as("a cancellation says nothing about the upstream").isZero();

        // A second cancel, and the upstream future completing late, change nothing.
        result.cancel(true);
        upstreamFuture.complete("too late");
        assertThat(observer.totalCalls()).isEqualTo(1);
        assertThat(observer.totalAttempts()).isEqualTo(1);
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void cancellingWhileWaitingToRetryStopsTheRetries() {
        Upstream u = upstreams.register(spec("cancel-retry").attemptTimeout(Duration.ofMillis(800)).deadline(Duration.ofSeconds(10))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(400), 1.0).jitter(0))
                .build());
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> result = u.callAsync(ctx -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        }, Adapter.identity(), CallOptions.idempotent());
        assertThat(result).as("waiting 400 ms before the retry").isNotDone();
        assertThat(attempts).hasValue(1);

        result.cancel(true);
        assertThat(observer.calls(Outcome.CANCELLED)).isEqualTo(1);

        // A sentinel call that times out after 800 ms: by then the cancelled retry would long have run.
        CompletableFuture<String> sentinel = u.callAsync(ctx -> new CompletableFuture<>());
        assertThat(failureOf(sentinel)).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(attempts).as("no retry after the cancellation").hasValue(1);
        assertThat(observer.calls(Outcome.CANCELLED)).isEqualTo(1);
        assertThat(observer.totalCalls()).isEqualTo(2);
        assertThat(observer.attempts(Outcome.FAILURE)).isEqualTo(1);
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void idempotentAsyncCallsAreRetriedOnTimersNotOnTheCallersThread() {
        Upstream u = upstream("retried");
        AtomicInteger attempts = new AtomicInteger();
        List<Thread> attemptThreads = new CopyOnWriteArrayList<>();
        List<Integer> contextNumbers = new CopyOnWriteArrayList<>();
        CompletableFuture<String> third = new CompletableFuture<>();
        CountDownLatch thirdStarted = new CountDownLatch(1);

        CompletableFuture<String> result = u.callAsync(ctx -> {
            attemptThreads.add(Thread.currentThread());
            int n = attempts.incrementAndGet();
            contextNumbers.add(ctx.attempt());
            if (n < 3) {
                return CompletableFuture.failedFuture(new IOException("try again " + n));
            }
            thirdStarted.countDown();
            return third;
        }, Adapter.identity(), CallOptions.idempotent());

        assertThat(result).isNotDone();
        await(thirdStarted, "the third attempt");
        assertThat(attemptThreads.get(0)).isSameAs(Thread.currentThread());
        assertThat(attemptThreads.subList(1, 3)).as("retries run after their backoff, off the caller's thread")
                .doesNotContain(Thread.currentThread());
        third.complete("third time lucky");

        assertThat(get(result)).isEqualTo("third time lucky");
        assertThat(attempts).hasValue(3);
        assertThat(contextNumbers).containsExactly(1, 2, 3);
        assertThat(observer.attempts(Outcome.FAILURE)).isEqualTo(2);
        assertThat(observer.attempts(Outcome.SUCCESS)).isEqualTo(1);
        assertThat(observer.calls(Outcome.SUCCESS)).isEqualTo(1);
        assertThat(observer.attemptsReportedByCalls()).isEqualTo(3);
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void anAsyncAttemptThatTimesOutIsRetriedAndTheTimedOutFutureCancelled() {
        Upstream u = upstreams.register(spec("retry-timeout").attemptTimeout(Duration.ofMillis(100)).deadline(Duration.ofSeconds(5))
                .retry(r -> r.maxAttempts(2).exponentialBackoff(Duration.ofMillis(1), 1.0).jitter(0))
                .build());
        CompletableFuture<String> first = new CompletableFuture<>();
        AtomicInteger attempts = new AtomicInteger();

        CompletableFuture<String> result = u.callAsync(
                ctx -> attempts.incrementAndGet() == 1 ? first : CompletableFuture.completedFuture("second"),
                Adapter.identity(), CallOptions.idempotent());

        assertThat(get(result)).isEqualTo("second");
        assertThat(first).isCancelled();
        assertThat(observer.attempts(Outcome.TIMEOUT)).isEqualTo(1);
        assertThat(observer.attempts(Outcome.SUCCESS)).isEqualTo(1);
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void nonIdempotentAsyncCallsAreNotRetried() {
        Upstream u = upstream("once");
        AtomicInteger attempts = new AtomicInteger();
        Throwable failure = failureOf(u.callAsync(ctx -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        }));
        assertThat(failure).isInstanceOf(UpstreamFailureException.class).hasCauseInstanceOf(IOException.class);
        assertThat(attempts).hasValue(1);
        assertThat(observer.calls(Outcome.FAILURE)).isEqualTo(1);
    }
}
