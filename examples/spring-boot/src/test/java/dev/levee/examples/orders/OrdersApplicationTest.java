package dev.levee.examples.orders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.CircuitState;
import dev.levee.Upstreams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The orders service against WireMock upstreams over real HTTP: normal, degraded, and unavailable. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdersApplicationTest {

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        StubbedUpstreams.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Upstreams upstreams;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void healthy() {
        StubbedUpstreams.warmedAndHealthy(upstreams, () -> {
            try {
                return fetch("/orders/warm-up").statusCode();
            } catch (Exception e) {
                return -1;
            }
        });
    }

    private HttpResponse<String> fetch(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersWithStockAndRecommendations() throws Exception {
        HttpResponse<String> r = fetch("/orders/1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"available\":7", "\"recommendations\":[\"sku-2\",\"sku-3\"]", "\"degraded\":false");
    }

    /** The sum of {@code levee_calls_seconds_count} for an upstream's calls a fallback answered, from a scrape. */
    static double fallbacks(String scrape, String upstream) {
        return scrape.lines()
                .filter(l -> l.startsWith("levee_calls_seconds_count{") && l.contains("upstream=\"" + upstream + "\"")
                        && l.contains("fallback=\"true\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void recommendationsDownGivesADegradedAnswerAndHealthStaysUp() throws Exception {
        double fallbacksBefore = fallbacks(fetch("/actuator/prometheus").body(), "recommendations");
        StubbedUpstreams.RECOMMENDATIONS.stubFor(get(urlPathMatching("/recommendations/.*")).willReturn(aResponse().withStatus(503)));
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = fetch("/orders/" + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"recommendations\":[]", "\"degraded\":true");
        }
        assertThat(upstreams.get("recommendations").circuitState()).isEqualTo(CircuitState.OPEN);
        // the per-call fallback answered every one of them, and the metric says so
        assertThat(fallbacks(fetch("/actuator/prometheus").body(), "recommendations")).isEqualTo(fallbacksBefore + 12);
        HttpResponse<String> health = fetch("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode root = JSON.readTree(health.body());
        assertThat(root.path("status").asString()).isEqualTo("UP");
        JsonNode recs = root.path("components").path("upstreams").path("components").path("recommendations");
        assertThat(recs.path("status").asString()).isEqualTo("UP");
        assertThat(recs.path("details").path("state").asString()).isEqualTo("UNAVAILABLE");
        assertThat(fetch("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    /** The value of {@code levee_contract_violations_total} for an upstream's expectation, from a scrape. */
    static double violations(String scrape, String upstream, String expectation) {
        return scrape.lines()
                .filter(l -> l.startsWith("levee_contract_violations_total{") && l.contains("upstream=\"" + upstream + "\"")
                        && l.contains("expectation=\"" + expectation + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void recommendationsThatBreakTheContractAreCountedAndAnsweredDegraded() throws Exception {
        double before = violations(fetch("/actuator/prometheus").body(), "recommendations", "has-items");
        StubbedUpstreams.RECOMMENDATIONS.stubFor(get(urlPathMatching("/recommendations/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"suggestions\": [\"sku-2\"]}")));

        HttpResponse<String> r = fetch("/orders/1");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"available\":7", "\"recommendations\":[]", "\"degraded\":true");
        assertThat(violations(fetch("/actuator/prometheus").body(), "recommendations", "has-items")).isEqualTo(before + 1);
    }

    @Test
    void inventoryDownGivesA503ProblemAndHealthDown() throws Exception {
        StubbedUpstreams.INVENTORY.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withStatus(503)));
        HttpResponse<String> r = null;
        for (int i = 0; i < 12; i++) {
            r = fetch("/orders/" + i);
            assertThat(r.statusCode()).isEqualTo(503);
        }
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"title\":\"Dependency unavailable\"", "\"upstream\":\"inventory\"", "\"outcome\":\"circuit_open\"");
        HttpResponse<String> health = fetch("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode root = JSON.readTree(health.body());
        assertThat(root.path("status").asString()).isEqualTo("DOWN");
        assertThat(root.path("components").path("upstreams").path("components").path("inventory").path("details")
                .path("reason").asString()).startsWith("circuit open");
        assertThat(fetch("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(fetch("/actuator/health/liveness").statusCode()).isEqualTo(200);
        JsonNode inventory = JSON.readTree(fetch("/actuator/upstreams/inventory").body());
        assertThat(inventory.path("health").path("state").asString()).isEqualTo("UNAVAILABLE");
        assertThat(inventory.path("health").path("reason").asString()).startsWith("circuit open");
        assertThat(inventory.path("configuration").path("attemptTimeout").asString()).isEqualTo("300ms");
        // the README's "recent circuit and health events"
        assertThat(inventory.path("recentEvents").valueStream()
                .map(e -> e.path("type").asString() + " ->" + e.path("to").asString()))
                .contains("CIRCUIT ->OPEN", "HEALTH ->UNAVAILABLE");
    }
}
