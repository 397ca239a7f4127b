package dev.levee.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.CallOptions;
import dev.levee.CallerFaultException;
import dev.levee.ClassificationRules;
import dev.levee.Deadline;
import dev.levee.DeadlineExceededException;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import dev.levee.testing.RecordingObserver;
import io.micrometer.context.ContextRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The Reactor entry point's own promises: subscription is the call, cancellation abandons the attempt and is
 * counted once, the Reactor context carries the deadline and the propagated context. The HTTP scenario table
 * runs through it too (functional.CallMode.REACTOR).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReactorUpstreamTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordingObserver observer = new RecordingObserver();
    private final Upstreams upstreams = Upstreams.builder().meterRegistry(meters).observer(observer)
            .healthCheckInterval(Duration.ZERO).build();

    @AfterEach
    void close() {
        upstreams.close();
    }

    private ReactorUpstream register(UpstreamSpec.Builder spec) {
        return ReactorUpstream.of(upstreams.register(spec.build()));
    }

    private static UpstreamSpec.Builder spec() {
        return UpstreamSpec.named("stock").attemptTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(20))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(1), 2.0).maxBackoff(Duration.ofMillis(2)))
                .maxConcurrentCalls(2_000);
    }

    private double calls(Outcome outcome) {
        return meters.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_OUTCOME, outcome.tag()).timers().stream()
                .mapToDouble(t -> t.count()).sum();
    }

    @Test
    void nothingHappensBeforeSubscriptionAndEachSubscriptionIsANewCall() {
        ReactorUpstream stock = register(spec());
        AtomicInteger built = new AtomicInteger();
        Mono<Integer> mono = stock.mono(ctx -> {
            built.incrementAndGet();
            return Mono.just(ctx.attempt());
        });

        assertThat(built).as("attempts built before any subscription").hasValue(0);
        assertThat(observer.calls()).isEmpty();

        StepVerifier.create(mono).expectNext(1).verifyComplete();
        StepVerifier.create(mono).expectNext(1).verifyComplete();
        assertThat(built).hasValue(2);
        assertThat(observer.calls()).extracting(RecordingObserver.CallEvent::outcome).containsExactly(Outcome.SUCCESS, Outcome.SUCCESS);
    }

    @Test
    void anIdempotentCallIsRetriedByResubscribingAndAFallbackAnswersAfterTheLastFailure() {
        ReactorUpstream stock = register(spec());
        AtomicInteger subscriptions = new AtomicInteger();
        Mono<String> failing = Mono.<String>error(new IOException("connection reset")).doOnSubscribe(s -> subscriptions.incrementAndGet());

        StepVerifier.create(failing.transformDeferred(stock.operator(CallOptions.<String>idempotent().withFallback(e -> "fallback:" + e.outcome().tag()))))
                .expectNext("fallback:failure").verifyComplete();

        assertThat(subscriptions).as("one subscription per attempt").hasValue(3);
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.FAILURE, Outcome.FAILURE, Outcome.FAILURE);
        assertThat(observer.calls()).singleElement().satisfies(c -> assertThat(c.fallbackUsed()).isTrue());
    }

    @Test
    void aFailureReachesTheSubscriberAsTheUpstreamExceptionAndANotIdempotentCallIsMadeOnce() {
        ReactorUpstream stock = register(spec());
        AtomicInteger subscriptions = new AtomicInteger();

        StepVerifier.create(stock.mono(ctx -> Mono.error(new IOException("reset")).doOnSubscribe(s -> subscriptions.incrementAndGet())))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(UpstreamFailureException.class, f -> {
                    assertThat(f.upstream()).isEqualTo("stock");
                    assertThat(f.getCause()).isInstanceOf(IOException.class);
                }))
                .verify();
        assertThat(subscriptions).hasValue(1);
    }

    @Test
    void aCallerFaultNeverReachesTheFallback() {
        ReactorUpstream stock = register(spec().classification(ClassificationRules.builder()
                .callerFault(IllegalArgumentException.class).build()));

        StepVerifier.create(stock.mono(ctx -> Mono.<String>error(new IllegalArgumentException("no such sku")),
                        dev.levee.Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> "fallback")))
                .expectError(CallerFaultException.class).verify();
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.CALLER_FAULT);
    }

    @Test
    void aFluxOfOneResponseYieldsOneElementAndOnlyTheFirstElementIsTaken() {
        ReactorUpstream stock = register(spec());

        StepVerifier.create(stock.flux(ctx -> Flux.just("first", "second"), dev.levee.Adapter.identity(), CallOptions.defaults()))
                .expectNext("first").verifyComplete();
        StepVerifier.create(stock.mono(ctx -> Mono.<String>empty())).verifyComplete();
    }

    @Test
    void aThousandSubscriptionsCancelledMidAttemptReturnEveryPermitAndCountAThousandCancelled() throws InterruptedException {
        int n = 1_000;
        ReactorUpstream stock = register(spec());
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch abandoned = new CountDownLatch(n);
        AtomicInteger upstreamCancelled = new AtomicInteger();
        List<Disposable> subscriptions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subscriptions.add(stock.mono(ctx -> {
                ctx.onAbandon(abandoned::countDown);
                return Mono.<String>never().doOnSubscribe(s -> started.countDown()).doOnCancel(upstreamCancelled::incrementAndGet);
            }).subscribe());
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).as("every attempt in flight").isTrue();
        assertThat(stock.upstream().inFlight()).isEqualTo(n);

        subscriptions.forEach(Disposable::dispose);

        assertThat(stock.upstream().inFlight()).as("permits held after the cancellations").isZero();
        assertThat(upstreamCancelled).as("attempt subscriptions cancelled").hasValue(n);
        assertThat(calls(Outcome.CANCELLED)).as("calls counted cancelled").isEqualTo(n);
        assertThat(observer.calls()).hasSize(n).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.CANCELLED));
        assertThat(abandoned.await(10, TimeUnit.SECONDS)).as("every registered abandon action ran").isTrue();
        assertThat(calls(Outcome.CANCELLED)).as("still once each, after the attempts settled").isEqualTo(n);
        assertThat(observer.calls()).hasSize(n);
    }

    @Test
    void cancellingWhileARetryWaitsStopsTheCallBeforeTheNextAttempt() {
        ReactorUpstream stock = register(spec().retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofSeconds(5), 2.0).maxBackoff(Duration.ofSeconds(10))));
        AtomicInteger attempts = new AtomicInteger();
        Sinks.One<String> firstFailed = Sinks.one();

        Disposable d = stock.mono(ctx -> {
            attempts.incrementAndGet();
            return Mono.<String>error(new IOException("reset")).doFinally(s -> firstFailed.tryEmitValue("failed"));
        }, dev.levee.Adapter.identity(), CallOptions.idempotent()).subscribe();
        firstFailed.asMono().block(Duration.ofSeconds(10));
        d.dispose();

        assertThat(attempts).hasValue(1);
        assertThat(stock.upstream().inFlight()).isZero();
        assertThat(observer.calls()).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.CANCELLED));
    }

    @Test
    void aDeadlineInTheReactorContextBoundsTheCall() {
        ReactorUpstream stock = register(spec());
        AtomicReference<Duration> remaining = new AtomicReference<>();

        StepVerifier.create(stock.mono(ctx -> {
                    remaining.set(ctx.remaining());
                    return Mono.just("ok");
                }).contextWrite(ReactorUpstream.deadline(Deadline.after(Duration.ofMillis(700)))))
                .expectNext("ok").verifyComplete();
        assertThat(remaining.get()).as("the attempt's time, clamped by the context's deadline")
                .isPositive().isLessThanOrEqualTo(Duration.ofMillis(700));

        AtomicInteger attempts = new AtomicInteger();
        StepVerifier.create(stock.mono(ctx -> Mono.just(attempts.incrementAndGet()))
                        .contextWrite(ReactorUpstream.deadline(Deadline.after(Duration.ZERO))))
                .expectError(DeadlineExceededException.class).verify();
        assertThat(attempts).as("no attempt once the deadline has passed").hasValue(0);
    }

    @Test
    void theDeadlineOfAReactorContextCanBeReadBack() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(1));
        StepVerifier.create(Mono.deferContextual(ctx -> Mono.justOrEmpty(ReactorUpstream.deadline(ctx)))
                        .contextWrite(ReactorUpstream.deadline(deadline)))
                .expectNext(deadline).verifyComplete();
        StepVerifier.create(Mono.deferContextual(ctx -> Mono.justOrEmpty(ReactorUpstream.deadline(ctx)))).verifyComplete();
    }

    @Test
    void theReactorContextReachesTheAttemptThreadLocalsTheFallbackAndTheUpstreamPublisher() {
        ThreadLocal<String> tenant = new ThreadLocal<>();
        ContextRegistry.getInstance().registerThreadLocalAccessor("test.reactor.tenant", tenant);
        try {
            ReactorUpstream stock = register(spec());
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Mono<String> call = stock.mono(ctx -> {
                seen.add("attempt " + ctx.attempt() + ": " + tenant.get());
                return Mono.deferContextual(view -> {
                    seen.add("publisher: " + view.getOrDefault("test.reactor.tenant", "none"));
                    return Mono.<String>error(new IOException("reset"));
                });
            }, dev.levee.Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> {
                seen.add("fallback: " + tenant.get());
                return "fallback";
            }));

            StepVerifier.create(call.contextWrite(c -> c.put("test.reactor.tenant", "acme"))).expectNext("fallback").verifyComplete();

            assertThat(seen).containsExactly("attempt 1: acme", "publisher: acme", "attempt 2: acme", "publisher: acme",
                    "attempt 3: acme", "publisher: acme", "fallback: acme");
            assertThat(tenant.get()).as("the subscriber's thread keeps its own value").isNull();
        } finally {
            ContextRegistry.getInstance().removeThreadLocalAccessor("test.reactor.tenant");
        }
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        ReactorUpstream stock = register(spec());
        assertThatThrownBy(() -> ReactorUpstream.of(null)).isInstanceOf(NullPointerException.class).hasMessage("upstream");
        assertThatThrownBy(() -> stock.mono(null)).isInstanceOf(NullPointerException.class).hasMessage("call");
        assertThatThrownBy(() -> stock.operator(null)).isInstanceOf(NullPointerException.class).hasMessage("options");
        assertThatThrownBy(() -> ReactorUpstream.deadline((Deadline) null)).isInstanceOf(NullPointerException.class).hasMessage("deadline");
        Upstream plain = stock.upstream();
        assertThat(plain.name()).isEqualTo("stock");
    }
}
