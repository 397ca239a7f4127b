package dev.levee.spring.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.levee.CallerFaultException;
import dev.levee.Deadline;
import dev.levee.DeadlineExceededException;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamRejectedException;
import dev.levee.UpstreamTimeoutException;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import dev.levee.spring.http.FallbackTestApplication.PricingClient;
import dev.levee.spring.http.FallbackTestApplication.StockClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Fallbacks and caller faults of RestClient and HTTP service client calls, over real HTTP to WireMock upstreams:
 * an {@link UpstreamHttpFallback} bean answers failures after the retries and rejections, a per-call fallback wins
 * over it, both are counted with {@code fallback=true}, and a 404 never reaches either: it arrives as a
 * {@link CallerFaultException} with Spring's exception as its cause. Without a fallback, each way a call can end
 * surfaces as the exception the README's table says.
 */
@SpringBootTest(classes = FallbackTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "levee.defaults.attempt-timeout=2s",
        "levee.defaults.deadline=5s",
        "levee.defaults.retry.max-attempts=3",
        "levee.defaults.retry.initial-backoff=10ms",
        "levee.defaults.retry.max-backoff=20ms",
        "levee.defaults.retry.budget-min-retries=1000",
        "levee.defaults.circuit-breaker.count-window=1000",
        "levee.defaults.circuit-breaker.minimum-calls=1000",
        "levee.defaults.circuit-breaker.consecutive-failures=1000",
        "levee.defaults.circuit-breaker.wait-in-open-state=1h",
        "levee.upstreams.recommendations.criticality=optional",
        "levee.upstreams.pricing.criticality=optional",
        "levee.upstreams.stock.criticality=optional",
        "levee.upstreams.slow.attempt-timeout=300ms",
        "levee.upstreams.slow.retry.max-attempts=1",
        "levee.upstreams.slow.bulkhead.max-concurrent-calls=1",
        "levee.upstreams.slow.bulkhead.max-wait=0ms" })
class UpstreamHttpFallbackIntegrationTests {

    static final WireMockServer RECOMMENDATIONS = wireMock();
    static final WireMockServer PRICING = wireMock();
    static final WireMockServer SLOW = wireMock();
    static final WireMockServer STOCK = wireMock();

    @DynamicPropertySource
    static void upstreamUrls(DynamicPropertyRegistry registry) {
        registry.add("spring.http.serviceclient.pricing.base-url", PRICING::baseUrl);
        registry.add("spring.http.serviceclient.stock.base-url", STOCK::baseUrl);
    }

    @Autowired
    UpstreamRestClients clients;

    @Autowired
    PricingClient pricing;

    @Autowired
    StockClient stock;

    @Autowired
    Upstreams upstreams;

    @Autowired
    MeterRegistry meters;

    private RestClient recommendations;
    private RestClient slow;

    @BeforeEach
    void client() {
        recommendations = clients.builder("recommendations").baseUrl(RECOMMENDATIONS.baseUrl()).build();
        slow = clients.builder("slow").baseUrl(SLOW.baseUrl()).build();
    }

    @AfterEach
    void reset() {
        for (Upstream upstream : upstreams) {
            upstream.resetCircuit();
            awaitIdle(upstream);
        }
        RECOMMENDATIONS.resetAll();
        PRICING.resetAll();
        SLOW.resetAll();
        STOCK.resetAll();
    }

    @AfterAll
    static void stop() {
        RECOMMENDATIONS.stop();
        PRICING.stop();
        SLOW.stop();
        STOCK.stop();
    }

    // ---- the upstream's fallback bean --------------------------------------------------------------------------

    @Test
    void theUpstreamsFallbackAnswersA503AfterTheRetriesAndIsCounted() {
        RECOMMENDATIONS.stubFor(get("/top").willReturn(aResponse().withStatus(503)));
        double before = calls("recommendations", Outcome.FAILURE, true);

        assertThat(topRecommendations()).isEqualTo("[\"bestsellers\"]");

        assertThat(RECOMMENDATIONS.countRequestsMatching(getRequestedFor(urlPathMatching("/top")).build()).getCount())
                .as("retried before falling back").isEqualTo(3);
        assertThat(calls("recommendations", Outcome.FAILURE, true)).isEqualTo(before + 1);
    }

    @Test
    void theUpstreamsFallbackAnswersAnOpenCircuitWithoutCallingIt() {
        RECOMMENDATIONS.stubFor(get("/top").willReturn(aResponse().withStatus(200).withBody("[\"live\"]")));
        upstreams.get("recommendations").forceCircuitOpen();
        double before = calls("recommendations", Outcome.CIRCUIT_OPEN, true);

        assertThat(topRecommendations()).isEqualTo("[\"bestsellers\"]");

        assertThat(RECOMMENDATIONS.getAllServeEvents()).isEmpty();
        assertThat(calls("recommendations", Outcome.CIRCUIT_OPEN, true)).isEqualTo(before + 1);
    }

    @Test
    void theUpstreamsFallbackAnswersForAnHttpServiceInterface() {
        PRICING.stubFor(get(urlPathMatching("/prices/.*")).willReturn(aResponse().withStatus(503)));
        double failed = calls("pricing", Outcome.FAILURE, true);

        assertThat(pricing.price("sku-1")).isEqualTo("price unknown (failure)");
        assertThat(calls("pricing", Outcome.FAILURE, true)).isEqualTo(failed + 1);

        upstreams.get("pricing").forceCircuitOpen();
        double rejected = calls("pricing", Outcome.CIRCUIT_OPEN, true);
        assertThat(pricing.price("sku-1")).isEqualTo("price unknown (circuit_open)");
        assertThat(calls("pricing", Outcome.CIRCUIT_OPEN, true)).isEqualTo(rejected + 1);
    }

    @Test
    void aSuccessIsNotAFallback() {
        RECOMMENDATIONS.stubFor(get("/top").willReturn(aResponse().withStatus(200).withBody("[\"live\"]")));
        double before = calls("recommendations", Outcome.SUCCESS, false);

        assertThat(topRecommendations()).isEqualTo("[\"live\"]");
        assertThat(clients.call("recommendations", this::topRecommendations, failure -> "per call")).isEqualTo("[\"live\"]");

        assertThat(calls("recommendations", Outcome.SUCCESS, false)).isEqualTo(before + 2);
    }

    // ---- an HTTP service interface's fallback implementation -----------------------------------------------------

    @Test
    void theInterfacesFallbackImplementationAnswersA503AndAnOpenCircuitWithTheSameArguments() {
        STOCK.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withStatus(503)));
        double failed = calls("stock", Outcome.FAILURE, true);

        assertThat(stock.level("sku-7")).isEqualTo("unknown level of sku-7");
        assertThat(STOCK.countRequestsMatching(getRequestedFor(urlPathMatching("/stock/sku-7")).build()).getCount()).isEqualTo(3);
        assertThat(calls("stock", Outcome.FAILURE, true)).isEqualTo(failed + 1);

        upstreams.get("stock").forceCircuitOpen();
        double rejected = calls("stock", Outcome.CIRCUIT_OPEN, true);
        assertThat(stock.level("sku-8")).isEqualTo("unknown level of sku-8");
        assertThat(calls("stock", Outcome.CIRCUIT_OPEN, true)).isEqualTo(rejected + 1);
    }

    @Test
    void theInterfacesFallbackImplementationNeverAnswersA404NorWinsOverAPerCallFallback() {
        STOCK.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withStatus(404)));
        double fallbacks = fallbacks("stock");

        assertThatExceptionOfType(CallerFaultException.class).isThrownBy(() -> stock.level("gone"))
                .satisfies(e -> assertThat(e.getCause()).isInstanceOf(HttpClientErrorException.NotFound.class));
        assertThat(fallbacks("stock")).isEqualTo(fallbacks);

        upstreams.get("stock").forceCircuitOpen();
        assertThat(clients.call("stock", () -> stock.level("sku-1"), failure -> "per call")).isEqualTo("per call");
        assertThat(stock.toString()).isNotEmpty();
    }

    // ---- per-call fallbacks --------------------------------------------------------------------------------------

    @Test
    void aPerCallFallbackWinsOverTheUpstreamsForARestClient() {
        RECOMMENDATIONS.stubFor(get("/top").willReturn(aResponse().withStatus(503)));
        double before = calls("recommendations", Outcome.FAILURE, true);

        String answer = clients.call("recommendations", this::topRecommendations,
                failure -> "per call after " + failure.outcome().tag());

        assertThat(answer).isEqualTo("per call after failure");
        assertThat(calls("recommendations", Outcome.FAILURE, true)).isEqualTo(before + 1);
    }

    @Test
    void aPerCallFallbackWinsOverTheUpstreamsForAnHttpServiceInterface() {
        upstreams.get("pricing").forceCircuitOpen();
        double before = calls("pricing", Outcome.CIRCUIT_OPEN, true);

        assertThat(clients.call("pricing", () -> pricing.price("sku-1"), failure -> "per call")).isEqualTo("per call");

        assertThat(PRICING.getAllServeEvents()).isEmpty();
        assertThat(calls("pricing", Outcome.CIRCUIT_OPEN, true)).isEqualTo(before + 1);
    }

    @Test
    void aPerCallFallbackAnswersOnlyForTheUpstreamItNames() {
        RECOMMENDATIONS.stubFor(get("/top").willReturn(aResponse().withStatus(503)));
        upstreams.get("pricing").forceCircuitOpen();

        // pricing's exchange is answered by pricing's own fallback bean, not by the per-call fallback of recommendations
        String answer = clients.call("recommendations", () -> pricing.price("sku-1") + " / " + topRecommendations(),
                failure -> "per call");

        assertThat(answer).isEqualTo("per call");
        assertThat(clients.call("recommendations", () -> pricing.price("sku-1"), failure -> "per call"))
                .isEqualTo("price unknown (circuit_open)");
    }

    // ---- caller faults ---------------------------------------------------------------------------------------------

    @Test
    void a404FromARestClientIsACallerFaultThatNoFallbackAnswers() {
        RECOMMENDATIONS.stubFor(get("/top").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"no such list\"}")));
        double fallbacks = fallbacks("recommendations");
        double callerFaults = calls("recommendations", "caller_fault");
        double successes = calls("recommendations", "success");

        for (Supplier<String> call : List.<Supplier<String>>of(this::topRecommendations,
                () -> clients.call("recommendations", this::topRecommendations, failure -> "per call"))) {
            assertThatExceptionOfType(CallerFaultException.class).isThrownBy(call::get).satisfies(e -> {
                assertThat(e.upstream()).isEqualTo("recommendations");
                assertThat(e.reason()).isEqualTo("http 404");
                assertThat(e.outcome()).isEqualTo(Outcome.CALLER_FAULT);
                assertThat(e.getCause()).isInstanceOfSatisfying(HttpClientErrorException.NotFound.class, cause -> {
                    assertThat(cause.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
                    assertThat(cause.getResponseBodyAs(Map.class)).containsEntry("error", "no such list");
                });
            });
        }

        assertThat(RECOMMENDATIONS.countRequestsMatching(getRequestedFor(urlPathMatching("/top")).build()).getCount())
                .as("never retried").isEqualTo(2);
        assertThat(fallbacks("recommendations")).isEqualTo(fallbacks);
        assertThat(calls("recommendations", "caller_fault")).as("counted as caller faults").isEqualTo(callerFaults + 2);
        assertThat(calls("recommendations", "success")).as("not as successes").isEqualTo(successes);
    }

    @Test
    void a404FromAnHttpServiceInterfaceIsACallerFaultThatNoFallbackAnswers() {
        PRICING.stubFor(get(urlPathMatching("/prices/.*")).willReturn(aResponse().withStatus(404)));
        double fallbacks = fallbacks("pricing");
        double callerFaults = calls("pricing", "caller_fault");

        for (Supplier<String> call : List.<Supplier<String>>of(() -> pricing.price("gone"),
                () -> clients.call("pricing", () -> pricing.price("gone"), failure -> "per call"))) {
            assertThatExceptionOfType(CallerFaultException.class).isThrownBy(call::get).satisfies(e -> {
                assertThat(e.upstream()).isEqualTo("pricing");
                assertThat(e.reason()).isEqualTo("http 404");
                assertThat(e.getCause()).isInstanceOfSatisfying(HttpClientErrorException.NotFound.class,
                        cause -> assertThat(cause.getStatusCode().value()).isEqualTo(404));
            });
        }

        assertThat(fallbacks("pricing")).isEqualTo(fallbacks);
        assertThat(calls("pricing", "caller_fault")).as("counted as caller faults").isEqualTo(callerFaults + 2);
    }

    @Test
    void a404CanStillBeMadeADomainAnswerByTheRequestsOwnStatusHandler() {
        RECOMMENDATIONS.stubFor(get("/top").willReturn(aResponse().withStatus(404)));

        String answer = recommendations.get().uri("/top").retrieve()
                .onStatus(status -> status.value() == 404, (request, response) -> { })
                .body(String.class);
        String exchanged = recommendations.get().uri("/top")
                .exchange((request, response) -> response.getStatusCode().value() == 404 ? "none" : "some");

        assertThat(answer).isNull();
        assertThat(exchanged).isEqualTo("none");
    }

    @Test
    void aStatusHandlerTheApplicationAddsToAnHttpServiceGroupIsConsultedBeforeLevees() {
        PRICING.stubFor(get(urlPathMatching("/prices/.*")).willReturn(aResponse().withStatus(410)));

        assertThat(pricing.price("retired")).isNull();
    }

    // ---- what a caller sees without a fallback (the README's table) ------------------------------------------

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIsAnUpstreamTimeoutException() {
        SLOW.stubFor(get("/report").willReturn(aResponse().withStatus(200).withFixedDelay(1_500)));

        assertThatExceptionOfType(UpstreamTimeoutException.class).isThrownBy(this::report)
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.TIMEOUT));
        awaitIdle(upstreams.get("slow")); // the abandoned exchange holds the one permit until its read times out
        assertThat(clients.call("slow", this::report, failure -> failure.outcome().tag())).isEqualTo("timeout");
    }

    @Test
    void aCallThatRunsPastItsDeadlineIsADeadlineExceededException() {
        SLOW.stubFor(get("/report").willReturn(aResponse().withStatus(200).withFixedDelay(1_500)));

        try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(100)).bind()) {
            assertThatExceptionOfType(DeadlineExceededException.class).isThrownBy(this::report)
                    .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.DEADLINE_EXCEEDED));
        }
    }

    @Test
    void aFullBulkheadIsAnUpstreamRejectedException() throws Exception {
        SLOW.stubFor(get("/report").willReturn(aResponse().withStatus(200).withBody("done").withFixedDelay(250)));
        Upstream upstream = upstreams.get("slow");
        // The first call holds the one permit for 250 ms; on a loaded machine it may be over before the second
        // starts, so the race is run until the second call met a held permit (at most three times).
        UpstreamRejectedException rejected = null;
        for (int round = 0; round < 3 && rejected == null; round++) {
            awaitIdle(upstream);
            CompletableFuture<String> first = CompletableFuture.supplyAsync(this::report);
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (upstream.inFlight() == 0 && !first.isDone() && System.nanoTime() < until) {
                LockSupport.parkNanos(1_000_000);
            }
            try {
                report();
            } catch (UpstreamRejectedException e) {
                rejected = e;
            } catch (UpstreamTimeoutException slowMachine) {
                // the permit was free and the 250 ms answer ran past the 300 ms attempt: another round
            }
            first.handle((answer, failure) -> answer).get(5, TimeUnit.SECONDS); // its own outcome is not the point here
        }
        assertThat(rejected).as("a call made while the one permit was held").isNotNull()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.BULKHEAD_FULL));
    }

    /** Waits until no attempt of the upstream holds a bulkhead permit. */
    private static void awaitIdle(Upstream upstream) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (upstream.inFlight() > 0 && System.nanoTime() < until) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    private String report() {
        return slow.get().uri("/report").retrieve().body(String.class);
    }

    private String topRecommendations() {
        return recommendations.get().uri("/top").retrieve().body(String.class);
    }

    /** How many calls ended with that outcome and fallback use. */
    private double calls(String upstream, Outcome outcome, boolean fallback) {
        return meters.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, upstream).tag(LeveeMeters.TAG_OUTCOME, outcome.tag())
                .tag(LeveeMeters.TAG_FALLBACK, Boolean.toString(fallback)).timers().stream().mapToDouble(t -> t.count()).sum();
    }

    /** How many calls fell back, whatever their outcome. */
    private double calls(String upstream, String outcome) {
        return meters.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, upstream).tag(LeveeMeters.TAG_OUTCOME, outcome)
                .timers().stream().mapToDouble(t -> t.count()).sum();
    }

    private double fallbacks(String upstream) {
        return meters.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, upstream).tag(LeveeMeters.TAG_FALLBACK, "true")
                .timers().stream().mapToDouble(t -> t.count()).sum();
    }

    static WireMockServer wireMock() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(16).jettyAcceptors(1));
        server.start();
        return server;
    }
}
