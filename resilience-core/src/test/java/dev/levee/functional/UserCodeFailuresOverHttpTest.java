package dev.levee.functional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.ContractViolationException;
import dev.levee.Expectation;
import dev.levee.HealthListener;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamHealth;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.Verdict;
import dev.levee.spi.RetryRefusal;
import dev.levee.spi.UpstreamObserver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whatever user code throws, exception or error, a call ends and is counted exactly once: over a real HTTP
 * upstream, in every call mode. Before, an {@code Error} from an adapter left an asynchronous call pending
 * forever and uncounted, and a synchronous one uncounted.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UserCodeFailuresOverHttpTest extends PricingOverHttp {

    /** A JSON array nested this deep overflows the stack of any thread that parses it recursively. */
    static final int DEPTH = 200_000;

    /** A recursive-descent reader of nested arrays, as naive as many hand-written parsers. */
    static int depth(String text, int[] pos) {
        if (pos[0] < text.length() && text.charAt(pos[0]) == '[') {
            pos[0]++;
            int inner = depth(text, pos);
            pos[0]++; // the closing bracket
            return inner + 1;
        }
        return 0;
    }

    /** Translates by parsing the body recursively: a deeply nested body overflows the stack. */
    static final Adapter<HttpResponse<String>, Integer> RECURSIVE = response -> depth(response.body(), new int[1]);

    /** An adapter with a bug: its classification fails an assertion. */
    static final AssertionError BUG = new AssertionError("adapter bug");
    static final Adapter<HttpResponse<String>, Integer> ASSERTING = new Adapter<>() {
        @Override
        public Verdict<Integer> classify(HttpResponse<String> response) {
            throw BUG;
        }

        @Override
        public Integer translate(HttpResponse<String> response) {
            return 1;
        }
    };

    /** An adapter whose expectations are null. */
    static final Adapter<HttpResponse<String>, Integer> NULL_EXPECTATIONS = new Adapter<>() {
        @Override
        public Integer translate(HttpResponse<String> response) {
            return 1;
        }

        @Override
        public List<Expectation<? super HttpResponse<String>>> expectations() {
            return null;
        }
    };

    private Upstream register(CallMode mode) {
        return upstreams.register(UpstreamSpec.named(UPSTREAM).timeoutMode(mode.timeoutMode)
                .attemptTimeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(10)).build());
    }

    @ParameterizedTest
    @EnumSource(CallMode.class)
    void aStackOverflowInTheAdapterEndsTheCallCountedOnceAndReachesTheCallerUnchanged(CallMode mode) {
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("[".repeat(DEPTH) + "]".repeat(DEPTH))));
        Upstream pricing = register(mode);
        AtomicInteger fallbacks = new AtomicInteger();

        CallMode.Result<Integer> r = mode.call(pricing, http, uri, RECURSIVE, CallOptions.<Integer>idempotent()
                .withFallback(e -> fallbacks.incrementAndGet()));

        assertThat(r.failure()).isInstanceOf(StackOverflowError.class);
        assertEndedAsOneFailedAttempt(pricing);
        assertThat(fallbacks).as("an Error is no upstream failure to fall back from").hasValue(0);
    }

    @ParameterizedTest
    @EnumSource(CallMode.class)
    void anAssertionErrorInTheAdapterReachesTheCallerAsTheSameInstance(CallMode mode) {
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(GOOD_BODY)));
        Upstream pricing = register(mode);

        CallMode.Result<Integer> r = mode.call(pricing, http, uri, ASSERTING, CallOptions.idempotent());

        assertThat(r.failure()).isSameAs(BUG);
        assertEndedAsOneFailedAttempt(pricing);
    }

    @ParameterizedTest
    @EnumSource(CallMode.class)
    void nullExpectationsAreAContractViolationOfTheTranslation(CallMode mode) {
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(GOOD_BODY)));
        Upstream pricing = register(mode);

        CallMode.Result<Integer> r = mode.call(pricing, http, uri, NULL_EXPECTATIONS, CallOptions.idempotent());

        assertThat(r.failure()).isInstanceOfSatisfying(ContractViolationException.class, e -> {
            assertThat(e.expectation()).isEqualTo(ContractViolationException.TRANSLATION);
            assertThat(e.getCause()).isInstanceOf(NullPointerException.class).hasMessageContaining("expectations returned null");
        });
        RecordingObserver o = observers.of(UPSTREAM);
        assertThat(o.attemptOutcomes()).containsExactly(Outcome.CONTRACT_VIOLATION);
        assertThat(o.calls).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.CONTRACT_VIOLATION));
        assertThat(pricing.inFlight()).isZero();
    }

    @ParameterizedTest
    @EnumSource(CallMode.class)
    void observersAndHealthListenersThatThrowErrorsNeverBreakACall(CallMode mode) {
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        UpstreamObserver throwing = new UpstreamObserver() {
            @Override
            public void onAttempt(int attempt, Outcome outcome, long durationNanos) {
                throw new AssertionError("observer bug");
            }

            @Override
            public void onCall(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) {
                throw new StackOverflowError("observer bug");
            }

            @Override
            public void onRetryRefused(RetryRefusal reason) {
                throw new AssertionError("observer bug");
            }

            @Override
            public void onCircuitStateChange(CircuitState from, CircuitState to) {
                throw new AssertionError("observer bug");
            }
        };
        AtomicInteger healthChanges = new AtomicInteger();
        HealthListener listener = (UpstreamHealth previous, UpstreamHealth next) -> {
            healthChanges.incrementAndGet();
            throw new AssertionError("listener bug");
        };
        try (Upstreams own = Upstreams.builder().observer(u -> throwing).observer(observers).healthListener(listener).build()) {
            Upstream pricing = own.register(UpstreamSpec.named(UPSTREAM).timeoutMode(mode.timeoutMode)
                    .circuitBreaker(b -> b.consecutiveFailures(1)).build());

            CallMode.Result<Price> r = mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.<Price>idempotent()
                    .withFallback(e -> Price.UNKNOWN));

            assertThat(r.failure()).isNull();
            assertThat(r.value()).as("the fallback answered for the open circuit").isEqualTo(Price.UNKNOWN);
            assertThat(pricing.circuitState()).isEqualTo(CircuitState.OPEN);
            assertThat(healthChanges).as("the listener heard the upstream become unavailable").hasValue(1);
            RecordingObserver o = observers.of(UPSTREAM);
            assertThat(o.calls).singleElement().satisfies(c -> {
                assertThat(c.outcome()).isEqualTo(Outcome.CIRCUIT_OPEN);
                assertThat(c.fallbackUsed()).isTrue();
            });
            assertThat(pricing.inFlight()).isZero();
        }
    }

    /** One attempt, held against the upstream, not retried; one call counted as a failure; nothing held. */
    private void assertEndedAsOneFailedAttempt(Upstream pricing) {
        wm.verify(exactly(1), getRequestedFor(urlPathEqualTo(PATH)));
        RecordingObserver o = observers.of(UPSTREAM);
        assertThat(o.attemptOutcomes()).as("attempts: an Error is never retried").containsExactly(Outcome.FAILURE);
        assertThat(o.calls).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.FAILURE);
            assertThat(c.fallbackUsed()).isFalse();
            assertThat(c.attempts()).isEqualTo(1);
        });
        assertThat(pricing.inFlight()).isZero();
        assertThat(pricing.unwrap(CircuitBreaker.class).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
    }
}
