package dev.levee.spring.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same application configured as a public-facing service: the upstreams endpoint switched off through Spring
 * Boot's access model although exposed, and incoming deadline headers not trusted, while outgoing requests still
 * carry each call's own remaining time.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,upstreams",
        "management.endpoint.upstreams.access=none",
        "levee.deadline.trust-incoming=false",
        "levee.defaults.attempt-timeout=1s",
        "levee.upstreams.inventory.owner=a", "levee.upstreams.recommendations.owner=b",
        "levee.upstreams.catalog.owner=c", "levee.upstreams.pricing.owner=d",
        "app.inventory-url=http://127.0.0.1:9", "app.recommendations-url=http://127.0.0.1:9",
        "spring.http.serviceclient.pricing.base-url=http://127.0.0.1:9" })
class PublicFacingIntegrationTests {

    @RegisterExtension
    static final WireMockExtension CATALOG = WireMockExtension.newInstance()
            .options(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()).build();

    @DynamicPropertySource
    static void upstreamUrls(DynamicPropertyRegistry registry) {
        registry.add("app.catalog-url", CATALOG::baseUrl);
    }

    @LocalServerPort
    int port;

    @Test
    void withAccessNoneTheEndpointIsGoneThoughExposed() throws Exception {
        Http http = new Http(port);
        assertThat(http.get("/actuator/upstreams", Map.of()).statusCode()).isEqualTo(404);
        assertThat(http.get("/actuator/upstreams/catalog", Map.of()).statusCode()).isEqualTo(404);
        assertThat(http.postJson("/actuator/upstreams/catalog", "{\"circuit\":\"force-open\"}").statusCode()).isEqualTo(404);
        assertThat(http.get("/actuator/health", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void anUntrustedIncomingDeadlineIsNotBoundAndEachCallSendsItsOwnTime() throws Exception {
        Http http = new Http(port);
        CATALOG.stubFor(get("/items/warm").willReturn(aResponse().withStatus(200)));
        http.get("/items/warm", Map.of()); // a cold JVM's first exchange may be slow: not the one measured
        CATALOG.stubFor(get("/items/7").willReturn(aResponse().withStatus(200).withBody("seven")));

        assertThat(http.get("/deadline", Map.of("Levee-Deadline-Ms", "100")).body()).isEqualTo("none");
        assertThat(http.get("/items/7", Map.of("Levee-Deadline-Ms", "100")).body()).isEqualTo("seven");
        assertThat(UpstreamsWebIntegrationTests.sentBudget(CATALOG.findAll(getRequestedFor(urlEqualTo("/items/7")))))
                .as("what remains of the 1 s attempt timeout, not the client's 100 ms").isGreaterThan(100).isLessThanOrEqualTo(1000);
    }
}
