package dev.levee.spring.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.jayway.jsonpath.JsonPath;
import dev.levee.CircuitState;
import dev.levee.Upstreams;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same application with Spring Boot's and Levee's defaults for the endpoint's access (read-only: no circuit
 * controls), the upstreams health contributor switched off, a custom deadline header and Spring Boot HTTP client
 * settings of its own.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,upstreams",
        "management.endpoint.health.show-details=always",
        "management.health.upstreams.enabled=false",
        "levee.deadline.header=X-Request-Budget",
        "spring.http.clients.redirects=dont-follow",
        "levee.defaults.attempt-timeout=1s",
        "levee.upstreams.inventory.criticality=critical", "levee.upstreams.recommendations.owner=b",
        "levee.upstreams.catalog.owner=c", "levee.upstreams.pricing.owner=d",
        "app.inventory-url=http://127.0.0.1:9", "app.recommendations-url=http://127.0.0.1:9",
        "spring.http.serviceclient.pricing.base-url=http://127.0.0.1:9" })
class ReadOnlyEndpointIntegrationTests {

    static final WireMockServer CATALOG = UpstreamsWebIntegrationTests.wireMock();

    @DynamicPropertySource
    static void upstreamUrls(DynamicPropertyRegistry registry) {
        registry.add("app.catalog-url", CATALOG::baseUrl);
    }

    @AfterEach
    void resetWireMock() {
        CATALOG.resetAll();
    }

    @AfterAll
    static void stopWireMock() {
        CATALOG.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    Upstreams upstreams;

    private static boolean warm;

    /** One call through the catalog before the first test: a JVM's first exchange is slow on a loaded machine. */
    @BeforeEach
    void warmUp() throws Exception {
        if (!warm) {
            CATALOG.stubFor(get("/items/warm").willReturn(aResponse().withStatus(200)));
            send("GET", "/items/warm", Map.of());
            CATALOG.resetAll();
            upstreams.get("catalog").resetCircuit();
            warm = true;
        }
    }

    @Test
    void byDefaultTheEndpointIsReadOnly() throws Exception {
        HttpResponse<String> detail = send("GET", "/actuator/upstreams/catalog", Map.of());
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(detail.body(), "$.circuit.state")).isEqualTo("CLOSED");
        HttpResponse<String> write = send("POST", "/actuator/upstreams/catalog", Map.of("Content-Type", "application/json"),
                "{\"circuit\":\"force-open\"}");
        assertThat(write.statusCode()).as("no write operation is mapped").isEqualTo(405);
        assertThat(upstreams.get("catalog").circuitState()).isEqualTo(CircuitState.CLOSED);
        HttpResponse<String> move = send("POST", "/actuator/upstreams/migrations/any", Map.of("Content-Type", "application/json"),
                "{\"stage\":\"complete\"}");
        assertThat(move.statusCode()).as("no migration control is mapped either").isEqualTo(405);
    }

    @Test
    void withTheHealthContributorSwitchedOffHealthHasNoUpstreams() throws Exception {
        upstreams.get("inventory").forceCircuitOpen();
        try {
            HttpResponse<String> health = send("GET", "/actuator/health", Map.of());
            assertThat(health.statusCode()).isEqualTo(200);
            Map<String, Object> components = JsonPath.read(health.body(), "$.components");
            assertThat(components).isNotEmpty().doesNotContainKey("upstreams");
        } finally {
            upstreams.get("inventory").resetCircuit();
        }
    }

    @Test
    void theConfiguredDeadlineHeaderIsReadAndPassedOn() throws Exception {
        CATALOG.stubFor(get("/items/1").willReturn(aResponse().withStatus(200).withBody("one")));

        assertThat(send("GET", "/items/1", Map.of("X-Request-Budget", "250")).body()).isEqualTo("one");
        LoggedRequest request = CATALOG.findAll(getRequestedFor(urlEqualTo("/items/1"))).get(0);
        assertThat(Long.parseLong(request.getHeader("X-Request-Budget"))).isPositive().isLessThanOrEqualTo(250);
        assertThat(request.containsHeader("Levee-Deadline-Ms")).isFalse();

        assertThat(send("GET", "/deadline", Map.of("X-Request-Budget", "1.5s")).body()).as("ignored").isEqualTo("none");
        assertThat(send("GET", "/deadline", Map.of("Levee-Deadline-Ms", "400")).body())
                .as("the default header means nothing here").isEqualTo("none");
        assertThat(Long.parseLong(send("GET", "/deadline", Map.of("X-Request-Budget", "400")).body())).isBetween(1L, 400L);
    }

    @Test
    void aBoundRestClientKeepsSpringBootsHttpClientSettings() throws Exception {
        CATALOG.stubFor(get("/items/moved").willReturn(aResponse().withStatus(302).withHeader("Location", "/items/1")));
        CATALOG.stubFor(get("/items/1").willReturn(aResponse().withStatus(200).withBody("one")));

        HttpResponse<String> response = send("GET", "/items/moved", Map.of());

        assertThat(response.body()).as("spring.http.clients.redirects=dont-follow").isNotEqualTo("one");
        assertThat(CATALOG.findAll(getRequestedFor(urlEqualTo("/items/1")))).isEmpty();
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        return send(method, path, headers, null);
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        return new Http(port).send(method, path, headers, body);
    }
}
