package dev.levee.spring.starter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.Upstreams;
import dev.levee.UpstreamFailureException;
import dev.levee.spring.http.UpstreamRestClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.ImportHttpServices;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An application with exactly the dependencies the README's Spring Boot section lists (this starter and the
 * web starter the application already has): every documented feature is there, nothing is named missing at
 * startup. The build fails here if the starter stops bringing what those features need.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "levee.upstreams.inventory.criticality=critical",
        "levee.upstreams.inventory.retry.initial-backoff=1ms",
        "management.endpoints.web.exposure.include=health,upstreams,metrics",
        "management.endpoint.health.show-details=always"})
@ExtendWith(OutputCaptureExtension.class)
class ReadmeDependenciesTests {

    private static final WireMockServer inventory = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeAll
    static void start() {
        inventory.start();
    }

    @AfterAll
    static void stop() {
        inventory.stop();
    }

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        registry.add("spring.http.serviceclient.inventory.base-url", inventory::baseUrl);
    }

    @HttpExchange("/stock")
    interface InventoryClient {
        @GetExchange("/{sku}")
        Stock stock(@PathVariable String sku);
    }

    record Stock(String sku, int available) {
    }

    @SpringBootApplication
    @ImportHttpServices(group = "inventory", types = InventoryClient.class)
    static class Application {
    }

    @Autowired
    InventoryClient client;

    @Autowired
    UpstreamRestClients restClients;

    @Autowired
    Upstreams upstreams;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @Test
    void everyDocumentedFeatureShouldBeThereWithOnlyTheStarter(CapturedOutput output) throws Exception {
        inventory.stubFor(get("/stock/42").willReturn(okJson("{\"sku\":\"42\",\"available\":3}")));
        inventory.stubFor(get("/stock/43").willReturn(aResponse().withStatus(503)));

        // the HTTP service client is bound to the upstream of its group's name, with Boot's base URL
        assertThat(client.stock("42")).isEqualTo(new Stock("42", 3));
        assertThatExceptionOfType(UpstreamFailureException.class).isThrownBy(() -> client.stock("43"));
        assertThat(restClients.builder("inventory")).isNotNull();
        assertThat(upstreams.find("inventory")).isPresent();

        // meters in Boot's registry, health with the upstream, the endpoint exposed
        assertThat(meters.find("levee.calls").tag("upstream", "inventory").meters()).isNotEmpty();
        assertThat(fetch("/actuator/health")).contains("\"upstreams\"").contains("\"inventory\"");
        assertThat(fetch("/actuator/upstreams")).contains("\"inventory\"").contains("\"circuit\"");

        // nothing was named missing at startup
        assertThat(output.getAll()).doesNotContain("StartupWarnings").doesNotContain("add org.springframework.boot:");
    }

    private String fetch(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isIn(200, 503);
        return response.body();
    }
}
