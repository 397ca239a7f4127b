package dev.levee.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.CallOptions;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * No thread is blocked on the reactive path: with BlockHound installed, every blocking call made on a
 * non-blocking thread (Reactor's parallel threads, and Levee's own timer thread, which must never block
 * either) is recorded, and calls that succeed, fail, are retried, time out, fall back and are cancelled record
 * none. A control call proves the detector is armed.
 *
 * <p>Each blocking call is recorded with where it was made. Allowed: a few short in-memory critical sections
 * (see {@link #installBlockHound()}), which park a thread only under contention, for nanoseconds.
 *
 * <p>Runs in its own surefire execution ({@code @Tag("blockhound")}): BlockHound instruments the JVM for
 * good, and needs {@code -XX:+AllowRedefinitionToAddDeleteMethods} on JDK 13 and later.
 */
@Tag("blockhound")
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReactorNonBlockingTest {

    private static final List<String> BLOCKING_CALLS = new CopyOnWriteArrayList<>();

    private Upstreams upstreams;

    @BeforeAll
    static void installBlockHound() {
        // install(...) and not builder().install(): the former also applies Reactor's own integration, which
        // marks Reactor's non-blocking threads.
        BlockHound.install(builder -> builder
                // Short in-memory critical sections that park only while another thread holds them for nanoseconds,
                // never for I/O or for time: resilience4j's breaker window (a ReentrantLock per recorded outcome since
                // resilience4j 2.2), the removal of a cancelled timer from the scheduler's queue (Reactor's own
                // integration allows its offer and take), and logback writing the one line of a health transition.
                .allowBlockingCallsInside("io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics", "record")
                .allowBlockingCallsInside("io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics", "getSnapshot")
                .allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record")
                .allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "getSnapshot")
                .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "remove")
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
                .nonBlockingThreadPredicate(p -> p.or(t -> t.getName().startsWith("levee-scheduler-")))
                .blockingMethodCallback(m -> BLOCKING_CALLS.add(m + " on " + Thread.currentThread().getName() + "\n"
                        + stack())));
    }

    /** Where the blocking call was made: the frames outside the JDK's and BlockHound's own. */
    private static String stack() {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("reactor.blockhound") && !c.startsWith("java.lang.Thread") && b.length() < 4_000) {
                b.append("    at ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    @AfterAll
    static void noneLeftOver() {
        BLOCKING_CALLS.clear();
    }

    @BeforeEach
    void setUp() {
        upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).build();
        BLOCKING_CALLS.clear();
    }

    /** Every upstream but the one that hangs gets a roomy attempt timeout: a loaded machine is slow to answer. */
    private ReactorUpstream register(String name) {
        return ReactorUpstream.of(upstreams.register(UpstreamSpec.named(name)
                .attemptTimeout(Duration.ofMillis(name.equals("hangs") ? 50 : 4_000)).deadline(Duration.ofSeconds(10))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(1), 2.0).maxBackoff(Duration.ofSeconds(5)))
                .maxConcurrentCalls(100)
                .build()));
    }

    @Test
    void theDetectorIsArmed() {
        Mono.fromRunnable(() -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));

        assertThat(BLOCKING_CALLS).as("a sleep on a parallel thread is seen").isNotEmpty();
    }

    @Test
    void aRecorderWaitingForTheOutcomeWindowsLockIsNotBlockingThanksToLeveesIntegration() throws Exception {
        // Levee's BlockHoundIntegration (META-INF/services), applied by BlockHound.install above, allows the
        // window's striped lock: without it, this wait is reported as Thread.onSpinWait on a parallel thread.
        boolean waited = dev.levee.internal.OutcomeWindowContention.recordWhileEveryStripeIsHeld(
                task -> Schedulers.parallel().schedule(task));

        assertThat(waited).as("the recorder waited for a stripe on a parallel thread").isTrue();
        assertThat(BLOCKING_CALLS).as("blocking calls on non-blocking threads").isEmpty();
    }

    @Test
    void successesFailuresRetriesTimeoutsFallbacksAndCancellationsNeverBlock() {
        AtomicInteger attempts = new AtomicInteger();
        List<Mono<String>> calls = List.of(
                // an answer that arrives later, on a parallel thread
                register("answers").mono(ctx -> Mono.delay(Duration.ofMillis(2)).map(x -> "ok")),
                // failures retried, then a fallback
                register("fails").mono(ctx -> Mono.delay(Duration.ofMillis(1)).then(Mono.<String>error(new IOException("reset"))),
                        dev.levee.Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> "fallback")),
                // attempts that time out, retried, then a fallback
                register("hangs").mono(ctx -> Mono.<String>never().doOnSubscribe(s -> attempts.incrementAndGet()),
                        dev.levee.Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> "timed out")),
                // a call cancelled in flight
                register("cancelled").mono(ctx -> Mono.<String>never()).timeout(Duration.ofMillis(10), Mono.just("cancelled")));

        List<String> results = Flux.range(0, 48)
                .flatMap(i -> calls.get(i % calls.size()).subscribeOn(Schedulers.parallel()))
                .collectList().block(Duration.ofSeconds(30));

        assertThat(results).hasSize(48).containsOnly("ok", "fallback", "timed out", "cancelled");
        assertThat(results).as("each kind of call").contains("ok", "fallback", "timed out", "cancelled");
        assertThat(attempts.get()).as("timed-out attempts (retries stop once the run of failures opens the circuit)").isGreaterThanOrEqualTo(12);
        assertThat(upstreams.all()).allSatisfy(u -> assertThat(u.inFlight()).as(u.name() + " in flight").isZero());
        assertThat(BLOCKING_CALLS).as("blocking calls on non-blocking threads").isEmpty();
    }
}
