package dev.levee.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * The README's way to watch the degraded behaviour: the example's own embedded stubs, made to fail with
 * {@code POST /stubs/{upstream}/down} and to recover with {@code /up}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = StubUpstreams.class)
class OrdersStubControlTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void eachStubGoesDownAndComesBackOnRequest() throws Exception {
        for (int i = 0; i < 10 && get("/orders/warm-up").statusCode() != 200; i++) {
            Thread.sleep(100);
        }
        assertThat(get("/orders/1").body()).contains("\"degraded\":false");

        assertThat(post("/stubs/recommendations/down")).isEqualTo(200);
        double before = OrdersApplicationTest.fallbacks(get("/actuator/prometheus").body(), "recommendations");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get("/orders/1");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"available\":7", "\"recommendations\":[]", "\"degraded\":true");
        }
        assertThat(OrdersApplicationTest.fallbacks(get("/actuator/prometheus").body(), "recommendations"))
                .isEqualTo(before + 3);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(post("/stubs/recommendations/up")).isEqualTo(200);

        assertThat(get("/orders/1").body()).containsPattern("\"loyaltyPoints\":\\d+");
        assertThat(post("/stubs/loyalty/down")).isEqualTo(200);
        double loyaltyFallbacks = OrdersApplicationTest.fallbacks(get("/actuator/prometheus").body(), "loyalty");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get("/orders/1");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"available\":7", "\"loyaltyPoints\":null");
        }
        assertThat(OrdersApplicationTest.fallbacks(get("/actuator/prometheus").body(), "loyalty"))
                .as("the loyalty database's failures answered by its fallback bean").isEqualTo(loyaltyFallbacks + 3);
        // six failed attempts in a row (each read tried twice): the circuit opened, as for any upstream
        assertThat(get("/actuator/upstreams/loyalty").body()).contains("\"state\":\"OPEN\"");
        assertThat(post("/stubs/loyalty/up")).isEqualTo(200);

        assertThat(post("/stubs/inventory/down")).isEqualTo(200);
        HttpResponse<String> r = null;
        for (int i = 0; i < 12; i++) {
            r = get("/orders/" + i);
            assertThat(r.statusCode()).isEqualTo(503);
        }
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"upstream\":\"inventory\"");
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(post("/stubs/inventory/up")).isEqualTo(200);
        assertThat(post("/stubs/pricing/down")).isEqualTo(404);
    }
}
