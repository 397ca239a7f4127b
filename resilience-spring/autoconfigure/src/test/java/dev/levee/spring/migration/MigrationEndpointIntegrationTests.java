package dev.levee.spring.migration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.jayway.jsonpath.JsonPath;
import dev.levee.migration.Migration;
import dev.levee.migration.Stage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running application migrating over real HTTP (WireMock on loopback): the properties set the stage, the
 * {@code upstreams} endpoint lists the migration with its mismatch report (no value in it) and, with
 * unrestricted access, moves it; bad moves are answered 400 naming what is allowed.
 */
@SpringBootTest(classes = MigrationTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=upstreams",
        "management.endpoint.upstreams.access=unrestricted",
        "levee.defaults.attempt-timeout=5s", "levee.defaults.deadline=10s", // a cold JVM on a loaded machine
        "levee.upstreams.recs-v1.owner=discovery-team",
        "levee.upstreams.recs-v2.owner=discovery-team",
        "levee.migrations.recommendations.stage=shadow",
        "levee.migrations.recommendations.shadow-calls-per-second=1000",
        "levee.migrations.recommendations.rollback.mismatch-rate=100" })
class MigrationEndpointIntegrationTests {

    static final WireMockServer RECS = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        RECS.start();
        RECS.stubFor(get(urlPathMatching("/v1/recommendations/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"items\": [\"sku-2\", \"sku-3\"]}")));
        RECS.stubFor(get(urlPathEqualTo("/v2/recommendations")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"recommendations\": [{\"sku\": \"sku-3\"}, {\"sku\": \"sku-2\"}]}")));
        RECS.stubFor(get(urlPathEqualTo("/v2/recommendations")).withQueryParam("sku", com.github.tomakehurst.wiremock.client.WireMock.equalTo("sku-9"))
                .atPriority(1).willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"recommendations\": [{\"sku\": \"sku-secret-77\"}]}")));
    }

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        registry.add("app.recs-url", RECS::baseUrl);
    }

    @AfterAll
    static void stop() {
        RECS.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    Migration<String, MigrationTestApplication.Recommendations> migration;

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEndpointShowsTheMigrationsMismatchReportWithoutValuesAndMovesIt() throws Exception {
        migration.moveTo(Stage.SHADOW, 0);
        for (String sku : List.of("sku-1", "sku-9", "sku-4")) {
            assertThat(send("GET", "/recommendations/" + sku, null).body()).isEqualTo("[\"sku-2\",\"sku-3\"]");
        }
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (migration.report().comparisons() < 3 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        HttpResponse<String> all = send("GET", "/actuator/upstreams", null);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(all.body(), "$.migrations[0].name")).isEqualTo("recommendations");
        assertThat(JsonPath.<String>read(all.body(), "$.migrations[0].stage")).isEqualTo("SHADOW");
        assertThat(JsonPath.<Integer>read(all.body(), "$.migrations[0].comparisons")).isEqualTo(3);
        assertThat(JsonPath.<Integer>read(all.body(), "$.migrations[0].mismatchedComparisons")).isEqualTo(1);
        assertThat(JsonPath.<Map<String, Integer>>read(all.body(), "$.migrations[0].mismatchesByField")).containsEntry("skus[]", 3);
        assertThat(all.body()).doesNotContain("sku-secret-77").doesNotContain("sku-3\"");

        HttpResponse<String> one = send("GET", "/actuator/upstreams/migrations/recommendations", null);
        assertThat(JsonPath.<String>read(one.body(), "$.primary")).isEqualTo("recs-v1");
        assertThat(JsonPath.<String>read(one.body(), "$.candidate")).isEqualTo("recs-v2");
        assertThat(send("GET", "/actuator/upstreams/migrations/nothing", null).statusCode()).isEqualTo(404);

        HttpResponse<String> moved = send("POST", "/actuator/upstreams/migrations/recommendations", "{\"stage\":\"ramp\",\"percentage\":10}");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(moved.body(), "$.stage")).isEqualTo("RAMP");
        assertThat(migration.ramp().percentage()).isEqualTo(10);

        HttpResponse<String> bad = send("POST", "/actuator/upstreams/migrations/recommendations", "{\"stage\":\"halfway\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("off, shadow, ramp, complete").contains("halfway");
        HttpResponse<String> range = send("POST", "/actuator/upstreams/migrations/recommendations", "{\"stage\":\"ramp\",\"percentage\":120}");
        assertThat(range.statusCode()).isEqualTo(400);
        assertThat(range.body()).contains("120.0");
        HttpResponse<String> unknown = send("POST", "/actuator/upstreams/migrations/nothing", "{\"stage\":\"off\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no migration named 'nothing'").contains("recommendations");
        assertThat(migration.ramp().stage()).isEqualTo(Stage.RAMP);
    }
}
