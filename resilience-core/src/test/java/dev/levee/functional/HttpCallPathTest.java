package dev.levee.functional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.levee.CallOptions;
import dev.levee.CallerFaultException;
import dev.levee.ContractViolationException;
import dev.levee.DeadlineExceededException;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamSpec;
import dev.levee.UpstreamTimeoutException;
import dev.levee.Upstreams;
import dev.levee.spi.RetryRefusal;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The call path against a real HTTP upstream (WireMock on loopback) through a real
 * {@link java.net.http.HttpClient}: one table of upstream behaviours, each run synchronously (both timeout
 * modes) and asynchronously, each ending with its documented outcome, exception, request count, observer
 * events and circuit breaker accounting.
 */
// A hang is a failure, not a stuck build; a separate thread because join() ignores interrupts.
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpCallPathTest extends PricingOverHttp {

    /**
     * The attempt timeout of the scenarios about timeouts. Every other scenario gets {@link #ROOMY_TIMEOUT}, so
     * a loaded machine cannot turn a fast answer into a timeout and a retry.
     */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(300);
    static final Duration ROOMY_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEADLINE = Duration.ofSeconds(3);
    static final int MAX_ATTEMPTS = 3;
    /** How long a "slow" upstream takes: far beyond the attempt timeout. */
    static final int SLOW_MILLIS = 3_000;

    @BeforeAll
    static void warmUpstream() {
        warmUp();
    }

    /** One call in each mode, so class loading and a cold JIT do not eat the first scenario's time. */
    private static void warmUp() {
        wm.stubFor(pricesGet().willReturn(okJson(GOOD_BODY)));
        try (Upstreams warm = Upstreams.builder().build()) {
            for (CallMode mode : CallMode.values()) {
                Upstream u = warm.register(UpstreamSpec.named("warm-up-" + mode.ordinal()).timeoutMode(mode.timeoutMode)
                        .attemptTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(10)).build());
                assertThat(mode.call(u, http, uri, Price.ADAPTER, CallOptions.defaults()).value()).isEqualTo(GOOD_PRICE);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- the table

    static final List<Scenario> SCENARIOS = List.of(
            scenario("200 with a price")
                    .stub(okJson(GOOD_BODY))
                    .requests(1).attempts(Outcome.SUCCESS).returns(GOOD_PRICE, Outcome.SUCCESS),
            scenario("delay beyond the attempt timeout, not idempotent")
                    .stub(okJson(GOOD_BODY).withFixedDelay(SLOW_MILLIS)).notIdempotent().attemptTimeout(ATTEMPT_TIMEOUT)
                    .requests(1).attempts(Outcome.TIMEOUT).fails(Outcome.TIMEOUT, timedOut(1))
                    .takesLessThan(Duration.ofMillis(SLOW_MILLIS - 1_000)),
            scenario("delay beyond the attempt timeout, idempotent")
                    .stub(okJson(GOOD_BODY).withFixedDelay(SLOW_MILLIS)).attemptTimeout(ATTEMPT_TIMEOUT)
                    .requests(3).attempts(Outcome.TIMEOUT, Outcome.TIMEOUT, Outcome.TIMEOUT).fails(Outcome.TIMEOUT, timedOut(3)),
            // 590 ms: the second attempt is always clamped below 300 ms, and the first may end up to 290 ms late.
            scenario("deadline clamps the retry of a slow upstream")
                    .stub(okJson(GOOD_BODY).withFixedDelay(SLOW_MILLIS)).attemptTimeout(ATTEMPT_TIMEOUT).deadline(Duration.ofMillis(590))
                    .requests(2).attempts(Outcome.TIMEOUT, Outcome.DEADLINE_EXCEEDED)
                    .fails(Outcome.DEADLINE_EXCEEDED, e -> assertThat(e).isInstanceOfSatisfying(DeadlineExceededException.class, d -> {
                        assertThat(d.deadline()).isEqualTo(Duration.ofMillis(590));
                        assertThat(d.attempts()).isEqualTo(2);
                    })),
            // When the connection closes before a single response byte, the JDK client itself sends an
            // idempotent method (GET) a second time (MultiExchange's ConnectionExpiredException retry), whatever
            // Levee decides: each Levee attempt reaches the upstream twice.
            scenario("connection reset by peer")
                    .stub(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                    .requests(2 * 3).attempts(Outcome.FAILURE, Outcome.FAILURE, Outcome.FAILURE).fails(Outcome.FAILURE, brokenConnection(3)),
            scenario("connection reset by peer, not idempotent")
                    .stub(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).notIdempotent()
                    .requests(2).attempts(Outcome.FAILURE).fails(Outcome.FAILURE, brokenConnection(1)),
            scenario("empty response")
                    .stub(aResponse().withFault(Fault.EMPTY_RESPONSE))
                    .requests(2 * 3).attempts(Outcome.FAILURE, Outcome.FAILURE, Outcome.FAILURE).fails(Outcome.FAILURE, brokenConnection(3)),
            scenario("malformed response chunk")
                    .stub(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK))
                    .requests(3).attempts(Outcome.FAILURE, Outcome.FAILURE, Outcome.FAILURE).fails(Outcome.FAILURE, brokenConnection(3)),
            scenario("random data then close")
                    .stub(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE))
                    .requests(3).attempts(Outcome.FAILURE, Outcome.FAILURE, Outcome.FAILURE).fails(Outcome.FAILURE, brokenConnection(3)),
            scenario("503, idempotent")
                    .stub(status(503))
                    .requests(3).attempts(Outcome.FAILURE, Outcome.FAILURE, Outcome.FAILURE).fails(Outcome.FAILURE, httpFailure("http 503", 3)),
            scenario("503, not idempotent")
                    .stub(status(503)).notIdempotent()
                    .requests(1).attempts(Outcome.FAILURE).fails(Outcome.FAILURE, httpFailure("http 503", 1)),
            scenario("408")
                    .stub(status(408))
                    .requests(3).attempts(Outcome.FAILURE, Outcome.FAILURE, Outcome.FAILURE).fails(Outcome.FAILURE, httpFailure("http 408", 3)),
            scenario("429 with Retry-After 1 s, then 200")
                    .stubs(wm -> {
                        wm.stubFor(pricesGet().inScenario("throttled").whenScenarioStateIs(STARTED)
                                .willReturn(status(429).withHeader("Retry-After", "1")).willSetStateTo("served"));
                        wm.stubFor(pricesGet().inScenario("throttled").whenScenarioStateIs("served").willReturn(okJson(GOOD_BODY)));
                    })
                    .requests(2).attempts(Outcome.FAILURE, Outcome.SUCCESS).returns(GOOD_PRICE, Outcome.SUCCESS)
                    .retriedNoSoonerThan(Duration.ofSeconds(1)),
            scenario("429 with Retry-After beyond the deadline")
                    .stub(status(429).withHeader("Retry-After", "10"))
                    .requests(1).attempts(Outcome.FAILURE).refused(RetryRefusal.DEADLINE)
                    .fails(Outcome.DEADLINE_EXCEEDED, deadlineAfter(httpFailure("http 429", 1, Duration.ofSeconds(10))))
                    .takesLessThan(Duration.ofSeconds(2)),
            scenario("503 with an absurd Retry-After")
                    .stub(status(503).withHeader("Retry-After", "99999999999"))
                    .requests(1).attempts(Outcome.FAILURE).refused(RetryRefusal.DEADLINE)
                    .fails(Outcome.DEADLINE_EXCEEDED, deadlineAfter(httpFailure("http 503", 1, Duration.ofNanos(Long.MAX_VALUE)))) // the verdict saturates
                    .takesLessThan(Duration.ofSeconds(2)),
            scenario("malformed JSON")
                    .stub(okJson("{\"sku\":\"A1\",\"price\":12.50"))
                    .requests(1).attempts(Outcome.CONTRACT_VIOLATION).violations(ContractViolationException.TRANSLATION)
                    .fails(Outcome.CONTRACT_VIOLATION, violated(ContractViolationException.TRANSLATION, IllegalArgumentException.class)),
            scenario("violated expectation")
                    .stub(okJson("{\"sku\":\"A1\",\"currency\":\"EUR\"}"))
                    .requests(1).attempts(Outcome.CONTRACT_VIOLATION).violations("has-price")
                    .fails(Outcome.CONTRACT_VIOLATION, violated("has-price", null)),
            scenario("404")
                    .stub(status(404))
                    .requests(1).attempts(Outcome.CALLER_FAULT).returns(Price.NOT_LISTED, Outcome.CALLER_FAULT),
            scenario("400")
                    .stub(status(400))
                    .requests(1).attempts(Outcome.CALLER_FAULT)
                    .fails(Outcome.CALLER_FAULT, e -> assertThat(e).isInstanceOfSatisfying(CallerFaultException.class,
                            c -> assertThat(c.reason()).isEqualTo("http 400"))));

    static Stream<Arguments> table() {
        return Arrays.stream(CallMode.values()).flatMap(mode -> SCENARIOS.stream().map(s -> Arguments.of(mode, s)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("table")
    void eachUpstreamBehaviourEndsWithItsDocumentedOutcome(CallMode mode, Scenario s) {
        s.stub.accept(wm);
        Upstream pricing = register(mode, s);

        CallMode.Result<Price> r = mode.call(pricing, http, uri, Price.ADAPTER, optionsOf(s));

        if (s.failure == null) {
            assertThat(r.failure()).as("failure").isNull();
            assertThat(r.value()).isEqualTo(s.value);
        } else {
            assertThat(r.failure()).as("failure").isNotNull();
            assertThat(r.value()).as("value").isNull();
            assertLevee(r.failure(), s);
        }
        assertUpstreamSaw(s, pricing, r.elapsed());
        RecordingObserver.CallEvent call = observers.of(UPSTREAM).onlyCall();
        assertThat(call.outcome()).as("onCall outcome").isEqualTo(s.outcome);
        assertThat(call.fallbackUsed()).as("onCall fallbackUsed").isFalse();
    }

    /**
     * The same table with a fallback: it answers exactly when the outcome is fallback-eligible, receives the
     * documented exception, and the observer reports it as used; caller faults never reach it.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("table")
    void aFallbackAnswersExactlyForFallbackEligibleOutcomes(CallMode mode, Scenario s) {
        s.stub.accept(wm);
        Upstream pricing = register(mode, s);
        List<UpstreamException> given = new CopyOnWriteArrayList<>();

        CallMode.Result<Price> r = mode.call(pricing, http, uri, Price.ADAPTER, optionsOf(s).withFallback(e -> {
            given.add(e);
            return Price.UNKNOWN;
        }));

        boolean eligible = s.outcome.isFallbackEligible();
        if (s.failure != null && eligible) {
            assertThat(r.failure()).as("failure").isNull();
            assertThat(r.value()).isEqualTo(Price.UNKNOWN);
            assertThat(given).hasSize(1);
            assertLevee(given.get(0), s);
        } else if (s.failure != null) {
            assertThat(given).as("fallback calls").isEmpty();
            assertLevee(r.failure(), s);
        } else {
            assertThat(given).as("fallback calls").isEmpty();
            assertThat(r.value()).isEqualTo(s.value);
        }
        assertUpstreamSaw(s, pricing, r.elapsed());
        RecordingObserver.CallEvent call = observers.of(UPSTREAM).onlyCall();
        assertThat(call.outcome()).as("onCall outcome").isEqualTo(s.outcome);
        assertThat(call.fallbackUsed()).as("onCall fallbackUsed").isEqualTo(s.failure != null && eligible);
    }

    private Upstream register(CallMode mode, Scenario s) {
        return upstreams.register(UpstreamSpec.named(UPSTREAM)
                .timeoutMode(mode.timeoutMode)
                .attemptTimeout(s.attemptTimeout)
                .deadline(s.deadline)
                .retry(r -> r.maxAttempts(MAX_ATTEMPTS).exponentialBackoff(Duration.ofMillis(5), 2.0).maxBackoff(Duration.ofMillis(20)))
                .build());
    }

    private static CallOptions<Price> optionsOf(Scenario s) {
        return CallOptions.<Price>defaults().withIdempotent(s.idempotent);
    }

    private static void assertLevee(@Nullable Throwable failure, Scenario s) {
        assertThat(failure).isInstanceOf(UpstreamException.class);
        UpstreamException e = (UpstreamException) failure;
        assertThat(e.upstream()).isEqualTo(UPSTREAM);
        assertThat(e.outcome()).as("exception outcome").isEqualTo(s.outcome);
        assertThat(e.getMessage()).startsWith("upstream '" + UPSTREAM + "': ");
        s.failure.accept(e);
    }

    /** What WireMock, the observer and the circuit breaker saw, and how long it took. */
    private void assertUpstreamSaw(Scenario s, Upstream pricing, Duration elapsed) {
        wm.verify(exactly(s.requests), getRequestedFor(urlPathEqualTo(PATH)));
        RecordingObserver o = observers.of(UPSTREAM);
        assertThat(o.attemptOutcomes()).as("onAttempt outcomes").isEqualTo(s.attempts);
        assertThat(o.attemptNumbers()).as("onAttempt numbers")
                .isEqualTo(IntStream.rangeClosed(1, s.attempts.size()).boxed().toList());
        assertThat(o.calls.get(0).attempts()).as("onCall attempts").isEqualTo(s.attempts.size());
        assertThat(o.violations).as("onContractViolation").isEqualTo(s.violations);
        assertThat(o.refusals).as("onRetryRefused").isEqualTo(s.refusals);

        CircuitBreaker.Metrics breaker = pricing.unwrap(CircuitBreaker.class).getMetrics();
        assertThat(breaker.getNumberOfFailedCalls()).as("attempts held against the upstream")
                .isEqualTo((int) s.attempts.stream().filter(Outcome::isUpstreamFault).count());
        assertThat(breaker.getNumberOfSuccessfulCalls()).as("attempts the upstream answered")
                .isEqualTo((int) s.attempts.stream().filter(a -> a == Outcome.SUCCESS || a == Outcome.CALLER_FAULT).count());

        if (s.maxElapsed != null) {
            assertThat(elapsed).as("call duration").isLessThan(s.maxElapsed);
        }
        if (s.minRetryGap != null) {
            assertThat(elapsed).as("call duration").isGreaterThanOrEqualTo(s.minRetryGap);
            List<ServeEvent> served = new ArrayList<>(wm.getAllServeEvents());
            served.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
            for (int i = 1; i < served.size(); i++) {
                long gap = served.get(i).getRequest().getLoggedDate().getTime() - served.get(i - 1).getRequest().getLoggedDate().getTime();
                // Logged dates are wall-clock milliseconds, truncated: allow that one millisecond.
                assertThat(gap).as("ms between request %d and %d at the upstream", i, i + 1)
                        .isGreaterThanOrEqualTo(s.minRetryGap.toMillis() - 1);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- expected failures

    static MappingBuilder pricesGet() {
        return get(urlPathEqualTo(PATH));
    }

    static Consumer<Throwable> timedOut(int attempt) {
        return e -> assertThat(e).isInstanceOfSatisfying(UpstreamTimeoutException.class, t -> {
            assertThat(t.attempt()).as("attempt that timed out").isEqualTo(attempt);
            assertThat(t.timeout()).isEqualTo(ATTEMPT_TIMEOUT);
        });
    }

    /** The connection broke: the client's IOException is the cause, its type the reason. */
    static Consumer<Throwable> brokenConnection(int attempts) {
        return e -> assertThat(e).isInstanceOfSatisfying(UpstreamFailureException.class, f -> {
            assertThat(f.getCause()).isInstanceOf(IOException.class);
            assertThat(f.reason()).isEqualTo(f.getCause().getClass().getSimpleName());
            assertThat(f.attempts()).as("attempts").isEqualTo(attempts);
            assertThat(f.retryAfter()).isEmpty();
        });
    }

    static Consumer<Throwable> httpFailure(String reason, int attempts) {
        return e -> assertThat(e).isInstanceOfSatisfying(UpstreamFailureException.class, f -> {
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.attempts()).as("attempts").isEqualTo(attempts);
            assertThat(f.retryAfter()).isEmpty();
            assertThat(f.getCause()).isNull();
        });
    }

    static Consumer<Throwable> httpFailure(String reason, int attempts, Duration retryAfter) {
        return e -> assertThat(e).isInstanceOfSatisfying(UpstreamFailureException.class, f -> {
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.attempts()).as("attempts").isEqualTo(attempts);
            assertThat(f.retryAfter()).contains(retryAfter);
        });
    }

    /** The deadline left no time for the retry: the last attempt's failure is the cause. */
    static Consumer<Throwable> deadlineAfter(Consumer<Throwable> lastFailure) {
        return e -> assertThat(e).isInstanceOfSatisfying(DeadlineExceededException.class, d -> {
            assertThat(d.deadline()).isEqualTo(DEADLINE);
            assertThat(d.attempts()).isEqualTo(1);
            lastFailure.accept(d.getCause());
        });
    }

    static Consumer<Throwable> violated(String expectation, @Nullable Class<? extends Throwable> cause) {
        return e -> assertThat(e).isInstanceOfSatisfying(ContractViolationException.class, c -> {
            assertThat(c.expectation()).isEqualTo(expectation);
            assertThat(c.getMessage()).contains("'" + expectation + "'");
            if (cause == null) {
                assertThat(c.getCause()).isNull();
            } else {
                assertThat(c.getCause()).isInstanceOf(cause);
            }
        });
    }

    // ------------------------------------------------------------------------------------------- scenario builder

    static Scenario scenario(String name) {
        return new Scenario(name);
    }

    /** One row of the table; built fluently once, in the static initializer, then read only. */
    static final class Scenario {
        final String name;
        Consumer<WireMockServer> stub = w -> { };
        boolean idempotent = true;
        Duration attemptTimeout = ROOMY_TIMEOUT;
        Duration deadline = DEADLINE;
        int requests;
        List<Outcome> attempts = List.of();
        Outcome outcome;
        @Nullable Price value;
        @Nullable Consumer<Throwable> failure;
        List<String> violations = List.of();
        List<RetryRefusal> refusals = List.of();
        @Nullable Duration maxElapsed;
        @Nullable Duration minRetryGap;

        Scenario(String name) {
            this.name = name;
        }

        Scenario stub(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
            this.stub = w -> w.stubFor(pricesGet().willReturn(response));
            return this;
        }

        Scenario stubs(Consumer<WireMockServer> stubs) {
            this.stub = stubs;
            return this;
        }

        Scenario notIdempotent() {
            this.idempotent = false;
            return this;
        }

        Scenario attemptTimeout(Duration d) {
            this.attemptTimeout = d;
            return this;
        }

        Scenario deadline(Duration d) {
            this.deadline = d;
            return this;
        }

        Scenario requests(int n) {
            this.requests = n;
            return this;
        }

        Scenario attempts(Outcome... outcomes) {
            this.attempts = List.of(outcomes);
            return this;
        }

        Scenario returns(Price v, Outcome o) {
            this.value = v;
            this.outcome = o;
            return this;
        }

        Scenario fails(Outcome o, Consumer<Throwable> check) {
            this.outcome = o;
            this.failure = check;
            return this;
        }

        Scenario violations(String... names) {
            this.violations = List.of(names);
            return this;
        }

        Scenario refused(RetryRefusal... reasons) {
            this.refusals = List.of(reasons);
            return this;
        }

        Scenario takesLessThan(Duration d) {
            this.maxElapsed = d;
            return this;
        }

        Scenario retriedNoSoonerThan(Duration d) {
            this.minRetryGap = d;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
