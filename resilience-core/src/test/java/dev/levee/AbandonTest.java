package dev.levee;

import static dev.levee.Behaviour.await;
import static dev.levee.Behaviour.awaitUntil;
import static dev.levee.Behaviour.failureOf;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.testing.RecordingObserver;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Giving up on an attempt and stopping its work are two acts: the caller is released at the timeout, and
 * the work is stopped by what the call registered with {@link CallContext#onAbandon}, once, off the caller's
 * thread; the attempt thread is interrupted only as the {@link InterruptPolicy} says.
 */
class AbandonTest {

    private static final Duration TIMEOUT = ofMillis(200);

    private final RecordingObserver observer = new RecordingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).healthCheckInterval(Duration.ZERO).build();

    @AfterEach
    void close() {
        upstreams.close();
    }

    private Upstream register(String name, TimeoutMode mode, InterruptPolicy policy) {
        return upstreams.register(Behaviour.spec(name).timeoutMode(mode).interruptPolicy(policy)
                .attemptTimeout(TIMEOUT).deadline(ofSeconds(5)).retry(r -> r.maxAttempts(1)).build());
    }

    /** Work that blocks until released, recording whether its thread was interrupted (it ignores interrupts). */
    static final class StubbornWork {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final AtomicInteger actions = new AtomicInteger();
        final AtomicReference<Thread> actionThread = new AtomicReference<>();

        /** What a client's cancel does: counts, remembers its thread, and makes the work end. */
        void cancel() {
            actions.incrementAndGet();
            actionThread.set(Thread.currentThread());
            release.countDown();
        }

        String run(CallContext ctx, boolean registerCancel) {
            if (registerCancel) {
                ctx.onAbandon(this::cancel);
            }
            started.countDown();
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (release.getCount() > 0 && System.nanoTime() < until) {
                    try {
                        release.await(10, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        interrupted.set(true); // ignored, like a blocking socket read on a platform thread
                    }
                }
                return "late";
            } finally {
                ended.countDown();
            }
        }
    }

    @ParameterizedTest(name = "{0}, abandon action registered: {1} -> interrupted: {2}")
    @CsvSource({
        "WHEN_NO_ABANDON_ACTION, true, false",
        "WHEN_NO_ABANDON_ACTION, false, true",
        "ALWAYS, true, true",
        "ALWAYS, false, true",
        "NEVER, true, false",
        "NEVER, false, false"})
    void anEnforcedTimeoutReleasesTheCallerRunsTheActionOnceAndInterruptsByThePolicy(InterruptPolicy policy,
            boolean registerCancel, boolean expectInterrupt) {
        Upstream u = register("enforced", TimeoutMode.ENFORCED, policy);
        StubbornWork work = new StubbornWork();

        long start = System.nanoTime();
        assertThatThrownBy(() -> u.call(ctx -> work.run(ctx, registerCancel))).isInstanceOf(UpstreamTimeoutException.class);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(tookMillis).as("the caller returns at the timeout").isLessThan(TIMEOUT.toMillis() + 500);
        if (!registerCancel) {
            awaitUntil(() -> !expectInterrupt || work.interrupted.get(), "the interrupt");
            work.release.countDown();
        }
        await(work.ended, "the abandoned work ends");
        assertThat(work.interrupted.get()).as("attempt thread interrupted").isEqualTo(expectInterrupt);
        if (registerCancel) {
            assertThat(work.actions).as("the action ran once").hasValue(1);
            assertThat(work.actionThread.get()).as("never on the caller's thread").isNotSameAs(Thread.currentThread());
        }
        awaitUntil(() -> u.inFlight() == 0, "the permit comes back once the work has ended");
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.TIMEOUT);
    }

    @Test
    void thePermitIsHeldUntilTheAbandonedWorkReallyEnds() throws InterruptedException {
        Upstream u = register("held", TimeoutMode.ENFORCED, InterruptPolicy.NEVER);
        StubbornWork work = new StubbornWork();
        assertThatThrownBy(() -> u.call(ctx -> work.run(ctx, false))).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(u.inFlight()).as("the work still runs: a hung upstream never holds more than the bulkhead").isEqualTo(1);
        work.release.countDown();
        await(work.ended, "the work ends");
        awaitUntil(() -> u.inFlight() == 0, "the permit comes back");
    }

    @Test
    void anAttemptThatEndsByItselfNeverRunsItsAction() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(2);
        Upstream u = register("normal", TimeoutMode.ENFORCED, InterruptPolicy.WHEN_NO_ABANDON_ACTION);
        String answer = u.call(ctx -> {
            assertThat(ctx.onAbandon(ran::countDown)).as("registered on a running attempt").isTrue();
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        Upstream c = register("normal-cooperative", TimeoutMode.COOPERATIVE, InterruptPolicy.WHEN_NO_ABANDON_ACTION);
        answer = c.call(ctx -> {
            ctx.onAbandon(ran::countDown); // arms a timer at the timeout: the attempt's end must disarm it
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(ran.await(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS)).as("an action ran after its attempt ended").isFalse();
        assertThat(ran.getCount()).isEqualTo(2);
    }

    @Test
    void anActionRegisteredAfterTheAttemptWasAbandonedRunsAtOnce() {
        Upstream u = register("late", TimeoutMode.ENFORCED, InterruptPolicy.NEVER);
        CountDownLatch callerReturned = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        AtomicBoolean registered = new AtomicBoolean(true);
        CountDownLatch workDone = new CountDownLatch(1);
        assertThatThrownBy(() -> u.call(ctx -> {
            callerReturned.await(10, TimeUnit.SECONDS);
            registered.set(ctx.onAbandon(ran::countDown)); // e.g. the statement only now created
            workDone.countDown();
            return "late";
        })).isInstanceOf(UpstreamTimeoutException.class);
        callerReturned.countDown();
        await(ran, "the late action runs");
        await(workDone, "the late work goes on to its end");
        assertThat(registered).as("onAbandon tells the late call it was abandoned, so it can skip its work").isFalse();
    }

    @Test
    void inCooperativeModeTheActionRunsAtTheTimeoutSoACancellableClientReturnsOnTime() {
        Upstream u = register("cooperative", TimeoutMode.COOPERATIVE, InterruptPolicy.WHEN_NO_ABANDON_ACTION);
        StubbornWork work = new StubbornWork();
        long start = System.nanoTime();
        assertThatThrownBy(() -> u.call(ctx -> {
            work.run(ctx, true); // returns once the action has cancelled it
            throw new IOException("statement cancelled"); // what a driver throws for a cancelled statement
        })).isInstanceOfSatisfying(UpstreamTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).isBetween(TIMEOUT.toMillis() - 1, TIMEOUT.toMillis() + 500);
        assertThat(work.actions).hasValue(1);
        assertThat(work.interrupted).as("the caller's own thread is never interrupted").isFalse();
    }

    @Test
    void anAsynchronousAttemptRunsItsActionAtTheTimeoutAndWhenTheCallerCancels() {
        Upstream u = register("async", TimeoutMode.ENFORCED, InterruptPolicy.WHEN_NO_ABANDON_ACTION);
        CountDownLatch timedOut = new CountDownLatch(1);
        CompletableFuture<String> slow = u.callAsync(ctx -> {
            ctx.onAbandon(timedOut::countDown);
            return new CompletableFuture<>();
        });
        assertThat(failureOf(slow)).isInstanceOf(UpstreamTimeoutException.class);
        await(timedOut, "the action at the timeout");

        CountDownLatch cancelled = new CountDownLatch(1);
        CompletableFuture<String> call = upstreams.register(Behaviour.spec("async-cancel").attemptTimeout(ofSeconds(10))
                .deadline(ofSeconds(30)).build()).callAsync(ctx -> {
                    ctx.onAbandon(cancelled::countDown);
                    return new CompletableFuture<>();
                });
        call.cancel(true);
        await(cancelled, "the action when the caller cancels");
    }

    @Test
    void closingTheRegistryAbandonsAttemptsInFlightAsCancelledNotAsFailures() throws Exception {
        Upstream u = upstreams.register(Behaviour.spec("closing").attemptTimeout(ofSeconds(10)).deadline(ofSeconds(30)).build());
        StubbornWork work = new StubbornWork();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                u.call(ctx -> work.run(ctx, true));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        await(work.started, "the attempt started");

        upstreams.close();

        caller.join(10_000);
        assertThat(thrown.get()).isInstanceOf(CancellationException.class).hasMessageContaining("upstreams closed");
        await(work.ended, "the abandon action stops the work"); // on a cleanup thread, maybe after the caller returned
        assertThat(work.actions).as("the abandon action ran once").hasValue(1);
        assertThat(work.interrupted).as("not interrupted: it had an abandon action").isFalse();
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.CANCELLED);
        assertThat(observer.calls()).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.CANCELLED));
        assertThatThrownBy(() -> upstreams.register(UpstreamSpec.named("after").build()))
                .isInstanceOf(IllegalStateException.class).hasMessage("cannot register upstream 'after': upstreams closed");
    }

    @Test
    void anActionThatThrowsIsLoggedAndChangesNothing() {
        Upstream u = register("throwing", TimeoutMode.ENFORCED, InterruptPolicy.NEVER);
        CountDownLatch second = new CountDownLatch(1);
        StubbornWork work = new StubbornWork();
        assertThatThrownBy(() -> u.call(ctx -> {
            ctx.onAbandon(() -> {
                throw new IllegalStateException("cancel failed");
            });
            ctx.onAbandon(second::countDown);
            ctx.onAbandon(work::cancel);
            return work.run(ctx, false);
        })).isInstanceOf(UpstreamTimeoutException.class);
        await(second, "the next action still runs");
        await(work.ended, "and the work ends");
    }

    // ------------------------------------------------------------------ coarse time budgets

    private static CallContext remaining(long nanos) {
        return new CallContext() {
            @Override
            public String upstream() {
                return "x";
            }

            @Override
            public int attempt() {
                return 1;
            }

            @Override
            public Duration remaining() {
                return Duration.ofNanos(nanos);
            }

            @Override
            public long remainingNanos() {
                return nanos;
            }

            @Override
            public boolean idempotent() {
                return true;
            }

            @Override
            public boolean onAbandon(Runnable action) {
                return true;
            }
        };
    }

    @ParameterizedTest(name = "{0} ns -> {1} s, {2} ms")
    @CsvSource({
        "0, 1, 1",
        "1, 1, 1",
        "800000000, 1, 800",
        "1000000000, 1, 1000",
        "1000000001, 2, 1001",
        "2500000000, 3, 2500",
        "9223372036854775807, 2147483647, 2147483647"})
    void coarseTimeoutsRoundUpAndNeverReadAsNoTimeout(long nanos, int seconds, int millis) {
        assertThat(remaining(nanos).remainingTimeoutSeconds()).isEqualTo(seconds);
        assertThat(remaining(nanos).remainingTimeoutMillis()).isEqualTo(millis);
    }

    // ------------------------------------------------------------------ timeouts reported by the upstream

    /** Maps a "query cancelled" error (PostgreSQL's SQL state 57014) to a timeout. */
    static final Adapter<String, String> QUERY_CANCELLED_IS_A_TIMEOUT = new Adapter<>() {
        @Override
        public String translate(String response) {
            return response;
        }

        @Override
        public Verdict<String> classifyError(Throwable error) {
            return error.getMessage() != null && error.getMessage().startsWith("57014") ? Verdict.timeout("query cancelled")
                    : Verdict.unclassified();
        }
    };

    @Test
    void anAdapterCanClassifyAnErrorAsATimeoutWhichIsRetriedAndReportsTheRealTime() {
        Upstream u = upstreams.register(Behaviour.spec("verdict-timeout").timeoutMode(TimeoutMode.COOPERATIVE)
                .attemptTimeout(ofSeconds(5)).deadline(ofSeconds(10))
                .retry(r -> r.maxAttempts(2).exponentialBackoff(ofMillis(1), 1.0)).build());
        assertThatThrownBy(() -> u.call(ctx -> {
            throw new IOException("57014: canceling statement due to statement timeout");
        }, QUERY_CANCELLED_IS_A_TIMEOUT, CallOptions.idempotent())).isInstanceOfSatisfying(UpstreamTimeoutException.class, e -> {
            assertThat(e.attempt()).isEqualTo(2);
            assertThat(e.timeout()).as("the time the attempt took, not the 5 s timeout").isLessThan(ofSeconds(1));
            assertThat(e.getCause()).isInstanceOf(IOException.class);
        });
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.TIMEOUT, Outcome.TIMEOUT);
    }

    @Test
    void aClientsOwnEarlyTimeoutReportsTheTimeTheAttemptReallyTook() {
        Upstream u = register("early", TimeoutMode.ENFORCED, InterruptPolicy.WHEN_NO_ABANDON_ACTION);
        assertThatThrownBy(() -> u.call(ctx -> {
            throw new HttpTimeoutException("request timed out");
        })).isInstanceOfSatisfying(UpstreamTimeoutException.class,
                e -> assertThat(e.timeout()).isLessThan(TIMEOUT).isPositive());
    }
}
