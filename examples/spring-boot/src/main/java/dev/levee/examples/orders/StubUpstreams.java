package dev.levee.examples.orders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts stub inventory and recommendations upstreams on loopback before the application starts, and points
 * the application at them, so the example runs with nothing else installed. Off with
 * {@code orders.stubs.enabled=false}. While they run, {@link StubControlController} makes either one fail or
 * recover ({@code POST /stubs/{upstream}/down} and {@code /up}).
 */
final class StubUpstreams implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The names of the stubbed upstreams. */
    static final Set<String> NAMES = Set.of("inventory", "recommendations", "recommendations-v2");

    private final WireMockServer inventory = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer recommendations = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer recommendationsV2 = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!context.getEnvironment().getProperty("orders.stubs.enabled", Boolean.class, true)) {
            return;
        }
        inventory.start();
        recommendations.start();
        recommendationsV2.start();
        up("inventory");
        up("recommendations");
        up("recommendations-v2");
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("orders-stub-upstreams", Map.of(
                "spring.http.serviceclient.inventory.base-url", inventory.baseUrl(),
                "orders.recommendations.base-url", recommendations.baseUrl(),
                "orders.recommendations-v2.base-url", recommendationsV2.baseUrl())));
        context.getBeanFactory().registerSingleton("stubUpstreams", this);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                inventory.stop();
                recommendations.stop();
                recommendationsV2.stop();
            }
        });
    }

    /**
     * Makes a stub answer every request with {@code 503 Service Unavailable}.
     *
     * @param upstream {@code inventory}, {@code recommendations} or {@code recommendations-v2}
     */
    void down(String upstream) {
        WireMockServer server = server(upstream);
        server.resetAll();
        server.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(503)));
    }

    /**
     * Makes a stub answer as a healthy upstream does.
     *
     * @param upstream {@code inventory}, {@code recommendations} or {@code recommendations-v2}
     */
    void up(String upstream) {
        WireMockServer server = server(upstream);
        server.resetAll();
        if (server == inventory) {
            server.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withFixedDelay(5)
                    .withHeader("Content-Type", "application/json").withBody("{\"sku\": \"sku-1\", \"available\": 7}")));
        } else if (server == recommendations) {
            server.stubFor(get(urlPathMatching("/recommendations/.*")).willReturn(aResponse().withFixedDelay(5)
                    .withHeader("Content-Type", "application/json").withBody("{\"items\": [\"sku-2\", \"sku-3\"]}")));
        } else {
            v2Answers(server);
        }
    }

    /**
     * v2's answers: the same SKUs as v1, ordered by score (no difference once compared), except for products
     * whose SKU ends in 7, where v2 recommends another product (a real difference, counted by the migration).
     */
    static void v2Answers(WireMockServer server) {
        server.stubFor(get(urlPathMatching("/v2/recommendations/.*")).willReturn(aResponse().withFixedDelay(5)
                .withHeader("Content-Type", "application/json").withBody("{\"recommendations\": [{\"sku\": \"sku-3\", \"score\": 0.9}, "
                        + "{\"sku\": \"sku-2\", \"score\": 0.7}], \"generatedAt\": \"2026-11-30T12:00:00Z\"}")));
        server.stubFor(get(urlPathMatching("/v2/recommendations/sku-[0-9]*7")).atPriority(1).willReturn(aResponse().withFixedDelay(5)
                .withHeader("Content-Type", "application/json").withBody("{\"recommendations\": [{\"sku\": \"sku-3\", \"score\": 0.9}, "
                        + "{\"sku\": \"sku-8\", \"score\": 0.6}], \"generatedAt\": \"2026-11-30T12:00:00Z\"}")));
    }

    private WireMockServer server(String upstream) {
        return switch (upstream) {
            case "inventory" -> inventory;
            case "recommendations" -> recommendations;
            case "recommendations-v2" -> recommendationsV2;
            default -> throw new IllegalArgumentException("no stub named '" + upstream + "'; stubs: " + NAMES);
        };
    }
}
