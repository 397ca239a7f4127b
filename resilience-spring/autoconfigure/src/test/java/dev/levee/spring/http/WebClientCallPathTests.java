package dev.levee.spring.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CallerFaultException;
import dev.levee.ContractViolationException;
import dev.levee.Deadline;
import dev.levee.DeadlineExceededException;
import dev.levee.Expectation;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamSpec;
import dev.levee.UpstreamTimeoutException;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import dev.levee.reactor.ReactorUpstream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;

/**
 * The core's HTTP scenario table through a real {@code WebClient} (on the JDK's HttpClient) against WireMock on
 * loopback: statuses, faults and delays through a client bound by {@link UpstreamWebClients} (its
 * {@link UpstreamExchangeFilterFunction}); faults in the body and broken expectations through
 * {@link ReactorUpstream#mono} with an adapter, which reads the body inside the attempt. Each row ends with the
 * outcome, exception and request count of the core's sync and async paths.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WebClientCallPathTests {

    static final WireMockServer WM = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    static final String PATH = "/prices/A1";
    static final String GOOD = "{\"sku\":\"A1\",\"price\":12.50}";
    static final String HEADER = "Levee-Deadline-Ms";

    static {
        WM.start();
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Upstreams upstreams;

    @BeforeEach
    void reset() {
        WM.resetAll();
        upstreams = Upstreams.builder().meterRegistry(meters).healthCheckInterval(Duration.ZERO).build();
    }

    @AfterEach
    void close() {
        upstreams.close();
    }

    @AfterAll
    static void stop() {
        WM.stop();
    }

    static WebClient.Builder jdkClient() {
        return WebClient.builder().baseUrl(WM.baseUrl()).clientConnector(new JdkClientHttpConnector(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build()));
    }

    private Upstream register(Duration attemptTimeout) {
        return upstreams.register(UpstreamSpec.named("pricing").attemptTimeout(attemptTimeout).deadline(Duration.ofSeconds(3))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(5), 2.0).maxBackoff(Duration.ofSeconds(5)))
                .build());
    }

    private UpstreamWebClients webClients() {
        return new UpstreamWebClients(upstreams, Map.of(), HttpClassification.of("levee.defaults.http", null, null), HEADER,
                WebClientCallPathTests::jdkClient);
    }

    private double calls(Outcome outcome) {
        return meters.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_OUTCOME, outcome.tag()).timers().stream().mapToDouble(t -> t.count()).sum();
    }

    /** How a row reaches the upstream: through the bound WebClient, or through the Reactor entry point with an adapter. */
    enum Via { FILTER, MONO }

    record Row(String name, Via via, ResponseDefinitionBuilder stub, Duration attemptTimeout, int requests, Outcome outcome,
            @Nullable String value, Consumer<Throwable> failure) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Duration ROOMY = Duration.ofSeconds(2);
    static final Consumer<Throwable> NONE = e -> assertThat(e).isNull();

    static Consumer<Throwable> failed(Class<? extends UpstreamException> type, int attempts) {
        return e -> assertThat(e).isInstanceOfSatisfying(type, u -> {
            assertThat(u.upstream()).isEqualTo("pricing");
            if (u instanceof UpstreamFailureException f) {
                assertThat(f.attempts()).isEqualTo(attempts);
            }
        });
    }

    static Stream<Row> table() {
        return Stream.of(
                new Row("200", Via.FILTER, okJson(GOOD), ROOMY, 1, Outcome.SUCCESS, GOOD, NONE),
                new Row("delay beyond the attempt timeout", Via.FILTER, okJson(GOOD).withFixedDelay(3_000), Duration.ofMillis(300),
                        3, Outcome.TIMEOUT, null, e -> assertThat(e).isInstanceOfSatisfying(UpstreamTimeoutException.class,
                                t -> assertThat(t.attempt()).isEqualTo(3))),
                // the JDK client sends a GET again itself when the connection closes before a byte: twice per attempt
                new Row("connection reset by peer", Via.FILTER, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), ROOMY,
                        2 * 3, Outcome.FAILURE, null, failed(UpstreamFailureException.class, 3)),
                new Row("empty response", Via.FILTER, aResponse().withFault(Fault.EMPTY_RESPONSE), ROOMY,
                        2 * 3, Outcome.FAILURE, null, failed(UpstreamFailureException.class, 3)),
                new Row("503", Via.FILTER, status(503), ROOMY, 3, Outcome.FAILURE, null,
                        e -> assertThat(e).isInstanceOfSatisfying(UpstreamFailureException.class,
                                f -> assertThat(f.reason()).isEqualTo("http 503"))),
                new Row("429 with Retry-After beyond the deadline", Via.FILTER, status(429).withHeader("Retry-After", "10"), ROOMY,
                        1, Outcome.DEADLINE_EXCEEDED, null, e -> assertThat(e).isInstanceOfSatisfying(DeadlineExceededException.class,
                                d -> assertThat(((UpstreamFailureException) d.getCause()).retryAfter()).contains(Duration.ofSeconds(10)))),
                new Row("404", Via.FILTER, status(404), ROOMY, 1, Outcome.CALLER_FAULT, null,
                        e -> assertThat(e).isInstanceOfSatisfying(CallerFaultException.class, c -> {
                            assertThat(c.reason()).isEqualTo("http 404");
                            assertThat(c.getCause()).isInstanceOf(WebClientResponseException.NotFound.class);
                        })),
                new Row("400", Via.FILTER, status(400), ROOMY, 1, Outcome.CALLER_FAULT, null,
                        e -> assertThat(e).isInstanceOfSatisfying(CallerFaultException.class, c -> assertThat(c.reason()).isEqualTo("http 400"))),
                new Row("malformed response chunk", Via.MONO, aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK), ROOMY,
                        3, Outcome.FAILURE, null, failed(UpstreamFailureException.class, 3)),
                new Row("malformed JSON", Via.MONO, okJson("{\"sku\":\"A1\",\"price\":12.50"), ROOMY, 1, Outcome.CONTRACT_VIOLATION, null,
                        e -> assertThat(e).isInstanceOfSatisfying(ContractViolationException.class,
                                c -> assertThat(c.expectation()).isEqualTo(ContractViolationException.TRANSLATION))),
                new Row("violated expectation", Via.MONO, okJson("{\"sku\":\"A1\",\"currency\":\"EUR\"}"), ROOMY, 1,
                        Outcome.CONTRACT_VIOLATION, null, e -> assertThat(e).isInstanceOfSatisfying(ContractViolationException.class,
                                c -> assertThat(c.expectation()).isEqualTo("has-price"))));
    }

    /** The price in a JSON body, with the expectation that there is one; a body that is not an object is untranslatable. */
    static final Adapter<String, String> PRICE = new Adapter<>() {
        private final Pattern price = Pattern.compile("\"price\":([0-9.]+)");

        @Override
        public List<Expectation<? super String>> expectations() {
            return List.of(Expectation.of("has-price", body -> !body.endsWith("}") || price.matcher(body).find()));
        }

        @Override
        public String translate(String body) {
            if (!body.endsWith("}")) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Matcher m = price.matcher(body);
            m.find();
            return body;
        }
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachUpstreamBehaviourEndsWithTheOutcomeOfTheSyncAndAsyncPaths(Row row) {
        WM.stubFor(get(urlPathEqualTo(PATH)).willReturn(row.stub()));
        Upstream pricing = register(row.attemptTimeout());
        Mono<String> call = row.via() == Via.FILTER
                ? webClients().builder("pricing").build().get().uri(PATH).retrieve().bodyToMono(String.class)
                : ReactorUpstream.of(pricing).mono(ctx -> jdkClient().build().get().uri(PATH).retrieve().bodyToMono(String.class),
                        PRICE, CallOptions.idempotent());

        Signal<String> signal = call.materialize().block(Duration.ofSeconds(20));

        assertThat(signal).isNotNull();
        assertThat(signal.get()).as("value").isEqualTo(row.value());
        row.failure().accept(signal.getThrowable());
        assertThat(calls(row.outcome())).as("calls counted " + row.outcome().tag()).isEqualTo(1);
        WM.verify(exactly(row.requests()), getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(pricing.inFlight()).isZero();
    }

    @Test
    void aNonIdempotentMethodIsNotRetried() {
        WM.stubFor(post(urlPathEqualTo(PATH)).willReturn(status(503)));
        register(ROOMY);

        Signal<String> signal = webClients().builder("pricing").build().post().uri(PATH).bodyValue("{}").retrieve()
                .bodyToMono(String.class).materialize().block(Duration.ofSeconds(20));

        assertThat(signal.getThrowable()).isInstanceOf(UpstreamFailureException.class);
        WM.verify(exactly(1), anyRequestedFor(anyUrl()));
    }

    @Test
    void aRetryWaitsTheRetryAfterHint() {
        WM.stubFor(get(urlPathEqualTo(PATH)).inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(status(429).withHeader("Retry-After", "1")).willSetStateTo("served"));
        WM.stubFor(get(urlPathEqualTo(PATH)).inScenario("throttled").whenScenarioStateIs("served").willReturn(okJson(GOOD)));
        register(ROOMY);
        long start = System.nanoTime();

        String body = webClients().builder("pricing").build().get().uri(PATH).retrieve().bodyToMono(String.class)
                .block(Duration.ofSeconds(20));

        assertThat(body).isEqualTo(GOOD);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        WM.verify(exactly(2), getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void eachAttemptCarriesItsRemainingTimeClampedByTheDeadlineInTheReactorContext() {
        WM.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(GOOD)));
        register(ROOMY);
        WebClient client = webClients().builder("pricing").build();

        client.get().uri(PATH).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(20));
        client.get().uri(PATH).retrieve().bodyToMono(String.class)
                .contextWrite(ReactorUpstream.deadline(Deadline.after(Duration.ofMillis(500)))).block(Duration.ofSeconds(20));

        List<Long> sent = WM.findAll(getRequestedFor(urlPathEqualTo(PATH))).stream()
                .map(r -> Long.parseLong(r.getHeader(HEADER))).toList();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).as("the attempt timeout, less what has elapsed").isBetween(1_000L, 2_000L);
        assertThat(sent.get(1)).as("the incoming deadline, less what has elapsed").isBetween(0L, 500L);
    }

    @Test
    void anUpstreamsHttpFallbackAnswersAFailedExchange() {
        WM.stubFor(get(urlPathEqualTo(PATH)).willReturn(status(503)));
        register(ROOMY);
        WebClient client = webClients().withFallbacks(List.of(UpstreamHttpFallback.json("pricing", "{\"price\":0}")))
                .builder("pricing").build();

        assertThat(client.get().uri(PATH).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(20))).isEqualTo("{\"price\":0}");
        assertThat(meters.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_FALLBACK, "true").timer()).isNotNull()
                .satisfies(t -> assertThat(t.count()).isEqualTo(1));
    }

    @Test
    void cancellingTheExchangeCancelsTheAttemptAndReturnsThePermit() {
        WM.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(GOOD).withFixedDelay(5_000)));
        Upstream pricing = register(Duration.ofMillis(2_500));
        Disposable subscription = webClients().builder("pricing").build().get().uri(PATH).retrieve().bodyToMono(String.class).subscribe();
        assertThat(pricing.inFlight()).as("the attempt starts on subscription").isEqualTo(1);

        subscription.dispose();

        assertThat(pricing.inFlight()).isZero();
        assertThat(calls(Outcome.CANCELLED)).isEqualTo(1);
    }
}
