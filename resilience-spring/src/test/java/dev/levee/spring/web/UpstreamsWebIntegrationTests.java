package dev.levee.spring.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.jayway.jsonpath.JsonPath;
import dev.levee.CircuitState;
import dev.levee.Upstream;
import dev.levee.UpstreamFailureException;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import dev.levee.spring.http.UpstreamRestClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The starter in a running application over real HTTP: a servlet app whose controller calls WireMock upstreams on
 * loopback ports through Levee, checked through its actuator endpoints, its responses and what WireMock received.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,upstreams,prometheus",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true",
        "management.endpoint.health.group.readiness.include=readinessState,upstreams",
        "levee.endpoint.write-operations-enabled=true",
        "levee.defaults.attempt-timeout=1s",
        "levee.defaults.deadline=3s",
        "levee.defaults.retry.initial-backoff=10ms",
        "levee.defaults.retry.max-backoff=20ms",
        "levee.defaults.retry.budget-min-retries=1000",
        "levee.defaults.circuit-breaker.count-window=4",
        "levee.defaults.circuit-breaker.minimum-calls=4",
        "levee.defaults.circuit-breaker.wait-in-open-state=1h",
        "levee.upstreams.inventory.criticality=critical",
        "levee.upstreams.inventory.owner=inventory-team",
        "levee.upstreams.inventory.retry.max-attempts=1",
        "levee.upstreams.recommendations.criticality=optional",
        "levee.upstreams.recommendations.retry.max-attempts=1",
        "levee.upstreams.catalog.retry.max-attempts=3",
        "levee.upstreams.catalog.circuit-breaker.count-window=1000",
        "levee.upstreams.catalog.circuit-breaker.minimum-calls=1000",
        "levee.upstreams.pricing.retry.max-attempts=2" })
class UpstreamsWebIntegrationTests {

    static final WireMockServer INVENTORY = wireMock();
    static final WireMockServer RECOMMENDATIONS = wireMock();
    static final WireMockServer CATALOG = wireMock();
    static final WireMockServer PRICING = wireMock();

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void upstreamUrls(DynamicPropertyRegistry registry) {
        registry.add("app.inventory-url", INVENTORY::baseUrl);
        registry.add("app.recommendations-url", RECOMMENDATIONS::baseUrl);
        registry.add("app.catalog-url", CATALOG::baseUrl);
        registry.add("spring.http.serviceclient.pricing.base-url", PRICING::baseUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    Upstreams upstreams;

    @Autowired
    MeterRegistry meters;

    @Autowired
    UpstreamRestClients clients;

    private static boolean warm;

    /**
     * One successful call through each upstream before the first test: the first exchange of a JVM (class loading,
     * the first connection) can take longer than the 1 s attempt timeout on a loaded machine.
     */
    @BeforeEach
    void warmUp() throws Exception {
        if (warm) {
            return;
        }
        for (WireMockServer server : List.of(INVENTORY, RECOMMENDATIONS, CATALOG, PRICING)) {
            server.stubFor(get(urlPathMatching(".*")).willReturn(aResponse().withStatus(200).withBody("warm")));
        }
        for (String path : List.of("/stock/warm", "/recommendations", "/items/warm", "/prices/warm", "/actuator/health",
                "/actuator/upstreams", "/actuator/prometheus")) {
            fetch(path);
        }
        resetUpstreams();
        warm = true;
    }

    @AfterEach
    void resetUpstreams() {
        for (Upstream upstream : upstreams) {
            upstream.resetCircuit();
        }
        for (WireMockServer server : List.of(INVENTORY, RECOMMENDATIONS, CATALOG, PRICING)) {
            server.resetAll();
        }
    }

    @AfterAll
    static void stopWireMock() {
        for (WireMockServer server : List.of(INVENTORY, RECOMMENDATIONS, CATALOG, PRICING)) {
            server.stop();
        }
    }

    // ---- health -----------------------------------------------------------------------------------------------

    @Test
    void aCriticalUpstreamWhoseCircuitOpensMakesHealthDownAndTheEndpointSaysWhy() throws Exception {
        INVENTORY.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withStatus(503)));
        assertThat(fetch("/actuator/health").statusCode()).isEqualTo(200);

        callUntilOpen("inventory", () -> fetch("/stock/sku-1"));

        HttpResponse<String> health = fetch("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(json(health, "$.status")).isEqualTo("DOWN");
        assertThat(json(health, "$.components.upstreams.status")).isEqualTo("DOWN");
        assertThat(json(health, "$.components.upstreams.components.inventory.status")).isEqualTo("DOWN");
        assertThat(json(health, "$.components.upstreams.components.inventory.details.state")).isEqualTo("UNAVAILABLE");
        assertThat(json(health, "$.components.upstreams.components.inventory.details.owner")).isEqualTo("inventory-team");
        assertThat(json(health, "$.components.upstreams.components.catalog.status")).isEqualTo("UP");

        HttpResponse<String> detail = fetch("/actuator/upstreams/inventory");
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(json(detail, "$.name")).isEqualTo("inventory");
        assertThat(json(detail, "$.criticality")).isEqualTo("CRITICAL");
        assertThat(json(detail, "$.health.state")).isEqualTo("UNAVAILABLE");
        assertThat(json(detail, "$.health.reason")).startsWith("circuit open");
        assertThat(JsonPath.<Boolean>read(detail.body(), "$.health.blocksReadiness")).isTrue();
        assertThat(json(detail, "$.circuit.state")).isEqualTo("OPEN");

        assertThat(fetch("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(json(fetch("/actuator/health/liveness"), "$.status")).isEqualTo("UP");
        // readiness includes upstreams only because this application said so
        assertThat(fetch("/actuator/health/readiness").statusCode()).isEqualTo(503);

        // while open, calls are rejected without reaching the upstream
        int received = count(INVENTORY, getRequestedFor(urlPathMatching("/stock/.*")));
        HttpResponse<String> rejected = fetch("/stock/sku-1");
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(rejected.body()).contains("UpstreamRejectedException").contains("outcome=circuit_open");
        assertThat(count(INVENTORY, getRequestedFor(urlPathMatching("/stock/.*")))).isEqualTo(received);
    }

    @Test
    void anOptionalUpstreamThatIsDownIsReportedButKeepsHealthUp() throws Exception {
        RECOMMENDATIONS.stubFor(get("/recommendations").willReturn(aResponse().withStatus(500)));

        callUntilOpen("recommendations", () -> fetch("/recommendations"));

        HttpResponse<String> health = fetch("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health, "$.status")).isEqualTo("UP");
        assertThat(json(health, "$.components.upstreams.components.recommendations.status")).isEqualTo("UP");
        assertThat(json(health, "$.components.upstreams.components.recommendations.details.state")).isEqualTo("UNAVAILABLE");
        assertThat(json(health, "$.components.upstreams.components.recommendations.details.circuitState")).isEqualTo("OPEN");
        assertThat(json(health, "$.components.upstreams.components.recommendations.details.reason")).startsWith("circuit open");
        assertThat(json(health, "$.components.upstreams.components.recommendations.details.criticality")).isEqualTo("OPTIONAL");
        assertThat(json(fetch("/actuator/health/liveness"), "$.status")).isEqualTo("UP");
        assertThat(json(fetch("/actuator/health/readiness"), "$.status")).isEqualTo("UP");
    }

    // ---- RestClient classification and retries ------------------------------------------------------------------

    @Test
    void idempotentRequestsAreRetriedUpToMaxAttemptsAndPostIsNot() throws Exception {
        CATALOG.stubFor(get("/items/1").willReturn(aResponse().withStatus(503)));
        CATALOG.stubFor(post("/orders").willReturn(aResponse().withStatus(502)));
        double retriesBefore = attempts("catalog", LeveeMeters.KIND_RETRY);

        HttpResponse<String> read = fetch("/items/1");
        assertThat(read.statusCode()).isEqualTo(503);
        assertThat(read.body()).contains("dev.levee.UpstreamFailureException").contains("outcome=failure");
        assertThat(count(CATALOG, getRequestedFor(urlEqualTo("/items/1")))).isEqualTo(3);

        HttpResponse<String> write = postJson("/orders", "{\"sku\":\"a\"}");
        assertThat(write.statusCode()).isEqualTo(503);
        assertThat(write.body()).contains("dev.levee.UpstreamFailureException");
        assertThat(count(CATALOG, postRequestedFor(urlEqualTo("/orders")))).isEqualTo(1);

        assertThat(attempts("catalog", LeveeMeters.KIND_RETRY) - retriesBefore).isEqualTo(2.0);
    }

    @Test
    void aRetryWaitsForRetryAfter() throws Exception {
        CATALOG.stubFor(get("/items/busy").inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ready"));
        CATALOG.stubFor(get("/items/busy").inScenario("busy").whenScenarioStateIs("ready")
                .willReturn(aResponse().withStatus(200).withBody("widget")));

        long start = System.nanoTime();
        HttpResponse<String> response = fetch("/items/busy");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("widget");
        List<LoggedRequest> requests = CATALOG.findAll(getRequestedFor(urlEqualTo("/items/busy")));
        assertThat(requests).hasSize(2);
        requests = requests.stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        long gapMillis = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
        assertThat(gapMillis).as("gap between the attempts, not the 10 ms backoff").isGreaterThanOrEqualTo(950);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(950);
    }

    @Test
    void aRetryAfterBeyondTheDeadlineEndsTheCallAtOnce() throws Exception {
        CATALOG.stubFor(get("/items/later").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "60")));
        long start = System.nanoTime();
        HttpResponse<String> response = fetch("/items/later");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).as("the retry the deadline cannot allow ends the call").contains("dev.levee.DeadlineExceededException");
        assertThat((System.nanoTime() - start) / 1_000_000).as("no 60 s wait within a 3 s deadline").isLessThan(2000);
        assertThat(count(CATALOG, getRequestedFor(urlEqualTo("/items/later")))).isEqualTo(1);
    }

    @Test
    void aPostAnswered429IsNotRetriedEvenWithRetryAfter() throws Exception {
        CATALOG.stubFor(post("/orders").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        long start = System.nanoTime();
        assertThat(postJson("/orders", "{}").statusCode()).isEqualTo(503);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(900);
        assertThat(count(CATALOG, postRequestedFor(urlEqualTo("/orders")))).isEqualTo(1);
    }

    @Test
    void a404ReachesTheControllerAsRestClientsNotFoundAndDoesNotCountAgainstTheBreaker() throws Exception {
        INVENTORY.stubFor(get("/stock/missing").willReturn(aResponse().withStatus(404)));
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = fetch("/stock/missing");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("org.springframework.web.client.HttpClientErrorException$NotFound");
        }
        assertThat(count(INVENTORY, getRequestedFor(urlEqualTo("/stock/missing")))).as("never retried").isEqualTo(6);
        Upstream inventory = upstreams.get("inventory");
        assertThat(inventory.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(inventory.health().failureRate()).as("the window is full of successes").isZero();
        assertThat(inventory.health().callsInWindow()).isEqualTo(4);
    }

    @Test
    void aConnectionErrorIsAnUpstreamFailure() throws Exception {
        WireMockServer gone = wireMock();
        String url = gone.baseUrl();
        gone.stop();
        RestClient bound = clients.builder("catalog").baseUrl(url).build();
        assertThatExceptionOfType(UpstreamFailureException.class)
                .isThrownBy(() -> bound.get().uri("/items/1").retrieve().body(String.class))
                .satisfies(e -> assertThat(e.attempts()).as("a refused connection is retried").isEqualTo(3))
                .havingCause().isInstanceOf(ConnectException.class);
    }

    // ---- deadline propagation ---------------------------------------------------------------------------------

    @Test
    void theIncomingDeadlineIsPassedOnToTheUpstream() throws Exception {
        CATALOG.stubFor(get("/items/7").willReturn(aResponse().withStatus(200).withBody("seven")));

        HttpResponse<String> response = fetch("/items/7", "Levee-Deadline-Ms", "2000");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("seven");
        LoggedRequest upstream = CATALOG.findAll(getRequestedFor(urlEqualTo("/items/7"))).get(0);
        assertThat(upstream.containsHeader("Levee-Deadline-Ms")).isTrue();
        assertThat(Long.parseLong(upstream.getHeader("Levee-Deadline-Ms"))).isPositive().isLessThanOrEqualTo(2000);

        CATALOG.resetRequests();
        assertThat(fetch("/items/7").statusCode()).isEqualTo(200);
        assertThat(CATALOG.findAll(getRequestedFor(urlEqualTo("/items/7"))).get(0).containsHeader("Levee-Deadline-Ms"))
                .as("without an incoming deadline nothing is sent").isFalse();
    }

    @Test
    void theIncomingDeadlineBoundsTheUpstreamCall() throws Exception {
        CATALOG.stubFor(get("/items/slow").willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        long start = System.nanoTime();
        HttpResponse<String> response = fetch("/items/slow", "Levee-Deadline-Ms", "150");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).containsAnyOf("outcome=deadline_exceeded", "outcome=timeout");
        assertThat(elapsedMillis).as("bounded by the 150 ms budget, not the 1 s attempt timeout nor the 1.5 s delay")
                .isLessThan(1000);
    }

    @Test
    void aMalformedIncomingDeadlineIsABadRequest() throws Exception {
        HttpResponse<String> response = fetch("/items/7", "Levee-Deadline-Ms", "soon");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json(response, "$.detail")).contains("Levee-Deadline-Ms");
        assertThat(CATALOG.getAllServeEvents()).isEmpty();
        assertThat(fetch("/items/7", "Levee-Deadline-Ms", "-5").statusCode()).isEqualTo(400);
    }

    // ---- HTTP service interface clients -----------------------------------------------------------------------

    @Test
    void anHttpServiceGroupNamedLikeAnUpstreamIsProtected() throws Exception {
        PRICING.stubFor(get("/prices/ok").willReturn(aResponse().withStatus(200).withBody("9.99")));
        PRICING.stubFor(get("/prices/broken").willReturn(aResponse().withStatus(503)));
        double failuresBefore = calls("pricing", "failure");

        HttpResponse<String> ok = fetch("/prices/ok", "Levee-Deadline-Ms", "2500");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("9.99");
        String budget = PRICING.findAll(getRequestedFor(urlEqualTo("/prices/ok"))).get(0).getHeader("Levee-Deadline-Ms");
        assertThat(Long.parseLong(budget)).as("the deadline reaches service clients too").isPositive().isLessThanOrEqualTo(2500);

        HttpResponse<String> broken = fetch("/prices/broken");
        assertThat(broken.statusCode()).isEqualTo(503);
        assertThat(broken.body()).contains("dev.levee.UpstreamFailureException");
        assertThat(count(PRICING, getRequestedFor(urlEqualTo("/prices/broken")))).as("retried: max-attempts 2").isEqualTo(2);
        assertThat(calls("pricing", "failure") - failuresBefore).isEqualTo(1.0);
        assertThat(calls("pricing", "success")).isGreaterThanOrEqualTo(1.0);
    }

    // ---- the upstreams endpoint -------------------------------------------------------------------------------

    @Test
    void theEndpointListsEveryUpstreamWithItsConfiguration() throws Exception {
        HttpResponse<String> list = fetch("/actuator/upstreams");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(list.body(), "$.upstreams[*].name"))
                .containsExactly("inventory", "recommendations", "catalog", "pricing");
        HttpResponse<String> catalog = fetch("/actuator/upstreams/catalog");
        assertThat(JsonPath.<Integer>read(catalog.body(), "$.configuration.retry.maxAttempts")).isEqualTo(3);
        assertThat(json(catalog, "$.configuration.circuitBreaker.windowType")).isEqualTo("COUNT_BASED");
        assertThat(json(catalog, "$.configuration.attemptTimeout")).isEqualTo("PT1S");
        assertThat(fetch("/actuator/upstreams/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void theWriteOperationForcesTheCircuitOpenAndClosesIt() throws Exception {
        CATALOG.stubFor(get("/items/1").willReturn(aResponse().withStatus(200).withBody("one")));

        HttpResponse<String> forced = postJson("/actuator/upstreams/catalog", "{\"circuit\":\"force-open\"}");
        assertThat(forced.statusCode()).isEqualTo(200);
        assertThat(json(forced, "$.circuit.state")).isEqualTo("FORCED_OPEN");
        assertThat(upstreams.get("catalog").circuitState()).isEqualTo(CircuitState.FORCED_OPEN);
        HttpResponse<String> rejected = fetch("/items/1");
        assertThat(rejected.statusCode()).isEqualTo(503);
        assertThat(rejected.body()).contains("outcome=circuit_open");
        assertThat(CATALOG.getAllServeEvents()).isEmpty();

        HttpResponse<String> closed = postJson("/actuator/upstreams/catalog", "{\"circuit\":\"close\"}");
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(upstreams.get("catalog").circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(fetch("/items/1").body()).isEqualTo("one");

        assertThat(postJson("/actuator/upstreams/catalog", "{\"circuit\":\"explode\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = postJson("/actuator/upstreams/nope", "{\"circuit\":\"close\"}");
        assertThat(unknown.statusCode()).as("not a 204 that looks like success").isEqualTo(400);
    }

    // ---- metrics ----------------------------------------------------------------------------------------------

    @Test
    void prometheusShowsLeveeSeriesForEveryConfiguredUpstream() throws Exception {
        HttpResponse<String> scrape = fetch("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        for (String upstream : List.of("inventory", "recommendations", "catalog", "pricing")) {
            assertThat(scrape.body()).containsPattern("levee_upstream_info\\{[^}]*upstream=\"" + upstream + "\"[^}]*} 1")
                    .containsPattern("levee_health\\{[^}]*upstream=\"" + upstream + "\"[^}]*} 2");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private void callUntilOpen(String upstream, Callable call) throws Exception {
        for (int i = 0; i < 10 && upstreams.get(upstream).circuitState() != CircuitState.OPEN; i++) {
            assertThat(call.call().statusCode()).isEqualTo(503);
        }
        assertThat(upstreams.get(upstream).circuitState()).isEqualTo(CircuitState.OPEN);
    }

    @FunctionalInterface
    private interface Callable {
        HttpResponse<String> call() throws Exception;
    }

    private double attempts(String upstream, String kind) {
        return meters.find(LeveeMeters.ATTEMPTS).tag(LeveeMeters.TAG_UPSTREAM, upstream).tag(LeveeMeters.TAG_KIND, kind)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private double calls(String upstream, String outcome) {
        return meters.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, upstream).tag(LeveeMeters.TAG_OUTCOME, outcome)
                .timers().stream().mapToDouble(t -> t.count()).sum();
    }

    private static int count(WireMockServer server, RequestPatternBuilder pattern) {
        return server.countRequestsMatching(pattern.build()).getCount();
    }

    private static String json(HttpResponse<String> response, String path) {
        return JsonPath.read(response.body(), path).toString();
    }

    private HttpResponse<String> fetch(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static WireMockServer wireMock() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(16).jettyAcceptors(1));
        server.start();
        return server;
    }
}
