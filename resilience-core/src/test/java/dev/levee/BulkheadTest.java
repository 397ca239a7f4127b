package dev.levee;

import static dev.levee.Behaviour.await;
import static dev.levee.Behaviour.awaitParked;
import static dev.levee.Behaviour.awaitUntil;
import static dev.levee.Behaviour.failureOf;
import static dev.levee.Behaviour.get;
import static dev.levee.Behaviour.holdPermit;
import static dev.levee.Behaviour.join;
import static dev.levee.Behaviour.millisSince;
import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.levee.Behaviour.Stubborn;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bulkhead: at most N attempts in flight, excess calls rejected at once (or after waiting up to
 * maxWait, synchronous calls only), and every permit back whatever way an attempt ends.
 */
class BulkheadTest {

    private final CountingObserver observer = new CountingObserver();
    private final List<Upstreams> registries = new ArrayList<>();
    private final List<CountDownLatch> releases = new ArrayList<>();
    private final Upstreams upstreams = registry(256);

    private Upstreams registry(int maxAttemptThreads) {
        Upstreams u = Upstreams.builder().maxAttemptThreads(maxAttemptThreads).observer(observer).build();
        registries.add(u);
        return u;
    }

    private CountDownLatch release() {
        CountDownLatch l = new CountDownLatch(1);
        releases.add(l);
        return l;
    }

    @AfterEach
    void releaseEverything() {
        releases.forEach(CountDownLatch::countDown);
        registries.forEach(Upstreams::close);
    }

    @Test
    void sixteenCallersOnFourPermitsFourRunAndTwelveAreRejectedAtOnce() {
        int callers = 16;
        int permits = 4;
        Upstream u = upstreams.register(spec("four").maxConcurrentCalls(permits)
                .attemptTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(10)).build());
        CountDownLatch release = release();
        CountDownLatch entered = new CountDownLatch(permits);
        CountDownLatch rejected = new CountDownLatch(callers - permits);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger entries = new AtomicInteger();
        AtomicInteger successes = new AtomicInteger();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        List<Outcome> rejections = new CopyOnWriteArrayList<>();

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(() -> {
                try {
                    await(go, "the start signal");
                    String v = u.call(ctx -> {
                        entries.incrementAndGet();
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        entered.countDown();
                        try {
                            return release.await(Behaviour.WAIT.toMillis(), TimeUnit.MILLISECONDS) ? "ok" : "stuck";
                        } finally {
                            inside.decrementAndGet();
                        }
                    });
                    if ("ok".equals(v)) {
                        successes.incrementAndGet();
                    }
                } catch (UpstreamRejectedException e) {
                    rejections.add(e.outcome());
                    rejected.countDown();
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "caller-" + i);
            threads.add(t);
            t.start();
        }
        go.countDown();

        // Twelve rejections arrive while the four permits are still held: nobody waited for a permit.
        await(rejected, "12 callers to be rejected while 4 hold the permits");
        await(entered, "4 callers to be inside the upstream");
        assertThat(entries).as("callers that reached the upstream").hasValue(permits);
        assertThat(u.inFlight()).isEqualTo(permits);
        assertThat(rejections).hasSize(callers - permits).containsOnly(Outcome.BULKHEAD_FULL);

        release.countDown();
        threads.forEach(Behaviour::join);
        assertThat(unexpected).isEmpty();
        assertThat(successes).hasValue(permits);
        assertThat(maxInside).hasValue(permits);
        assertThat(u.inFlight()).isZero();
        assertThat(observer.attempts(Outcome.BULKHEAD_FULL)).isEqualTo(callers - permits);
        assertThat(observer.nonZeroRejectionDurations()).as("rejected attempts report a duration of 0").isZero();
        assertThat(observer.calls(Outcome.SUCCESS)).isEqualTo(permits);
    }

    @Test
    void concurrencyInsideTheUpstreamNeverExceedsTheLimitUnderChurn() {
        int callers = 16;
        int callsEach = 100;
        int permits = 4;
        Upstream u = upstreams.register(spec("churn").maxConcurrentCalls(permits)
                .attemptTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(10)).build());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger rejections = new AtomicInteger();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(() -> {
                await(go, "the start signal");
                for (int n = 0; n < callsEach; n++) {
                    try {
                        u.call(ctx -> {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            try {
                                long until = System.nanoTime() + 20_000; // hold the permit ~20 µs while others try
                                while (System.nanoTime() - until < 0) {
                                    Thread.onSpinWait();
                                }
                                return "ok";
                            } finally {
                                inside.decrementAndGet();
                            }
                        });
                        successes.incrementAndGet();
                    } catch (UpstreamRejectedException e) {
                        if (e.outcome() == Outcome.BULKHEAD_FULL) {
                            rejections.incrementAndGet();
                        } else {
                            unexpected.add(e);
                        }
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }
            }, "churn-" + i);
            threads.add(t);
            t.start();
        }
        go.countDown();
        threads.forEach(Behaviour::join);

        assertThat(unexpected).isEmpty();
        assertThat(maxInside.get()).as("most attempts inside the upstream at once").isBetween(1, permits);
        assertThat(successes.get() + rejections.get()).isEqualTo(callers * callsEach);
        assertThat(successes.get()).isPositive();
        assertThat(observer.attempts(Outcome.BULKHEAD_FULL)).isEqualTo(rejections.get());
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void aWaitingCallGetsThePermitWhenOneFreesUpWithinMaxWait() {
        Upstream u = upstreams.register(spec("waiting").bulkhead(b -> b.maxConcurrentCalls(1).maxWait(Duration.ofSeconds(5)))
                .attemptTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(10)).build());
        CompletableFuture<String> hold = new CompletableFuture<>();
        CompletableFuture<String> holder = holdPermit(u, hold);
        assertThat(u.inFlight()).isEqualTo(1);

        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Long> waited = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            long start = System.nanoTime();
            try {
                result.set(u.call(ctx -> "got it"));
            } catch (Throwable e) {
                result.set(e);
            }
            waited.set(millisSince(start));
        }, "waiter");
        waiter.start();
        awaitParked(waiter); // waiting for the permit
        assertThat(result.get()).as("still waiting while the permit is held").isNull();

        hold.complete("done");
        join(waiter);
        assertThat(result.get()).isEqualTo("got it");
        assertThat(waited.get()).as("got the freed permit long before maxWait").isLessThan(4_000L);
        assertThat(get(holder)).isEqualTo("done");
        assertThat(u.inFlight()).isZero();
        assertThat(observer.attempts(Outcome.BULKHEAD_FULL)).isZero();
    }

    @Test
    void aWaitingCallIsRejectedWhenMaxWaitPassesButAnAsyncCallNeverWaits() {
        Upstream u = upstreams.register(spec("wait-out").bulkhead(b -> b.maxConcurrentCalls(1).maxWait(Duration.ofMillis(300)))
                .attemptTimeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(5)).build());
        CompletableFuture<String> hold = new CompletableFuture<>();
        holdPermit(u, hold);
        AtomicInteger reached = new AtomicInteger();

        long start = System.nanoTime();
        Throwable sync = catchThrowable(() -> u.call(ctx -> reached.incrementAndGet()));
        long syncWaited = millisSince(start);
        assertThat(sync).isInstanceOf(UpstreamRejectedException.class);
        assertThat(((UpstreamException) sync).outcome()).isEqualTo(Outcome.BULKHEAD_FULL);
        assertThat(syncWaited).as("a synchronous call waits maxWait for a permit").isBetween(300L, 300L + 2_000);

        start = System.nanoTime();
        CompletableFuture<Integer> async = u.callAsync(ctx -> CompletableFuture.completedFuture(reached.incrementAndGet()));
        long asyncTook = millisSince(start);
        assertThat(async).as("an asynchronous call is rejected at once, never waits").isCompletedExceptionally();
        assertThat(asyncTook).isLessThan(300L);
        assertThat(failureOf(async)).isInstanceOf(UpstreamRejectedException.class)
                .extracting(e -> ((UpstreamException) e).outcome()).isEqualTo(Outcome.BULKHEAD_FULL);
        assertThat(reached).as("rejected calls never reach the upstream").hasValue(0);

        hold.complete("x");
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void permitsComeBackAfterSuccessAndException() {
        Upstream u = upstreams.register(spec("plain").maxConcurrentCalls(2).build());
        String ok = u.call(ctx -> "ok");
        assertThat(ok).isEqualTo("ok");
        assertThat(u.inFlight()).isZero();
        assertThatThrownBy(() -> u.call(ctx -> {
            throw new IOException("boom");
        })).isInstanceOf(UpstreamFailureException.class);
        assertThat(u.inFlight()).isZero();
        assertThatThrownBy(() -> u.call(ctx -> {
            throw new IllegalStateException("bug in client");
        })).isInstanceOf(UpstreamFailureException.class);
        assertThat(u.inFlight()).isZero();

        String a = get(u.callAsync(ctx -> CompletableFuture.completedFuture("a")));
        assertThat(a).isEqualTo("a");
        assertThat(u.inFlight()).isZero();
        assertThat(failureOf(u.callAsync(ctx -> CompletableFuture.failedFuture(new IOException("async boom")))))
                .isInstanceOf(UpstreamFailureException.class);
        assertThat(u.inFlight()).isZero();
        assertThat(failureOf(u.callAsync(ctx -> {
            throw new IOException("could not even start");
        }))).isInstanceOf(UpstreamFailureException.class);
        assertThat(u.inFlight()).isZero();
        CompletableFuture<String> later = new CompletableFuture<>();
        CompletableFuture<String> pending = u.callAsync(ctx -> later);
        assertThat(u.inFlight()).isEqualTo(1);
        later.completeExceptionally(new IOException("late boom"));
        assertThat(failureOf(pending)).isInstanceOf(UpstreamFailureException.class);
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void permitsComeBackAfterSyncAndAsyncTimeouts() {
        Upstream u = upstreams.register(spec("timeouts").maxConcurrentCalls(2).attemptTimeout(Duration.ofMillis(50)).build());
        CountDownLatch never = release();
        assertThatThrownBy(() -> u.call(ctx -> never.await(Stubborn.MAX.toMillis(), TimeUnit.MILLISECONDS)))
                .isInstanceOf(UpstreamTimeoutException.class);
        awaitUntil(() -> u.inFlight() == 0, "the interrupted sync attempt returns its permit");

        CompletableFuture<String> hanging = new CompletableFuture<>();
        assertThat(failureOf(u.callAsync(ctx -> hanging))).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(u.inFlight()).as("released before the async call completes").isZero();
    }

    @Test
    void permitComesBackWhenTheCallerCancelsAnAsyncCall() {
        Upstream u = upstreams.register(spec("cancel").maxConcurrentCalls(1).attemptTimeout(Duration.ofSeconds(10))
                .deadline(Duration.ofSeconds(10)).build());
        CompletableFuture<String> upstreamFuture = new CompletableFuture<>();
        CompletableFuture<String> call = u.callAsync(ctx -> upstreamFuture);
        assertThat(u.inFlight()).isEqualTo(1);

        assertThat(call.cancel(true)).isTrue();
        assertThat(upstreamFuture).isCancelled();
        assertThat(u.inFlight()).isZero();
        String next = u.call(ctx -> "next");
        assertThat(next).as("the single permit is usable again").isEqualTo("next");
    }

    @Test
    void permitComesBackWhenNoAttemptThreadIsLeft() {
        assumeFalse(Behaviour.virtualThreads(), "only JDK 17-20 bound attempt threads; JDK 21+ is covered by the close test");
        Upstream u = registry(1).register(spec("one-thread").maxConcurrentCalls(4)
                .attemptTimeout(Duration.ofMillis(100)).build());
        Stubborn stuck = new Stubborn();
        releases.add(stuck.release);
        assertThatThrownBy(() -> u.call(ctx -> stuck.run())).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(u.inFlight()).as("the stubborn attempt keeps the only thread and its permit").isEqualTo(1);

        AtomicInteger reached = new AtomicInteger();
        Throwable rejected = catchThrowable(() -> u.call(ctx -> reached.incrementAndGet()));
        assertThat(rejected).isInstanceOf(UpstreamRejectedException.class);
        assertThat(((UpstreamException) rejected).outcome()).isEqualTo(Outcome.BULKHEAD_FULL);
        assertThat(reached).hasValue(0);
        assertThat(u.inFlight()).as("the rejected hand-off gave its permit back").isEqualTo(1);

        stuck.release.countDown();
        awaitUntil(() -> u.inFlight() == 0, "the stubborn attempt returns its permit once it ends");
    }

    /**
     * Regression: over a {@code SynchronousQueue}, JDK 17's attempt pool rejected a call whenever its threads
     * had all been used and none was back waiting for work yet, which is nearly always for a caller making
     * one call after another: with one attempt thread, 99% of sequential calls were rejected as BULKHEAD_FULL.
     */
    @Test
    void oneAttemptThreadServesCallAfterCallWithoutRejectingAny() {
        assumeFalse(Behaviour.virtualThreads(), "only JDK 17-20 bound attempt threads");
        Upstream u = registry(1).register(spec("one-thread").build());
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        for (int i = 0; i < 2_000; i++) {
            u.call(ctx -> threads.add(Thread.currentThread()));
        }

        assertThat(observer.attempts(Outcome.BULKHEAD_FULL)).as("calls rejected although the thread was free").isZero();
        assertThat(observer.attempts(Outcome.SUCCESS)).isEqualTo(2_000);
        assertThat(threads).as("the one attempt thread served every call").hasSize(1);
    }

    @Test
    void callsAfterCloseAreRejectedAndKeepNoPermit() {
        Upstream u = upstreams.register(spec("closed").maxConcurrentCalls(2).build());
        upstreams.close();
        AtomicInteger reached = new AtomicInteger();

        Throwable sync = catchThrowable(() -> u.call(ctx -> reached.incrementAndGet()));
        assertThat(sync).isInstanceOf(UpstreamRejectedException.class);
        assertThat(((UpstreamException) sync).outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(u.inFlight()).isZero();

        AtomicReference<CompletableFuture<Integer>> async = new AtomicReference<>();
        Throwable thrown = catchThrowable(() -> async.set(
                u.callAsync(ctx -> CompletableFuture.completedFuture(reached.incrementAndGet()))));
        assertThat(thrown).as("callAsync reports a failure through its future, never by throwing").isNull();
        assertThat(failureOf(async.get())).isInstanceOf(UpstreamRejectedException.class)
                .extracting(e -> ((UpstreamException) e).outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(reached).as("no call reaches the upstream after close").hasValue(0);
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void bulkheadWaitDoesNotCountAsTimeSpentInTheUpstream() throws Exception {
        // Regression: the wait for a permit was counted in the attempt's duration, so an upstream that
        // failed at once after a long wait was recorded as a TIMEOUT.
        Upstream u = upstreams.register(spec("queued").bulkhead(b -> b.maxConcurrentCalls(1).maxWait(Duration.ofSeconds(2)))
                .attemptTimeout(Duration.ofMillis(200)).deadline(Duration.ofSeconds(3)).build());
        Stubborn holder = new Stubborn(); // times out at 200 ms but keeps its permit until released
        releases.add(holder.release);
        Thread holding = new Thread(() -> catchThrowable(() -> u.call(ctx -> holder.run())), "holder");
        holding.start();
        await(holder.started, "the holder to take the only permit");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = new Thread(() -> failure.set(catchThrowable(() -> u.call(ctx -> {
            throw new IOException("refused at once");
        }))), "waiter");
        waiter.start();
        awaitParked(waiter);
        Thread.sleep(300); // the subject: a wait for a permit longer than the attempt timeout
        holder.release.countDown();
        join(waiter);
        join(holding);

        assertThat(failure.get()).isInstanceOf(UpstreamFailureException.class).hasRootCauseInstanceOf(IOException.class);
        assertThat(observer.attempts(Outcome.FAILURE)).isEqualTo(1);
        assertThat(observer.attempts(Outcome.TIMEOUT)).as("only the holder timed out").isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(observer.attemptNanos(Outcome.FAILURE)))
                .as("the attempt's reported duration excludes the wait for the permit").isLessThan(200L);
    }

    @Test
    void bulkheadWaitCountsAgainstTheDeadline() throws Exception {
        // Regression: after waiting for a permit an attempt still got its full attempt timeout, so a
        // synchronous call could block its caller for maxWait + attemptTimeout, far beyond its deadline.
        Upstream u = upstreams.register(spec("deadline").bulkhead(b -> b.maxConcurrentCalls(1).maxWait(Duration.ofSeconds(1)))
                .attemptTimeout(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(1)).build());
        CompletableFuture<String> hold = new CompletableFuture<>();
        holdPermit(u, hold);
        CountDownLatch never = release();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Long> took = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            long start = System.nanoTime();
            failure.set(catchThrowable(() -> u.call(ctx -> never.await(Stubborn.MAX.toMillis(), TimeUnit.MILLISECONDS))));
            took.set(millisSince(start));
        }, "waiter");
        waiter.start();
        awaitParked(waiter);
        Thread.sleep(600); // the subject: most of the deadline spent waiting for a permit
        hold.complete("x");
        join(waiter);

        assertThat(failure.get()).isInstanceOf(DeadlineExceededException.class);
        assertThat(took.get()).as("the call took %d ms with a deadline of 1,000 ms", took.get()).isLessThan(1_000L + 300);
        awaitUntil(() -> u.inFlight() == 0, "the interrupted attempt returns its permit");
    }

    @Test
    void aRetryWaitsForAPermitOnlyAsLongAsTheDeadlineLeaves() {
        // Regression: the wait for a permit ignored the deadline, so a retry could wait the full maxWait
        // after the deadline had nearly run out.
        Upstream u = upstreams.register(spec("retry-wait").bulkhead(b -> b.maxConcurrentCalls(1).maxWait(Duration.ofSeconds(1)))
                .attemptTimeout(Duration.ofMillis(500)).deadline(Duration.ofSeconds(1))
                .retry(r -> r.maxAttempts(2).exponentialBackoff(Duration.ofMillis(1), 1.0).jitter(0))
                .build());
        Stubborn first = new Stubborn(); // times out, and keeps the only permit: the retry must wait for it
        releases.add(first.release);
        AtomicInteger attempts = new AtomicInteger();

        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> u.call(ctx -> attempts.incrementAndGet() == 1 ? first.run() : "second",
                Adapter.identity(), CallOptions.idempotent()));
        long took = millisSince(start);

        assertThat(thrown).isInstanceOf(UpstreamRejectedException.class);
        assertThat(((UpstreamException) thrown).outcome()).isEqualTo(Outcome.BULKHEAD_FULL);
        assertThat(took).as("the call took %d ms with a deadline of 1,000 ms", took).isBetween(1_000L - 50, 1_000L + 300);
        assertThat(observer.attempts(Outcome.TIMEOUT)).isEqualTo(1);
        assertThat(observer.attempts(Outcome.BULKHEAD_FULL)).isEqualTo(1);
        assertThat(attempts).hasValue(1);
        first.release.countDown();
        awaitUntil(() -> u.inFlight() == 0, "the stubborn first attempt returns its permit");
    }
}
