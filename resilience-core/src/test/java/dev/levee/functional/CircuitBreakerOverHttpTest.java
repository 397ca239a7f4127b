package dev.levee.functional;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamRejectedException;
import dev.levee.UpstreamSpec;
import dev.levee.functional.RecordingObserver.AttemptEvent;
import dev.levee.functional.RecordingObserver.CallEvent;
import dev.levee.functional.RecordingObserver.StateChange;
import dev.levee.testing.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The circuit breaker over real HTTP: 503s open it, an open circuit answers without a single request to
 * the upstream (with the fallback when there is one), and after its wait one probe closes it again. Time
 * in the breaker is a {@link ManualTimeSource}: nothing here waits for real time.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CircuitBreakerOverHttpTest extends PricingOverHttp {

    static final int WINDOW = 4;
    static final Duration WAIT_IN_OPEN_STATE = Duration.ofSeconds(30);

    final ManualTimeSource time = new ManualTimeSource();
    private Upstream register(CallMode mode, float failureRateThreshold) {
        return upstreams.register(UpstreamSpec.named(UPSTREAM)
                .timeoutMode(mode.timeoutMode)
                .timeSource(time)
                .attemptTimeout(Duration.ofSeconds(2))
                .deadline(Duration.ofSeconds(3))
                .circuitBreaker(b -> b.countWindow(WINDOW).minimumCalls(WINDOW).failureRateThreshold(failureRateThreshold)
                        .waitInOpenState(WAIT_IN_OPEN_STATE).halfOpenProbes(1))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(5), 2.0).maxBackoff(Duration.ofMillis(20)))
                .build());
    }

    private static void respond(ResponseDefinitionBuilder response) {
        wm.resetMappings(); // the request journal stays: counts run over the whole test
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(response));
    }

    private static void assertCall(CallEvent call, Outcome outcome, boolean fallbackUsed, int attempts) {
        assertThat(call).extracting(CallEvent::outcome, CallEvent::fallbackUsed, CallEvent::attempts)
                .as("onCall(outcome, fallbackUsed, attempts)").containsExactly(outcome, fallbackUsed, attempts);
    }

    private static void assertRequests(int n) {
        wm.verify(exactly(n), getRequestedFor(urlPathEqualTo(PATH)));
    }

    @ParameterizedTest
    @EnumSource(CallMode.class)
    void enough503sOpenTheCircuitThenNoRequestReachesTheUpstreamUntilAProbeClosesIt(CallMode mode) {
        Upstream pricing = register(mode, 50);
        RecordingObserver observer = observers.of(UPSTREAM);
        List<UpstreamException> fallbackGot = new CopyOnWriteArrayList<>();
        CallOptions<Price> withFallback = CallOptions.<Price>defaults().withFallback(e -> {
            fallbackGot.add(e);
            return Price.UNKNOWN;
        });
        respond(status(503));

        for (int i = 1; i < WINDOW; i++) {
            CallMode.Result<Price> r = mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.defaults());
            assertThat(r.failure()).isInstanceOf(UpstreamFailureException.class);
            assertThat(pricing.circuitState()).as("state after %d of %d calls", i, WINDOW).isEqualTo(CircuitState.CLOSED);
        }
        // The call that fills the window fails too; its fallback answers, and the circuit opens.
        CallMode.Result<Price> last = mode.call(pricing, http, uri, Price.ADAPTER, withFallback);
        assertThat(last.value()).isEqualTo(Price.UNKNOWN);
        assertThat(fallbackGot).singleElement().isInstanceOfSatisfying(UpstreamFailureException.class,
                e -> assertThat(e.reason()).isEqualTo("http 503"));
        assertCall(observer.lastCall(), Outcome.FAILURE, true, 1);
        assertThat(pricing.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(observer.stateChanges).containsExactly(new StateChange(CircuitState.CLOSED, CircuitState.OPEN));
        assertRequests(WINDOW);

        // The upstream recovers, but the open circuit does not ask it.
        respond(okJson(GOOD_BODY));
        observer.clear();
        fallbackGot.clear();
        CallMode.Result<Price> rejected = mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.idempotent());
        assertThat(rejected.failure()).isInstanceOfSatisfying(UpstreamRejectedException.class, e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN);
            assertThat(e.upstream()).isEqualTo(UPSTREAM);
            assertThat(e.getMessage()).isEqualTo("upstream 'pricing': rejected, circuit is open");
        });
        assertThat(observer.attempts).containsExactly(new AttemptEvent(1, Outcome.CIRCUIT_OPEN, 0));
        assertCall(observer.onlyCall(), Outcome.CIRCUIT_OPEN, false, 1);

        observer.clear();
        CallMode.Result<Price> fellBack = mode.call(pricing, http, uri, Price.ADAPTER, withFallback.withIdempotent(true));
        assertThat(fellBack.value()).isEqualTo(Price.UNKNOWN);
        assertThat(fallbackGot).singleElement().satisfies(e -> {
            assertThat(e).isInstanceOf(UpstreamRejectedException.class);
            assertThat(e.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN);
        });
        assertThat(observer.attempts).as("a rejection is not retried").containsExactly(new AttemptEvent(1, Outcome.CIRCUIT_OPEN, 0));
        assertCall(observer.onlyCall(), Outcome.CIRCUIT_OPEN, true, 1);
        assertRequests(WINDOW);

        // After the wait, one probe reaches the recovered upstream and closes the circuit.
        time.advance(WAIT_IN_OPEN_STATE.plusMillis(1));
        CallMode.Result<Price> probe = mode.call(pricing, http, uri, Price.ADAPTER, withFallback);
        assertThat(probe.value()).isEqualTo(GOOD_PRICE);
        assertRequests(WINDOW + 1);
        assertThat(pricing.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(observer.stateChanges).containsExactly(
                new StateChange(CircuitState.OPEN, CircuitState.HALF_OPEN), new StateChange(CircuitState.HALF_OPEN, CircuitState.CLOSED));
    }

    static Stream<Arguments> answersBesideFailures() {
        return Stream.of(CallMode.values()).flatMap(mode -> Stream.of(
                Arguments.of(mode, "404", status(404), false),
                Arguments.of(mode, "400", status(400), false),
                Arguments.of(mode, "malformed JSON", okJson("{\"sku\":"), true),
                Arguments.of(mode, "violated expectation", okJson("{\"sku\":\"A1\"}"), true)));
    }

    /**
     * Half the window is 503s, half the other answer, with a threshold of 60 %: the circuit opens only if
     * the other answer is held against the upstream. Caller faults (404 as a domain answer, 400) are not;
     * contract violations are.
     */
    @ParameterizedTest(name = "{0}: 503s and {1}")
    @MethodSource("answersBesideFailures")
    void onlyUpstreamFaultsCountTowardsOpeningTheCircuit(CallMode mode, String name, ResponseDefinitionBuilder other,
            boolean heldAgainstUpstream) {
        Upstream pricing = register(mode, 60);
        for (int i = 0; i < WINDOW; i++) {
            respond(i % 2 == 0 ? status(503) : other);
            mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.defaults());
        }
        assertRequests(WINDOW);
        assertThat(observers.of(UPSTREAM).calls).extracting(CallEvent::outcome).contains(Outcome.FAILURE).hasSize(WINDOW);

        respond(okJson(GOOD_BODY));
        CallMode.Result<Price> next = mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.defaults());
        if (heldAgainstUpstream) {
            assertThat(pricing.circuitState()).isEqualTo(CircuitState.OPEN);
            assertThat(next.failure()).isInstanceOf(UpstreamRejectedException.class);
            assertRequests(WINDOW);
        } else {
            assertThat(pricing.circuitState()).isEqualTo(CircuitState.CLOSED);
            assertThat(next.value()).isEqualTo(GOOD_PRICE);
            assertRequests(WINDOW + 1);
        }
    }
}
