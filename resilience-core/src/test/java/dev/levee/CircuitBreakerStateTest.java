package dev.levee;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.testing.ManualTimeSource;
import dev.levee.testing.PermitHolder;
import dev.levee.testing.RecordingObserver;
import dev.levee.testing.RecordingObserver.Transition;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The circuit breaker's state machine and windows, driven by a manual clock. */
class CircuitBreakerStateTest {

    private static final Duration WAIT = ofSeconds(5);
    private static final int PROBES = 3;

    private final ManualTimeSource time = new ManualTimeSource();
    private final RecordingObserver observer = new RecordingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();
    private final AtomicInteger invocations = new AtomicInteger();

    @AfterEach
    void close() {
        upstreams.close();
    }

    private Upstream register(String name, Consumer<BreakerSpec.Builder> breaker) {
        return upstreams.register(UpstreamSpec.named(name).timeSource(time)
                .timeoutMode(TimeoutMode.COOPERATIVE)
                .attemptTimeout(ofSeconds(1))
                .deadline(ofSeconds(3))
                .maxConcurrentCalls(64)
                .circuitBreaker(b -> {
                    // The run-of-failures trigger is off unless a test switches it on: the window tests count on rates alone.
                    b.waitInOpenState(WAIT).halfOpenProbes(PROBES).failureRateThreshold(50).consecutiveFailures(0);
                    breaker.accept(b);
                })
                .build());
    }

    private Upstream countWindow(int size, int minimumCalls) {
        return register("count", b -> b.countWindow(size).minimumCalls(minimumCalls));
    }

    private void succeed(Upstream u) {
        String answer = u.call(ctx -> {
            invocations.incrementAndGet();
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
    }

    private void fail(Upstream u) {
        int before = invocations.get();
        assertThatThrownBy(() -> u.call(ctx -> {
            invocations.incrementAndGet();
            throw new IOException("boom");
        })).isInstanceOf(UpstreamFailureException.class);
        assertThat(invocations).hasValue(before + 1);
    }

    private void rejected(Upstream u) {
        int before = invocations.get();
        assertThatThrownBy(() -> u.call(ctx -> {
            invocations.incrementAndGet();
            return "ok";
        })).isInstanceOfSatisfying(UpstreamRejectedException.class,
                e -> assertThat(e.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN));
        assertThat(invocations).as("upstream invocations while the circuit is open").hasValue(before);
    }

    private static CircuitBreaker.Metrics metrics(Upstream u) {
        return u.unwrap(CircuitBreaker.class).getMetrics();
    }

    private void open(Upstream u, int failures) {
        for (int i = 0; i < failures; i++) {
            fail(u);
        }
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    // ------------------------------------------------------------------ opening

    @Test
    void doesNotOpenBeforeMinimumCalls() {
        Upstream u = countWindow(10, 5);
        for (int i = 1; i <= 4; i++) {
            fail(u);
            assertThat(u.circuitState()).as("after %d failures of a minimum of 5", i).isEqualTo(CircuitState.CLOSED);
        }
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(observer.transitions()).containsExactly(new Transition(CircuitState.CLOSED, CircuitState.OPEN));
    }

    @Test
    void countWindowOpensExactlyWhenTheRateReachesTheThreshold() {
        Upstream u = countWindow(4, 4);
        succeed(u);
        succeed(u);
        succeed(u);
        fail(u); // 1 of 4 = 25%
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        fail(u); // the window slides: S S F F = 50%, where all five calls would be 40%
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(metrics(u).getNumberOfBufferedCalls()).isEqualTo(4);
        assertThat(metrics(u).getFailureRate()).isEqualTo(50f);
    }

    @Test
    void countWindowStaysClosedJustBelowTheThreshold() {
        Upstream u = register("below", b -> b.countWindow(10).minimumCalls(10).failureRateThreshold(50));
        for (int i = 0; i < 6; i++) {
            succeed(u);
        }
        for (int i = 0; i < 4; i++) {
            fail(u);
        }
        assertThat(u.circuitState()).as("4 of 10 failed, 40% < 50%").isEqualTo(CircuitState.CLOSED);
        fail(u); // window: 5 S, 5 F = 50%
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void timeWindowOpensExactlyWhenTheRateReachesTheThreshold() {
        Upstream u = register("time", b -> b.timeWindow(ofSeconds(10)).minimumCalls(4));
        succeed(u);
        succeed(u);
        succeed(u);
        fail(u); // 25%
        time.advance(ofSeconds(2));
        fail(u); // 2 of 5 = 40%
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        time.advance(ofSeconds(2));
        fail(u); // 3 of 6 = 50%
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void timeWindowForgetsFailuresOnceTheWindowHasPassed() {
        Upstream u = register("forget", b -> b.timeWindow(ofSeconds(10)).minimumCalls(4));
        fail(u);
        fail(u);
        fail(u);
        time.advance(ofSeconds(10));
        fail(u); // only 1 call in the window: below the minimum
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(metrics(u).getNumberOfBufferedCalls()).isEqualTo(1);
        fail(u);
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        fail(u); // 4 failures in the window now
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void timeWindowRemembersFailuresWithinTheWindow() {
        Upstream u = register("remember", b -> b.timeWindow(ofSeconds(10)).minimumCalls(4));
        fail(u);
        fail(u);
        fail(u);
        time.advance(ofSeconds(9));
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void callerFaultsAndDomainAnswersDoNotCountAsFailures() {
        Upstream u = upstreams.register(UpstreamSpec.named("caller").timeSource(time)
                .timeoutMode(TimeoutMode.COOPERATIVE)
                .circuitBreaker(b -> b.countWindow(4).minimumCalls(4).failureRateThreshold(50))
                .classification(c -> c.callerFault(IllegalArgumentException.class).passThrough(DomainException.class))
                .build());
        Adapter<String, String> adapter = new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public Verdict<String> classify(String response) {
                switch (response) {
                    case "404":
                        return Verdict.answer("not found");
                    case "400":
                        return Verdict.callerFault("http 400");
                    default:
                        return Verdict.proceed();
                }
            }

            @Override
            public Verdict<String> classifyError(Throwable error) {
                return error instanceof IllegalStateException ? Verdict.callerFault("rejected request") : Verdict.unclassified();
            }
        };
        for (int round = 0; round < 2; round++) {
            String answer = u.call(ctx -> "404", adapter, CallOptions.idempotent());
            assertThat(answer).isEqualTo("not found");
            assertThatThrownBy(() -> u.call(ctx -> "400", adapter, CallOptions.idempotent()))
                    .isInstanceOf(CallerFaultException.class);
            assertThatThrownBy(() -> u.call(ctx -> {
                throw new IllegalStateException("bad");
            }, adapter, CallOptions.idempotent())).isInstanceOf(CallerFaultException.class);
            assertThatThrownBy(() -> u.call(ctx -> {
                throw new IllegalArgumentException("bad");
            }, adapter, CallOptions.idempotent())).isInstanceOf(CallerFaultException.class);
            assertThatThrownBy(() -> u.call(ctx -> {
                throw new DomainException();
            }, adapter, CallOptions.idempotent())).isInstanceOf(DomainException.class);
        }
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(metrics(u).getNumberOfFailedCalls()).isZero();
        assertThat(metrics(u).getNumberOfSuccessfulCalls()).as("caller faults are recorded as successes").isEqualTo(4);
        assertThat(observer.attemptOutcomes()).hasSize(10).allMatch(o -> o == Outcome.CALLER_FAULT);
        fail(u);
        fail(u); // window: CF CF F F = 50%
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void everyKindOfUpstreamFaultCounts() {
        Upstream u = register("faults", b -> b.countWindow(4).minimumCalls(4).failureRateThreshold(100));
        Adapter<String, String> adapter = new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public Verdict<String> classifyError(Throwable error) {
                return Verdict.permanentFailure("gone");
            }

            @Override
            public java.util.List<Expectation<? super String>> expectations() {
                return java.util.List.of(Expectation.of("not-empty", s -> !s.isEmpty()));
            }
        };
        fail(u); // FAILURE
        assertThatThrownBy(() -> u.call(ctx -> {
            time.advance(ctx.remaining());
            throw new IOException("read timed out");
        })).isInstanceOf(UpstreamTimeoutException.class); // TIMEOUT
        assertThatThrownBy(() -> u.call(ctx -> "", adapter)).isInstanceOf(ContractViolationException.class);
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThatThrownBy(() -> u.call(ctx -> {
            throw new IOException("gone");
        }, adapter)).isInstanceOf(UpstreamFailureException.class); // permanent FAILURE
        assertThat(u.circuitState()).as("4 of 4 upstream faults at a 100% threshold").isEqualTo(CircuitState.OPEN);
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.FAILURE, Outcome.TIMEOUT,
                Outcome.CONTRACT_VIOLATION, Outcome.FAILURE);
    }

    @Test
    void bulkheadRejectionsDoNotCount() throws Exception {
        Upstream u = upstreams.register(UpstreamSpec.named("full").timeSource(time)
                .timeoutMode(TimeoutMode.COOPERATIVE)
                .maxConcurrentCalls(1)
                .circuitBreaker(b -> b.countWindow(4).minimumCalls(4))
                .build());
        try (PermitHolder holder = PermitHolder.hold(u)) {
            for (int i = 0; i < 6; i++) {
                assertThatThrownBy(() -> u.call(ctx -> {
                    invocations.incrementAndGet();
                    return "x";
                }, Adapter.identity(), CallOptions.idempotent()))
                        .isInstanceOfSatisfying(UpstreamRejectedException.class,
                                e -> assertThat(e.outcome()).isEqualTo(Outcome.BULKHEAD_FULL));
            }
        }
        assertThat(invocations).hasValue(0);
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(metrics(u).getNumberOfBufferedCalls()).as("only the holder's call is recorded").isEqualTo(1);
        assertThat(metrics(u).getNumberOfFailedCalls()).isZero();
    }

    // ------------------------------------------------------------------ open

    @Test
    void openCircuitRejectsWithoutInvokingTheUpstream() {
        Upstream u = countWindow(4, 4);
        open(u, 4);
        observer.clear();
        for (int i = 0; i < 5; i++) {
            rejected(u);
        }
        // Idempotent calls are not retried after a rejection; the fallback answers without a call.
        assertThatThrownBy(() -> u.call(ctx -> invocations.incrementAndGet(), Adapter.identity(), CallOptions.idempotent()))
                .isInstanceOf(UpstreamRejectedException.class);
        String answer = u.call(ctx -> {
            invocations.incrementAndGet();
            return "upstream";
        }, Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> "fallback"));
        assertThat(answer).isEqualTo("fallback");
        assertThat(invocations).hasValue(4);
        assertThat(observer.attempts()).hasSize(7).allSatisfy(a -> {
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN);
            assertThat(a.durationNanos()).isZero();
        });
        assertThat(time.slept()).isZero();
    }

    @Test
    void staysOpenUntilTheWaitHasPassed() {
        Upstream u = countWindow(4, 4);
        open(u, 4);
        time.advance(WAIT.minusMillis(1));
        rejected(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        time.advance(ofMillis(2));
        succeed(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
    }

    // ------------------------------------------------------------------ half-open

    @Test
    void halfOpenAdmitsExactlyTheProbesUnderContention() throws Exception {
        Upstream u = countWindow(4, 4);
        open(u, 4);
        time.advance(WAIT.plusMillis(1));
        int threads = 16;
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch probesInside = new CountDownLatch(PROBES);
        CountDownLatch othersDone = new CountDownLatch(threads - PROBES);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    if (!start.await(10, TimeUnit.SECONDS)) {
                        return;
                    }
                    String r = u.call(ctx -> {
                        admitted.incrementAndGet();
                        probesInside.countDown();
                        return release.await(10, TimeUnit.SECONDS) ? "ok" : "not released";
                    });
                    if ("ok".equals(r)) {
                        succeeded.incrementAndGet();
                    }
                } catch (UpstreamRejectedException e) {
                    if (e.outcome() == Outcome.CIRCUIT_OPEN) {
                        rejected.incrementAndGet();
                    } else {
                        unexpected.add(e);
                    }
                    othersDone.countDown();
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "probe-" + i);
            workers.add(t);
            t.start();
        }
        boolean probesIn;
        boolean restDone;
        try {
            start.countDown();
            probesIn = probesInside.await(10, TimeUnit.SECONDS);
            restDone = othersDone.await(10, TimeUnit.SECONDS);
            assertThat(u.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
        } finally {
            release.countDown();
            for (Thread t : workers) {
                t.join(10_000);
            }
        }
        assertThat(workers).noneMatch(Thread::isAlive);
        assertThat(unexpected).isEmpty();
        assertThat(probesIn).as("all probes entered the call").isTrue();
        assertThat(restDone).as("all other callers were rejected").isTrue();
        assertThat(admitted).hasValue(PROBES);
        assertThat(rejected).hasValue(threads - PROBES);
        assertThat(succeeded).hasValue(PROBES);
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(observer.transitions()).containsExactly(
                new Transition(CircuitState.CLOSED, CircuitState.OPEN),
                new Transition(CircuitState.OPEN, CircuitState.HALF_OPEN),
                new Transition(CircuitState.HALF_OPEN, CircuitState.CLOSED));
    }

    @Test
    void halfOpenClosesWhenTheProbesSucceed() {
        Upstream u = countWindow(4, 4);
        open(u, 4);
        time.advance(WAIT.plusMillis(1));
        succeed(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
        succeed(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
        succeed(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        // Closed again with a fresh window: three failures stay below the minimum of four.
        fail(u);
        fail(u);
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void halfOpenReopensWhenTheProbesFailAndTheObserverSeesEveryTransitionInOrder() {
        Upstream u = countWindow(4, 4);
        open(u, 4);
        time.advance(WAIT.plusMillis(1));
        fail(u);
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        rejected(u);
        time.advance(WAIT.minusMillis(1));
        rejected(u); // a new full wait starts when it reopens
        time.advance(ofMillis(2));
        succeed(u);
        succeed(u);
        succeed(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(observer.transitions()).containsExactly(
                new Transition(CircuitState.CLOSED, CircuitState.OPEN),
                new Transition(CircuitState.OPEN, CircuitState.HALF_OPEN),
                new Transition(CircuitState.HALF_OPEN, CircuitState.OPEN),
                new Transition(CircuitState.OPEN, CircuitState.HALF_OPEN),
                new Transition(CircuitState.HALF_OPEN, CircuitState.CLOSED));
    }

    @Test
    void controlsByHandAreToldToObserversAtOnceAndInOrder() {
        Upstream u = countWindow(4, 4);
        u.forceCircuitOpen();
        assertThat(observer.transitions()).as("without any call or state read in between")
                .containsExactly(new Transition(CircuitState.CLOSED, CircuitState.FORCED_OPEN));
        u.closeCircuit();
        u.forceCircuitOpen();
        u.resetCircuit();
        assertThat(observer.transitions()).containsExactly(
                new Transition(CircuitState.CLOSED, CircuitState.FORCED_OPEN),
                new Transition(CircuitState.FORCED_OPEN, CircuitState.CLOSED),
                new Transition(CircuitState.CLOSED, CircuitState.FORCED_OPEN),
                new Transition(CircuitState.FORCED_OPEN, CircuitState.CLOSED));
    }

    // ------------------------------------------------------------------ runs of failures

    /** The default breaker (time window of 30 s, a run of 5), behind a window full of earlier successes. */
    private Upstream defaultsAfterSuccesses(String name, int successes) {
        Upstream u = upstreams.register(UpstreamSpec.named(name).timeSource(time).timeoutMode(TimeoutMode.COOPERATIVE)
                .retry(r -> r.maxAttempts(1)).build());
        for (int i = 0; i < successes; i++) {
            succeed(u);
            time.advance(ofMillis(1));
        }
        return u;
    }

    @Test
    void withTheDefaultsFiveFailedAttemptsInARowOpenTheCircuitBehindAWindowFullOfSuccesses() {
        assertThat(BreakerSpec.defaults().consecutiveFailures()).isEqualTo(5);
        Upstream u = defaultsAfterSuccesses("run", 10_000); // 10 s of 1,000 successes a second: the rate stays under 1%
        for (int i = 1; i <= 4; i++) {
            fail(u);
            assertThat(u.circuitState()).as("after %d failures in a row", i).isEqualTo(CircuitState.CLOSED);
        }
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(metrics(u).getFailureRate()).as("the windowed rate alone would not have opened it").isLessThan(1f);
        assertThat(u.health().state()).isEqualTo(HealthState.UNAVAILABLE);
        assertThat(observer.transitions()).containsExactly(new Transition(CircuitState.CLOSED, CircuitState.OPEN));
        rejected(u);
    }

    private static final Adapter<String, String> BAD_REQUEST = new Adapter<>() {
        @Override
        public String translate(String response) {
            return response;
        }

        @Override
        public Verdict<String> classifyError(Throwable error) {
            return Verdict.callerFault("http 400");
        }
    };

    @Test
    void aSuccessOrACallerFaultEndsTheRun() {
        Upstream u = defaultsAfterSuccesses("noise", 100);
        for (int round = 0; round < 50; round++) { // 4 failures in every 5 attempts: an 80% error rate, never 5 in a row
            fail(u);
            fail(u);
            fail(u);
            fail(u);
            if (round % 2 == 0) {
                succeed(u);
            } else {
                assertThatThrownBy(() -> u.call(ctx -> {
                    throw new IllegalArgumentException("bad request");
                }, BAD_REQUEST)).isInstanceOf(CallerFaultException.class);
            }
            time.advance(ofSeconds(31)); // the window forgets: only the run could open the circuit
        }
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(observer.transitions()).isEmpty();
    }

    @Test
    void rejectedCallsNeitherCountNorEndTheRun() throws Exception {
        Upstream u = upstreams.register(UpstreamSpec.named("full").timeSource(time).timeoutMode(TimeoutMode.COOPERATIVE)
                .retry(r -> r.maxAttempts(1)).maxConcurrentCalls(1).build());
        fail(u);
        fail(u);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> holderResult = new ConcurrentLinkedQueue<>();
        Thread holder = new Thread(() -> { // takes the only permit, then fails: the third failure of the run
            try {
                u.call(ctx -> {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    throw new IOException("reset");
                });
            } catch (Throwable t) {
                holderResult.add(t);
            }
        });
        holder.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> u.call(ctx -> "ok")).isInstanceOfSatisfying(UpstreamRejectedException.class,
                    e -> assertThat(e.outcome()).isEqualTo(Outcome.BULKHEAD_FULL));
        }
        release.countDown();
        holder.join(10_000);
        assertThat(holderResult).singleElement().isInstanceOf(UpstreamFailureException.class);
        fail(u);
        assertThat(u.circuitState()).as("4 failures in a row, 10 rejections among them").isEqualTo(CircuitState.CLOSED);
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void zeroSwitchesTheRunOffAndOnlyTheRateOpens() {
        Upstream u = upstreams.register(UpstreamSpec.named("off").timeSource(time).timeoutMode(TimeoutMode.COOPERATIVE)
                .retry(r -> r.maxAttempts(1)).circuitBreaker(b -> b.consecutiveFailures(0)).build());
        for (int i = 0; i < 100; i++) {
            succeed(u);
        }
        for (int i = 0; i < 99; i++) {
            fail(u);
        }
        assertThat(u.circuitState()).as("99 failures after 100 successes: 49.7%").isEqualTo(CircuitState.CLOSED);
        fail(u);
        assertThat(u.circuitState()).as("the rate reaches 50%").isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aRunCountsAfreshOnceTheCircuitHasClosedAgain() {
        Upstream u = register("afresh", b -> b.countWindow(100).minimumCalls(100).consecutiveFailures(3));
        open(u, 3);
        time.advance(WAIT.plusMillis(1));
        for (int i = 0; i < PROBES; i++) {
            succeed(u);
        }
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        fail(u);
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void anAttemptCutByTheDeadlineCountsWhenTheUpstreamHadASlowCallsTimeToAnswer() {
        assertThat(cutAttemptsOpen(ofMillis(300))).as("a 400 ms cut attempt, slow calls from 300 ms").isTrue();
        assertThat(cutAttemptsOpen(ofMillis(450))).as("a 400 ms cut attempt, slow calls from 450 ms").isFalse();
    }

    /**
     * Calls whose first attempt times out (1 s) and whose retry is cut by the deadline at 400 ms (1.5 s - 1 s
     * - 100 ms of backoff), each hanging until it is given up; whether the circuit is open after two.
     */
    private boolean cutAttemptsOpen(Duration slowCall) {
        Upstream u = upstreams.register(UpstreamSpec.named("cut-" + slowCall.toMillis()).timeSource(time)
                .timeoutMode(TimeoutMode.COOPERATIVE).attemptTimeout(ofSeconds(1)).deadline(ofMillis(1_500))
                .retry(r -> r.maxAttempts(2).exponentialBackoff(ofMillis(100), 1.0).jitter(0))
                .circuitBreaker(b -> b.countWindow(100).minimumCalls(100).consecutiveFailures(4).slowCallThreshold(slowCall))
                .build());
        for (int i = 0; i < 2; i++) { // 2 timeouts, and 2 cut attempts that may count: a run of 4 opens
            assertThatThrownBy(() -> u.call(ctx -> {
                time.advance(ctx.remaining()); // hangs until Levee gives up on it
                throw new IOException("read timed out");
            }, Adapter.identity(), CallOptions.idempotent())).isInstanceOf(DeadlineExceededException.class);
        }
        return u.circuitState() == CircuitState.OPEN;
    }

    // ------------------------------------------------------------------ slow calls

    @Test
    void slowSuccessfulCallsOpenTheCircuitAtTheSlowCallRate() {
        Upstream u = register("slow", b -> b.countWindow(4).minimumCalls(4)
                .slowCallThreshold(ofMillis(200)).slowCallRateThreshold(50));
        String[] answers = new String[4];
        long[] delays = {100, 300, 100, 300};
        for (int i = 0; i < 4; i++) {
            if (i == 3) {
                assertThat(u.circuitState()).as("1 slow call of 3").isEqualTo(CircuitState.CLOSED);
            }
            long d = delays[i];
            answers[i] = u.call(ctx -> {
                invocations.incrementAndGet();
                time.advance(ofMillis(d));
                return "ok";
            });
        }
        assertThat(answers).containsOnly("ok");
        assertThat(observer.attemptOutcomes()).containsOnly(Outcome.SUCCESS);
        assertThat(metrics(u).getNumberOfSlowSuccessfulCalls()).isEqualTo(2);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        rejected(u);
    }

    @Test
    void fastCallsDoNotOpenTheCircuit() {
        Upstream u = register("fast", b -> b.countWindow(4).minimumCalls(4)
                .slowCallThreshold(ofMillis(200)).slowCallRateThreshold(50));
        for (int i = 0; i < 8; i++) {
            u.call(ctx -> {
                time.advance(ofMillis(150));
                return "ok";
            });
        }
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    /** A domain exception that a port throws on purpose. */
    static final class DomainException extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
