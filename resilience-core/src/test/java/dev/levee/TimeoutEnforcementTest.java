package dev.levee;

import static dev.levee.Behaviour.await;
import static dev.levee.Behaviour.awaitUntil;
import static dev.levee.Behaviour.failureOf;
import static dev.levee.Behaviour.millisSince;
import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.levee.Behaviour.Stubborn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TimeoutMode#ENFORCED} (the default) and scheduled async timeouts: callers get control back at the
 * attempt timeout whatever the upstream does, abandoned work is interrupted or cancelled, and neither
 * threads nor bulkhead permits pile up.
 */
class TimeoutEnforcementTest {

    /** Slack for a loaded 2-core machine between the timeout firing and the caller returning. */
    private static final long MARGIN_MS = 250;

    private final CountingObserver observer = new CountingObserver();
    private final List<Upstreams> registries = new ArrayList<>();
    private final List<Stubborn> stubborn = new ArrayList<>();

    private Upstreams registry(int maxAttemptThreads) {
        Upstreams u = Upstreams.builder().maxAttemptThreads(maxAttemptThreads).observer(observer).build();
        registries.add(u);
        return u;
    }

    @AfterEach
    void releaseEverything() {
        stubborn.forEach(s -> s.release.countDown());
        registries.forEach(Upstreams::close);
    }

    @Test
    void syncCallReturnsAtTheAttemptTimeoutEvenWhenTheUpstreamIgnoresInterrupts() {
        Upstream u = registry(256).register(spec("stubborn").attemptTimeout(Duration.ofMillis(200)).build());
        String warm = u.call(ctx -> "warm"); // class loading out of the measurement
        assertThat(warm).isEqualTo("warm");
        Stubborn work = new Stubborn();
        stubborn.add(work);

        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> u.call(ctx -> work.run()));
        long elapsed = millisSince(start);

        assertThat(thrown).isInstanceOf(UpstreamTimeoutException.class);
        UpstreamTimeoutException timeout = (UpstreamTimeoutException) thrown;
        assertThat(timeout.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(timeout.upstream()).isEqualTo("stubborn");
        assertThat(elapsed).as("caller returned after %d ms", elapsed).isBetween(200L, 200 + MARGIN_MS);

        // The abandoned work was interrupted, ignored it, and still runs: it keeps its bulkhead permit.
        await(work.interrupted, "the abandoned attempt to be interrupted");
        assertThat(work.finished.getCount()).as("the stubborn work is still running").isEqualTo(1);
        assertThat(u.inFlight()).as("abandoned work holds its permit until it really ends").isEqualTo(1);
        assertThat(observer.attempts(Outcome.TIMEOUT)).isEqualTo(1);
        assertThat(observer.calls(Outcome.TIMEOUT)).isEqualTo(1);

        work.release.countDown();
        await(work.finished, "the stubborn work to end once released");
        awaitUntil(() -> u.inFlight() == 0, "the permit comes back when the abandoned work ends");
    }

    @Test
    void upstreamBlockedInSleepIsInterruptedAtTheTimeout() {
        Upstream u = registry(256).register(spec("sleepy").attemptTimeout(Duration.ofMillis(100)).build());
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();

        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> u.call(ctx -> {
            worker.set(Thread.currentThread());
            try {
                Thread.sleep(Stubborn.MAX.toMillis());
                return "woke up";
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }));
        long elapsed = millisSince(start);

        assertThat(thrown).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(elapsed).isLessThan(Stubborn.MAX.toMillis() / 2);
        await(interrupted, "Thread.sleep in the upstream to be interrupted");
        assertThat(worker.get()).as("the attempt ran on a Levee thread, not the caller's")
                .isNotSameAs(Thread.currentThread());
        awaitUntil(() -> u.inFlight() == 0, "the interrupted attempt releases its permit");
    }

    @Test
    void upstreamWaitingOnALatchIsInterruptedAndTheCallerIsNot() throws Exception {
        Upstream u = registry(256).register(spec("latched").attemptTimeout(Duration.ofMillis(100)).build());
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);

        Throwable thrown = catchThrowable(() -> u.call(ctx -> {
            try {
                return never.await(Stubborn.MAX.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }));

        assertThat(thrown).isInstanceOf(UpstreamTimeoutException.class);
        await(interrupted, "the latch wait in the upstream to be interrupted");
        assertThat(Thread.currentThread().isInterrupted()).as("a timeout never interrupts the caller").isFalse();
        awaitUntil(() -> u.inFlight() == 0, "the interrupted attempt releases its permit");
        String next = u.call(ctx -> "next");
        assertThat(next).as("the upstream is usable afterwards").isEqualTo("next");
    }

    @Test
    void aThousandTimedOutCallsKeepThreadsAndPermitsBounded() throws Exception {
        int maxAttemptThreads = 16;
        int permits = 4;
        int callers = 4;
        int callsEach = 250;
        Upstream u = registry(maxAttemptThreads).register(spec("hanging")
                .attemptTimeout(Duration.ofMillis(5))
                .deadline(Duration.ofSeconds(20))
                .bulkhead(b -> b.maxConcurrentCalls(permits).maxWait(Duration.ofSeconds(10)))
                .build());
        int attemptThreadsBefore = Behaviour.leveeAttemptThreads();
        int platformBefore = Behaviour.platformThreads();

        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        UpstreamCall<Boolean> hang = ctx -> {
            started.incrementAndGet();
            workers.add(Thread.currentThread());
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return never.await(Stubborn.MAX.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            } finally {
                running.decrementAndGet();
            }
        };

        AtomicInteger timeouts = new AtomicInteger();
        List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(callers);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < callsEach; i++) {
                        try {
                            u.call(hang);
                            unexpected.add(new AssertionError("the hanging call returned"));
                        } catch (UpstreamTimeoutException e) {
                            timeouts.incrementAndGet();
                        } catch (Throwable e) {
                            unexpected.add(e);
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "caller-" + t);
            threads.add(thread);
            thread.start();
        }

        int peakAttemptThreads = 0;
        int peakPlatform = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!done.await(5, TimeUnit.MILLISECONDS)) { // sample while the callers run
            assertThat(System.nanoTime() - end).as("1,000 timed-out calls took more than 40 s").isNegative();
            peakAttemptThreads = Math.max(peakAttemptThreads, Behaviour.leveeAttemptThreads());
            peakPlatform = Math.max(peakPlatform, Behaviour.platformThreads());
        }
        threads.forEach(Behaviour::join);

        assertThat(unexpected).isEmpty();
        assertThat(timeouts).hasValue(callers * callsEach);
        assertThat(observer.attempts(Outcome.TIMEOUT)).isEqualTo(callers * callsEach);
        assertThat(maxRunning.get()).as("abandoned work never exceeds the bulkhead").isLessThanOrEqualTo(permits);
        if (Behaviour.virtualThreads()) {
            assertThat(peakAttemptThreads - attemptThreadsBefore).as("no pool threads on virtual threads").isLessThanOrEqualTo(0);
            // callers + virtual thread carriers (one per core) + the scheduler and JDK helpers
            assertThat(peakPlatform - platformBefore).as("platform threads grown during 1,000 timeouts")
                    .isLessThanOrEqualTo(callers + Runtime.getRuntime().availableProcessors() + 4);
        } else {
            assertThat(peakAttemptThreads - attemptThreadsBefore).as("levee-attempt threads alive at once")
                    .isLessThanOrEqualTo(maxAttemptThreads);
            assertThat(workers).as("distinct attempt threads used for 1,000 calls").hasSizeLessThanOrEqualTo(maxAttemptThreads);
            assertThat(peakPlatform - platformBefore).isLessThanOrEqualTo(callers + maxAttemptThreads + 2);
        }
        awaitUntil(() -> u.inFlight() == 0, "every abandoned attempt returns its permit");
        awaitUntil(() -> running.get() == 0, "every abandoned attempt ends");
        // An attempt abandoned before a worker picked it up never runs at all; every one that ran was interrupted.
        assertThat(interrupted.get()).as("abandoned attempts that ran and were interrupted").isEqualTo(started.get());
        assertThat(started.get()).isPositive().isLessThanOrEqualTo(callers * callsEach);
    }

    @Test
    void asyncFutureThatNeverCompletesIsTimedOutByTheSchedulerAndCancelled() {
        Upstream u = registry(256).register(spec("async-hang").attemptTimeout(Duration.ofMillis(500)).build());
        String warm = u.callAsync(ctx -> CompletableFuture.completedFuture("warm")).join(); // class loading first
        assertThat(warm).isEqualTo("warm");
        CompletableFuture<String> upstreamFuture = new CompletableFuture<>();
        AtomicReference<Thread> attemptThread = new AtomicReference<>();

        long start = System.nanoTime();
        CompletableFuture<String> result = u.callAsync(ctx -> {
            attemptThread.set(Thread.currentThread());
            return upstreamFuture;
        });
        long returnedAfter = millisSince(start);
        boolean doneOnReturn = result.isDone();
        int inFlightOnReturn = u.inFlight();

        assertThat(doneOnReturn).as("callAsync returned before the upstream answered").isFalse();
        assertThat(returnedAfter).as("callAsync returned at once, without waiting").isLessThan(500);
        assertThat(inFlightOnReturn).isEqualTo(1);
        assertThat(attemptThread.get()).as("the first attempt starts on the caller's thread").isSameAs(Thread.currentThread());

        Throwable failure = failureOf(result);
        long elapsed = millisSince(start);
        assertThat(failure).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(((UpstreamTimeoutException) failure).timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(elapsed).isBetween(500L, 500 + 4 * MARGIN_MS);
        assertThat(upstreamFuture).as("the upstream's future is cancelled at the timeout").isCancelled();
        assertThat(u.inFlight()).as("the permit is back when the call fails").isZero();
        assertThat(observer.attempts(Outcome.TIMEOUT)).isEqualTo(1);
        assertThat(observer.calls(Outcome.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void manyHangingAsyncCallsTimeOutTogetherWithoutAThreadEach() {
        int n = 50;
        Upstream u = registry(256).register(spec("async-many").attemptTimeout(Duration.ofMillis(200))
                .maxConcurrentCalls(n).build());
        List<CompletableFuture<String>> upstreamFutures = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            CompletableFuture<String> f = new CompletableFuture<>();
            upstreamFutures.add(f);
            results.add(u.callAsync(ctx -> f));
        }
        assertThat(results).allMatch(r -> !r.isDone());
        assertThat(u.inFlight()).isEqualTo(n);

        for (CompletableFuture<String> r : results) {
            assertThat(failureOf(r)).isInstanceOf(UpstreamTimeoutException.class);
        }
        long elapsed = millisSince(start);
        // One blocked thread per call, one after the other, would take n × 200 ms = 10 s.
        assertThat(elapsed).as("%d hanging async calls all timed out after %d ms", n, elapsed).isLessThan(2_000);
        assertThat(upstreamFutures).allMatch(CompletableFuture::isCancelled);
        assertThat(u.inFlight()).isZero();
        assertThat(observer.calls(Outcome.TIMEOUT)).isEqualTo(n);
    }
}
