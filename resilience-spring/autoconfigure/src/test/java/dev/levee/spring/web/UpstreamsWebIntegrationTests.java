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
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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
        "management.endpoint.upstreams.access=unrestricted",
        "logging.level.dev.levee.spring.http.DeadlineFilter=debug",
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
@ExtendWith(OutputCaptureExtension.class)
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
    void a404ReachesTheControllerAsACallerFaultCausedByRestClientsNotFoundAndDoesNotCountAgainstTheBreaker() throws Exception {
        INVENTORY.stubFor(get("/stock/missing").willReturn(aResponse().withStatus(404)));
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = fetch("/stock/missing");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body())
                    .isEqualTo("dev.levee.CallerFaultException http 404, caused by org.springframework.web.client.HttpClientErrorException$NotFound");
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

        HttpResponse<String> response = fetch("/items/7", "Levee-Deadline-Ms", "300");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("seven");
        assertThat(sentBudget(CATALOG, "/items/7")).as("the incoming 300 ms, less than the 1 s attempt timeout")
                .isPositive().isLessThanOrEqualTo(300);
    }

    @Test
    void withoutAnIncomingDeadlineEachAttemptSendsItsOwnRemainingTime() throws Exception {
        CATALOG.stubFor(get("/items/7").willReturn(aResponse().withStatus(200).withBody("seven")));

        assertThat(fetch("/items/7").statusCode()).isEqualTo(200);
        assertThat(sentBudget(CATALOG, "/items/7")).as("what remains of the 1 s attempt timeout")
                .isPositive().isLessThanOrEqualTo(1000);
    }

    @Test
    void anIncomingDeadlineLongerThanTheAttemptSendsTheAttemptsRemainingTime() throws Exception {
        CATALOG.stubFor(get("/items/7").willReturn(aResponse().withStatus(200).withBody("seven")));

        assertThat(fetch("/items/7", "Levee-Deadline-Ms", "2500").statusCode()).isEqualTo(200);
        assertThat(sentBudget(CATALOG, "/items/7")).as("the smaller: the attempt's 1 s, not the incoming 2.5 s")
                .isPositive().isLessThanOrEqualTo(1000);
    }

    @Test
    void eachRetrySendsWhatRemainsForIt() throws Exception {
        CATALOG.stubFor(get("/items/flaky").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        CATALOG.stubFor(get("/items/flaky").inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody("ok")));

        assertThat(fetch("/items/flaky", "Levee-Deadline-Ms", "800").body()).isEqualTo("ok");
        List<LoggedRequest> requests = CATALOG.findAll(getRequestedFor(urlEqualTo("/items/flaky"))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        assertThat(requests).hasSize(2);
        long first = Long.parseLong(requests.get(0).getHeader("Levee-Deadline-Ms"));
        long second = Long.parseLong(requests.get(1).getHeader("Levee-Deadline-Ms"));
        assertThat(first).isPositive().isLessThanOrEqualTo(800);
        assertThat(second).as("the retry has only what the first attempt and the backoff left").isPositive().isLessThan(first);
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
    void aTrustedIncomingDeadlineIsBoundWhileTheRequestIsServed() throws Exception {
        HttpResponse<String> response = fetch("/deadline", "Levee-Deadline-Ms", "5000");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Long.parseLong(response.body())).isPositive().isLessThanOrEqualTo(5000);
        assertThat(fetch("/deadline", "Levee-Deadline-Ms", "0").body()).as("no time left is a budget too").isEqualTo("0");
        assertThat(fetch("/deadline").body()).isEqualTo("none");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = { "soon", "-5", "1.5s", "+100", "0x10", "3600001", "99999999999999999999999", "" })
    void aMalformedOrAbsurdIncomingDeadlineIsIgnoredAndLoggedAtDebug(String value, CapturedOutput output) throws Exception {
        CATALOG.stubFor(get("/items/7").willReturn(aResponse().withStatus(200).withBody("seven")));

        HttpResponse<String> deadline = fetch("/deadline", "Levee-Deadline-Ms", value);
        assertThat(deadline.statusCode()).isEqualTo(200);
        assertThat(deadline.body()).as("no deadline bound").isEqualTo("none");
        HttpResponse<String> item = fetch("/items/7", "Levee-Deadline-Ms", value);
        assertThat(item.statusCode()).isEqualTo(200);
        assertThat(item.body()).isEqualTo("seven");
        assertThat(sentBudget(CATALOG, "/items/7")).as("the call's own time, as without a header")
                .isPositive().isLessThanOrEqualTo(1000);
        assertThat(fetch("/actuator/health", "Levee-Deadline-Ms", value).statusCode()).isEqualTo(200);
        assertThat(output).contains("Ignored Levee-Deadline-Ms header '" + value + "' on GET /deadline: ")
                .containsAnyOf("not a whole number of milliseconds", "more than the largest budget accepted, 3600000 ms");
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
    void theEndpointListsEveryUpstreamWithItsConfigurationAsWritten() throws Exception {
        HttpResponse<String> list = fetch("/actuator/upstreams");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<String>>read(list.body(), "$.upstreams[*].name"))
                .containsExactly("inventory", "recommendations", "catalog", "pricing");
        assertThat(JsonPath.<List<Object>>read(list.body(), "$.upstreams[*].recentEvents")).as("only on an upstream's page").isEmpty();

        HttpResponse<String> catalog = fetch("/actuator/upstreams/catalog");
        // durations as configured (1h, not PT1H); numbers as numbers
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("$.criticality", "OPTIONAL");
        expected.put("$.configuration.attemptTimeout", "1s");
        expected.put("$.configuration.deadline", "3s");
        expected.put("$.configuration.timeoutMode", "ENFORCED");
        expected.put("$.configuration.circuitBreaker.slowCallThreshold", "500ms");
        expected.put("$.configuration.circuitBreaker.waitInOpenState", "1h");
        expected.put("$.configuration.circuitBreaker.countWindow", 1000);
        expected.put("$.configuration.retry.maxAttempts", 3);
        expected.put("$.configuration.retry.initialBackoff", "10ms");
        expected.put("$.configuration.retry.maxBackoff", "20ms");
        expected.put("$.configuration.bulkhead.maxWait", "0ms");
        expected.forEach((path, value) -> assertThat(JsonPath.<Object>read(catalog.body(), path)).as(path).isEqualTo(value));
        assertThat(JsonPath.<Map<String, Object>>read(catalog.body(), "$.configuration.circuitBreaker"))
                .doesNotContainKey("timeWindow");
        // 1000 calls make its window's minimum: no rates yet, so none shown (never -1)
        Map<String, Object> circuit = JsonPath.read(catalog.body(), "$.circuit");
        assertThat(circuit).containsEntry("state", "CLOSED").doesNotContainKeys("failureRate", "slowCallRate");
        assertThat(Instant.parse(json(catalog, "$.health.since"))).isBeforeOrEqualTo(Instant.now());
        assertThat(JsonPath.<List<Object>>read(catalog.body(), "$.recentEvents")).isNotNull();

        assertThat(fetch("/actuator/upstreams/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aRateIsShownOnceTheWindowHoldsItsMinimumCalls() throws Exception {
        RECOMMENDATIONS.stubFor(get("/recommendations").willReturn(aResponse().withStatus(200).withBody("[]")));
        for (int i = 0; i < 4; i++) {
            assertThat(fetch("/recommendations").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> detail = fetch("/actuator/upstreams/recommendations");
        assertThat(JsonPath.<Double>read(detail.body(), "$.circuit.failureRate")).isZero();
        assertThat(JsonPath.<Integer>read(detail.body(), "$.circuit.callsInWindow")).isEqualTo(4);
        Map<String, Object> health = JsonPath.read(fetch("/actuator/health").body(), "$.components.upstreams.components");
        assertThat(JsonPath.<Double>read(health, "$.recommendations.details.failureRate")).isZero();
        assertThat(JsonPath.<Map<String, Object>>read(health, "$.catalog.details")).as("1000 calls make catalog's minimum")
                .containsKey("circuitState").doesNotContainKeys("failureRate", "slowCallRate");
    }

    @Test
    void theWriteOperationForcesTheCircuitOpenAndClosesItAndTheEventsSayWhen() throws Exception {
        CATALOG.stubFor(get("/items/1").willReturn(aResponse().withStatus(200).withBody("one")));
        Instant before = Instant.now();

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

        List<Map<String, Object>> events = JsonPath.read(fetch("/actuator/upstreams/catalog").body(), "$.recentEvents");
        List<Map<String, Object>> recent = events.subList(events.size() - 4, events.size());
        assertThat(recent).extracting(e -> e.get("type") + " " + e.get("from") + "->" + e.get("to")).containsExactly(
                "CIRCUIT CLOSED->FORCED_OPEN", "HEALTH HEALTHY->UNAVAILABLE", "CIRCUIT FORCED_OPEN->CLOSED",
                "HEALTH UNAVAILABLE->HEALTHY");
        assertThat(recent.get(0).get("reason").toString()).startsWith("forced open by hand");
        assertThat(recent.get(1).get("reason").toString()).startsWith("circuit forced open");
        Instant previous = before.minusMillis(1);
        for (Map<String, Object> e : recent) {
            Instant time = Instant.parse(e.get("time").toString());
            assertThat(time).isAfter(previous).isBeforeOrEqualTo(Instant.now());
            previous = time.minusNanos(1); // the circuit change and the health change it causes may share a millisecond
        }
    }

    @Test
    void theRecentEventsStayBoundedAfterManyTransitions() throws Exception {
        for (int i = 0; i < 15; i++) {
            assertThat(postJson("/actuator/upstreams/catalog", "{\"circuit\":\"force-open\"}").statusCode()).isEqualTo(200);
            assertThat(postJson("/actuator/upstreams/catalog", "{\"circuit\":\"close\"}").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> detail = fetch("/actuator/upstreams/catalog");
        List<String> events = JsonPath.read(detail.body(), "$.recentEvents[*].to");
        assertThat(events).as("60 events happened; the last 20 are kept").hasSize(20);
        assertThat(events.subList(16, 20)).as("the newest last").containsExactly("FORCED_OPEN", "UNAVAILABLE", "CLOSED", "HEALTHY");
    }

    @Test
    void aBadCircuitActionIsA400ListingTheValidOnesAndAnUnknownUpstreamA404ListingTheRegisteredOnes() throws Exception {
        HttpResponse<String> bad = postJson("/actuator/upstreams/catalog", "{\"circuit\":\"explode\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad, "$.message")).isEqualTo("circuit must be one of force-open, close, reset, but was 'explode'");
        assertThat(JsonPath.<List<String>>read(bad.body(), "$.validValues")).containsExactly("force-open", "close", "reset");
        HttpResponse<String> missing = postJson("/actuator/upstreams/catalog", "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing, "$.message")).isEqualTo("circuit must be one of force-open, close, reset, but was missing");
        assertThat(JsonPath.<List<String>>read(missing.body(), "$.validValues")).containsExactly("force-open", "close", "reset");
        assertThat(upstreams.get("catalog").circuitState()).isEqualTo(CircuitState.CLOSED);

        HttpResponse<String> unknown = postJson("/actuator/upstreams/nope", "{\"circuit\":\"close\"}");
        assertThat(unknown.statusCode()).as("not a 204 that looks like success").isEqualTo(404);
        assertThat(json(unknown, "$.message")).contains("no upstream named 'nope'");
        assertThat(JsonPath.<List<String>>read(unknown.body(), "$.validValues"))
                .containsExactly("inventory", "recommendations", "catalog", "pricing");
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

    /** The deadline header of the one request the server received on that path. */
    static long sentBudget(WireMockServer server, String path) {
        return sentBudget(server.findAll(getRequestedFor(urlEqualTo(path))));
    }

    /** The deadline header of the one request received. */
    static long sentBudget(List<LoggedRequest> requests) {
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).containsHeader("Levee-Deadline-Ms")).as("deadline header sent").isTrue();
        return Long.parseLong(requests.get(0).getHeader("Levee-Deadline-Ms"));
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
