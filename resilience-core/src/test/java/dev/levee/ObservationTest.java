package dev.levee;

import static dev.levee.Behaviour.await;
import static dev.levee.Behaviour.get;
import static dev.levee.Behaviour.spec;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.observation.AttemptObservationContext;
import dev.levee.observation.CallObservationContext;
import dev.levee.observation.DefaultCallObservationConvention;
import dev.levee.observation.LeveeObservation;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The observations of calls and attempts ({@link LeveeObservation}), on Micrometer's test registry, which
 * also fails on any misuse (an observation stopped twice, an event after its stop, different key sets under
 * one name).
 */
class ObservationTest {

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final Recorder recorder = new Recorder();
    private final Upstreams upstreams;

    ObservationTest() {
        registry.observationConfig().observationHandler(recorder);
        upstreams = Upstreams.builder().observationRegistry(registry).healthCheckInterval(Duration.ZERO).build();
    }

    @AfterEach
    void close() {
        upstreams.close();
    }

    /** Records the contexts of the observations as they start, and each one's events. */
    static final class Recorder implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> started = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            started.add(context);
        }

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            events.add(context.getName() + ":" + event.getName());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        List<AttemptObservationContext> attempts() {
            return started.stream().filter(AttemptObservationContext.class::isInstance).map(AttemptObservationContext.class::cast).toList();
        }

        CallObservationContext onlyCall() {
            List<CallObservationContext> calls = started.stream().filter(CallObservationContext.class::isInstance)
                    .map(CallObservationContext.class::cast).toList();
            assertThat(calls).hasSize(1);
            return calls.get(0);
        }
    }

    private Upstream retrying(String name, TimeoutMode mode) {
        return upstreams.register(Behaviour.threeAttempts(name, mode));
    }

    /** The client's own observation, as an HTTP client would make it inside the attempt. */
    private <T> T clientCall(T answer) {
        return Observation.createNotStarted("http.client.requests", registry).contextualName("http get").observe(() -> answer);
    }

    @ParameterizedTest
    @EnumSource(TimeoutMode.class)
    void aCallRetriedTwiceIsOneCallObservationWithThreeAttemptObservationsBeneathIt(TimeoutMode mode) {
        Upstream u = retrying("pricing", mode);
        u.call(ctx -> {
            if (ctx.attempt() < 3) {
                throw new IOException("connection reset");
            }
            return "42";
        }, Adapter.identity(), CallOptions.idempotent());

        assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo("levee.call", 1)
                .hasNumberOfObservationsWithNameEqualTo("levee.attempt", 3)
                .hasObservationWithNameEqualTo("levee.call").that()
                .hasBeenStopped()
                .hasContextualNameEqualTo("call pricing")
                .hasLowCardinalityKeyValue("upstream", "pricing")
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasLowCardinalityKeyValue("fallback", "false")
                .hasLowCardinalityKeyValue("error.type", "none")
                .hasHighCardinalityKeyValue("levee.attempts", "3")
                .doesNotHaveError();
        CallObservationContext call = recorder.onlyCall();
        List<AttemptObservationContext> attempts = recorder.attempts();
        assertThat(attempts).extracting(AttemptObservationContext::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.getParentObservation()).as("parent of attempt %s", a.attempt()).isNotNull();
            assertThat(a.getParentObservation().getContextView()).isSameAs(call);
            assertThat(a.getContextualName()).isEqualTo("attempt pricing");
        });
        assertThat(attempts).extracting(a -> a.getLowCardinalityKeyValue("outcome").getValue())
                .containsExactly("failure", "failure", "success");
        assertThat(attempts).extracting(a -> a.getLowCardinalityKeyValue("kind").getValue())
                .containsExactly("first", "retry", "retry");
        assertThat(attempts).extracting(a -> a.getLowCardinalityKeyValue("error.type").getValue())
                .containsExactly("IOException", "IOException", "none");
        assertThat(attempts).extracting(a -> a.getHighCardinalityKeyValue("http.request.resend_count"))
                .extracting(kv -> kv == null ? null : kv.getValue())
                .containsExactly(null, "1", "2");
        assertThat(attempts.get(0).getError()).isInstanceOf(UpstreamFailureException.class).hasCauseInstanceOf(IOException.class);
        assertThat(attempts.get(2).getError()).isNull();
        assertThat(recorder.events).containsExactly("levee.call:retry.scheduled", "levee.call:retry.scheduled");
    }

    @ParameterizedTest
    @EnumSource(TimeoutMode.class)
    void theAttemptIsCurrentWhileTheUpstreamCallRunsSoTheClientsObservationIsItsChild(TimeoutMode mode) {
        Upstream u = retrying("pricing", mode);
        List<Observation.@Nullable Context> currentInAttempt = new CopyOnWriteArrayList<>();
        Observation server = Observation.start("http.server.requests", registry);
        try (Observation.Scope scope = server.openScope()) {
            u.call(ctx -> {
                Observation current = registry.getCurrentObservation();
                currentInAttempt.add(current == null ? null : current.getContext());
                return clientCall("42");
            });
            assertThat(registry.getCurrentObservation()).as("the caller's own observation is current again").isSameAs(server);
        }
        server.stop();

        CallObservationContext call = recorder.onlyCall();
        AttemptObservationContext attempt = recorder.attempts().get(0);
        Observation.Context client = recorder.started.stream().filter(c -> c.getName().equals("http.client.requests"))
                .findFirst().orElseThrow();
        assertThat(call.getParentObservation()).as("the call is a child of the caller's current observation").isSameAs(server);
        assertThat(currentInAttempt).containsExactly(attempt);
        assertThat(client.getParentObservation().getContextView()).as("the client's observation is the attempt's child").isSameAs(attempt);
    }

    @Test
    void anAsyncCallIsObservedTheSameWayAndItsAttemptIsCurrentWhileTheCallStarts() {
        Upstream u = retrying("async", TimeoutMode.ENFORCED);
        CompletableFuture<String> third = new CompletableFuture<>();
        List<Observation.@Nullable Context> currentInAttempt = new CopyOnWriteArrayList<>();

        CompletableFuture<String> result = u.callAsync(ctx -> {
            Observation current = registry.getCurrentObservation();
            currentInAttempt.add(current == null ? null : current.getContext());
            clientCall("started");
            return ctx.attempt() < 3 ? CompletableFuture.failedFuture(new IOException("reset")) : third;
        }, Adapter.identity(), CallOptions.idempotent());
        Behaviour.awaitUntil(() -> currentInAttempt.size() == 3, "the third attempt");
        Thread completer = new Thread(() -> third.complete("42"), "completer");
        completer.start();
        Behaviour.join(completer);
        assertThat(get(result)).isEqualTo("42");

        List<AttemptObservationContext> attempts = recorder.attempts();
        assertThat(currentInAttempt).containsExactlyElementsOf(attempts);
        assertThat(recorder.started.stream().filter(c -> c.getName().equals("http.client.requests")))
                .extracting(c -> c.getParentObservation().getContextView())
                .containsExactlyElementsOf(attempts);
        assertThat(registry).hasObservationWithNameEqualTo("levee.call").that().hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "success")
                .hasHighCardinalityKeyValue("levee.attempts", "3");
        assertThat(attempts).extracting(a -> a.getLowCardinalityKeyValue("outcome").getValue())
                .containsExactly("failure", "failure", "success");
        assertThat(attempts).allSatisfy(a -> assertThat(a.getParentObservation().getContextView()).isSameAs(recorder.onlyCall()));
    }

    @Test
    void aRejectedCallHasNoAttemptObservationAndARejectedEvent() {
        Upstream u = retrying("open", TimeoutMode.ENFORCED);
        u.forceCircuitOpen();

        assertThatThrownBy(() -> u.call(ctx -> "unreached")).isInstanceOf(UpstreamRejectedException.class);

        assertThat(recorder.attempts()).isEmpty();
        assertThat(recorder.events).containsExactly("levee.call:rejected");
        assertThat(registry).hasObservationWithNameEqualTo("levee.call").that().hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "circuit_open")
                .hasLowCardinalityKeyValue("error.type", "circuit_open")
                .hasHighCardinalityKeyValue("levee.attempts", "1")
                .hasError();
    }

    @ParameterizedTest
    @EnumSource(TimeoutMode.class)
    void aFallbackIsAnEventAndAKeyAndTheCallIsNoErrorForItsCaller(TimeoutMode mode) {
        Upstream u = retrying("fallback", mode);

        String answer = u.call(ctx -> {
            throw new IOException("down");
        }, Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> "cached"));

        assertThat(answer).isEqualTo("cached");
        assertThat(recorder.events).containsExactly("levee.call:retry.scheduled", "levee.call:retry.scheduled", "levee.call:fallback");
        assertThat(registry).hasObservationWithNameEqualTo("levee.call").that().hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "failure")
                .hasLowCardinalityKeyValue("fallback", "true")
                .hasLowCardinalityKeyValue("error.type", "failure")
                .doesNotHaveError();
    }

    @Test
    void aFailedCallCarriesTheErrorItsCallerGotAndTheClientsExceptionAsErrorType() {
        Upstream u = upstreams.register(spec("failing").build());

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> u.call(ctx -> {
            throw new java.net.ConnectException("refused");
        }));

        assertThat(thrown).isInstanceOf(UpstreamFailureException.class);
        assertThat(registry).hasObservationWithNameEqualTo("levee.call").that().hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "failure")
                .hasLowCardinalityKeyValue("error.type", "ConnectException")
                .hasError(thrown);
        assertThat(registry).hasObservationWithNameEqualTo("levee.attempt").that()
                .hasLowCardinalityKeyValue("error.type", "ConnectException")
                .hasLowCardinalityKeyValue("kind", "first");
    }

    @Test
    void anEnforcedAttemptThatTimesOutIsStoppedAtTheTimeoutWhileItsWorkGoesOn() {
        Upstream u = upstreams.register(spec("slow").attemptTimeout(Duration.ofMillis(200)).build());
        CountDownLatch ended = new CountDownLatch(1);
        Behaviour.Stubborn stubborn = new Behaviour.Stubborn();

        try {
            assertThatThrownBy(() -> u.call(ctx -> {
                try {
                    return stubborn.run();
                } finally {
                    ended.countDown();
                }
            })).isInstanceOf(UpstreamTimeoutException.class);

            assertThat(ended.getCount()).as("the stubborn work still runs").isEqualTo(1);
            assertThat(registry).hasObservationWithNameEqualTo("levee.attempt").that().hasBeenStopped()
                    .hasLowCardinalityKeyValue("outcome", "timeout")
                    .hasLowCardinalityKeyValue("error.type", "timeout")
                    .hasError();
            assertThat(registry).hasObservationWithNameEqualTo("levee.call").that().hasBeenStopped()
                    .hasLowCardinalityKeyValue("outcome", "timeout");
        } finally {
            stubborn.release.countDown();
        }
        await(ended, "the stubborn work to end");
    }

    @Test
    void aCancelledAsyncCallIsStoppedOnceAsCancelledAndSoIsItsAttempt() {
        Upstream u = upstreams.register(spec("cancelled").build());
        CompletableFuture<String> upstreamFuture = new CompletableFuture<>();
        CompletableFuture<String> result = u.callAsync(ctx -> upstreamFuture);

        result.cancel(true);

        assertThat(registry).hasObservationWithNameEqualTo("levee.call").that().hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "cancelled")
                .hasLowCardinalityKeyValue("error.type", "cancelled")
                .hasError(); // what the caller's future holds
        assertThat(registry).hasObservationWithNameEqualTo("levee.attempt").that().hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "cancelled");
    }

    /** A user's convention, as the README shows: registered globally, it replaces Levee's default. */
    static final class RenamingConvention extends DefaultCallObservationConvention
            implements GlobalObservationConvention<CallObservationContext> {
        @Override
        public String getContextualName(CallObservationContext context) {
            return "upstream " + context.upstream();
        }
    }

    @Test
    void aGlobalConventionRegisteredOnTheRegistryReplacesLeveesDefault() {
        registry.observationConfig().observationConvention(new RenamingConvention());
        Upstream u = upstreams.register(spec("renamed").build());

        u.call(ctx -> "ok");

        assertThat(registry).hasObservationWithNameEqualTo("levee.call").that()
                .hasContextualNameEqualTo("upstream renamed")
                .hasLowCardinalityKeyValue("outcome", "success");
        assertThat(registry).hasObservationWithNameEqualTo("levee.attempt").that()
                .hasContextualNameEqualTo("attempt renamed");
    }

    @Test
    void aPortIsObservedLikeAnyCall() {
        Upstream u = upstreams.register(spec("port").build());
        Runnable port = u.protect(Runnable.class, () -> { });

        port.run();

        assertThat(registry).hasObservationWithNameEqualTo("levee.call").that().hasBeenStopped()
                .hasLowCardinalityKeyValue("upstream", "port")
                .hasLowCardinalityKeyValue("outcome", "success");
        assertThat(registry).hasNumberOfObservationsWithNameEqualTo("levee.attempt", 1);
    }
}
