package dev.levee.spring.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.CircuitState;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A running WebFlux application (on Tomcat's reactive server) whose handlers call WireMock upstreams on loopback
 * through WebClients bound to upstreams, checked through its actuator endpoints, its responses and what WireMock
 * received: health and fallbacks as in a servlet application, and the deadline header flowing in and out.
 */
@SpringBootTest(classes = ReactiveTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "management.endpoints.web.exposure.include=health,upstreams",
        "management.endpoint.health.show-details=always",
        "levee.defaults.attempt-timeout=1s",
        "levee.defaults.deadline=3s",
        "levee.defaults.retry.initial-backoff=10ms",
        "levee.defaults.retry.max-backoff=20ms",
        "levee.defaults.retry.budget-min-retries=1000",
        "levee.defaults.circuit-breaker.count-window=4",
        "levee.defaults.circuit-breaker.minimum-calls=4",
        "levee.defaults.circuit-breaker.wait-in-open-state=1h",
        "levee.upstreams.inventory.criticality=critical",
        "levee.upstreams.inventory.retry.max-attempts=1",
        "levee.upstreams.recommendations.criticality=optional",
        "levee.upstreams.recommendations.retry.max-attempts=1",
        "levee.upstreams.pricing.retry.max-attempts=2" })
class WebFluxApplicationTests {

    static final WireMockServer INVENTORY = Http.startedWireMock();
    static final WireMockServer RECOMMENDATIONS = Http.startedWireMock();
    static final WireMockServer PRICING = Http.startedWireMock();

    @DynamicPropertySource
    static void upstreamUrls(DynamicPropertyRegistry registry) {
        registry.add("app.inventory-url", INVENTORY::baseUrl);
        registry.add("app.recommendations-url", RECOMMENDATIONS::baseUrl);
        registry.add("spring.http.serviceclient.pricing.base-url", PRICING::baseUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    Upstreams upstreams;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ApplicationContext context;

    private static boolean warm;

    /** One successful call through each upstream first: the first exchange of a JVM can be slow on a loaded machine. */
    @BeforeEach
    void warmUp() throws Exception {
        if (warm) {
            return;
        }
        for (WireMockServer server : List.of(INVENTORY, RECOMMENDATIONS, PRICING)) {
            server.stubFor(get(urlPathMatching(".*")).willReturn(aResponse().withStatus(200).withBody("warm")));
        }
        for (String path : List.of("/stock/warm", "/recommendations", "/prices/warm", "/actuator/health")) {
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
        for (WireMockServer server : List.of(INVENTORY, RECOMMENDATIONS, PRICING)) {
            server.resetAll();
        }
    }

    @AfterAll
    static void stopWireMock() {
        for (WireMockServer server : List.of(INVENTORY, RECOMMENDATIONS, PRICING)) {
            server.stop();
        }
    }

    @Test
    void itIsAReactiveApplicationWithLeveesReactiveBeans() {
        assertThat(context).isInstanceOf(org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext.class);
        assertThat(context.getBeansOfType(dev.levee.spring.http.DeadlineWebFilter.class)).hasSize(1);
        assertThat(context.getBeansOfType(dev.levee.spring.http.DeadlineFilter.class)).isEmpty();
        assertThat(context.getBeansOfType(dev.levee.spring.http.UpstreamWebClients.class)).hasSize(1);
    }

    @Test
    void aCriticalUpstreamWhoseCircuitOpensMakesHealthDown() throws Exception {
        INVENTORY.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withStatus(503)));
        assertThat(fetch("/actuator/health").statusCode()).isEqualTo(200);

        for (int i = 0; i < 10 && upstreams.get("inventory").circuitState() != CircuitState.OPEN; i++) {
            HttpResponse<String> failed = fetch("/stock/sku-1");
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.body()).contains("dev.levee.UpstreamFailureException outcome=failure");
        }
        assertThat(upstreams.get("inventory").circuitState()).isEqualTo(CircuitState.OPEN);

        HttpResponse<String> health = fetch("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(json(health, "$.status")).isEqualTo("DOWN");
        assertThat(json(health, "$.components.upstreams.components.inventory.details.state")).isEqualTo("UNAVAILABLE");

        int received = INVENTORY.findAll(getRequestedFor(urlPathMatching("/stock/.*"))).size();
        assertThat(fetch("/stock/sku-1").body()).contains("outcome=circuit_open");
        assertThat(INVENTORY.findAll(getRequestedFor(urlPathMatching("/stock/.*")))).hasSize(received);
    }

    @Test
    void anOptionalUpstreamThatIsDownDegradesWithItsFallbackAndKeepsHealthUp() throws Exception {
        RECOMMENDATIONS.stubFor(get("/recommendations").willReturn(aResponse().withStatus(500)));

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> degraded = fetch("/recommendations");
            assertThat(degraded.statusCode()).isEqualTo(200);
            assertThat(degraded.body()).isEqualTo("[]");
        }

        assertThat(upstreams.get("recommendations").circuitState()).isEqualTo(CircuitState.OPEN);
        HttpResponse<String> health = fetch("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health, "$.status")).isEqualTo("UP");
        assertThat(json(health, "$.components.upstreams.components.recommendations.details.state")).isEqualTo("UNAVAILABLE");
        assertThat(meters.get(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, "recommendations")
                .tag(LeveeMeters.TAG_FALLBACK, "true").timers()).isNotEmpty();
    }

    @Test
    void theIncomingDeadlineHeaderReachesTheHandlerAndBoundsWhatTheUpstreamReceives() throws Exception {
        INVENTORY.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withStatus(200).withBody("7")));

        assertThat(fetch("/deadline", "250").body()).satisfies(ms -> assertThat(Long.parseLong(ms)).isBetween(0L, 250L));
        assertThat(fetch("/deadline").body()).isEqualTo("none");
        assertThat(fetch("/deadline", "soon").body()).as("a value that is not milliseconds is ignored").isEqualTo("none");

        assertThat(fetch("/stock/sku-1", "600").body()).isEqualTo("7");
        assertThat(fetch("/stock/sku-2").body()).isEqualTo("7");
        long bounded = Long.parseLong(INVENTORY.findAll(getRequestedFor(urlPathMatching("/stock/sku-1"))).get(0).getHeader("Levee-Deadline-Ms"));
        long own = Long.parseLong(INVENTORY.findAll(getRequestedFor(urlPathMatching("/stock/sku-2"))).get(0).getHeader("Levee-Deadline-Ms"));
        assertThat(bounded).as("what remains of the incoming 600 ms").isBetween(0L, 600L);
        assertThat(own).as("without an incoming deadline: the attempt timeout's remainder").isBetween(600L, 1_000L);
    }

    @Test
    void anHttpServiceClientBackedByAWebClientInAGroupNamedLikeAnUpstreamIsProtected() throws Exception {
        PRICING.stubFor(get(urlPathMatching("/prices/.*")).willReturn(aResponse().withStatus(503)));

        HttpResponse<String> failed = fetch("/prices/sku-1");

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.body()).contains("dev.levee.UpstreamFailureException outcome=failure");
        assertThat(PRICING.findAll(getRequestedFor(urlPathMatching("/prices/.*")))).as("retried: max-attempts 2").hasSize(2);
    }

    @Test
    void aWebClientBuiltByTheApplicationKeepsWorkingWithoutLevee() {
        INVENTORY.stubFor(get(urlPathMatching("/plain")).willReturn(aResponse().withStatus(200).withBody("plain")));
        WebClient plain = context.getBean(WebClient.Builder.class).baseUrl(INVENTORY.baseUrl()).build();
        assertThat(plain.get().uri("/plain").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10))).isEqualTo("plain");
    }

    private HttpResponse<String> fetch(String path) throws Exception {
        return new Http(port).get(path, Map.of());
    }

    private HttpResponse<String> fetch(String path, String deadline) throws Exception {
        return new Http(port).get(path, Map.of("Levee-Deadline-Ms", deadline));
    }

    private static String json(HttpResponse<String> response, String path) {
        return Http.json(response, path);
    }
}
