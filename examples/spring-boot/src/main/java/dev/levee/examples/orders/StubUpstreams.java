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
    static final Set<String> NAMES = Set.of("inventory", "recommendations");

    private final WireMockServer inventory = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer recommendations = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!context.getEnvironment().getProperty("orders.stubs.enabled", Boolean.class, true)) {
            return;
        }
        inventory.start();
        recommendations.start();
        up("inventory");
        up("recommendations");
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("orders-stub-upstreams", Map.of(
                "spring.http.serviceclient.inventory.base-url", inventory.baseUrl(),
                "orders.recommendations.base-url", recommendations.baseUrl())));
        context.getBeanFactory().registerSingleton("stubUpstreams", this);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                inventory.stop();
                recommendations.stop();
            }
        });
    }

    /**
     * Makes a stub answer every request with {@code 503 Service Unavailable}.
     *
     * @param upstream {@code inventory} or {@code recommendations}
     */
    void down(String upstream) {
        WireMockServer server = server(upstream);
        server.resetAll();
        server.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(503)));
    }

    /**
     * Makes a stub answer as a healthy upstream does.
     *
     * @param upstream {@code inventory} or {@code recommendations}
     */
    void up(String upstream) {
        WireMockServer server = server(upstream);
        server.resetAll();
        if (server == inventory) {
            server.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withFixedDelay(5)
                    .withHeader("Content-Type", "application/json").withBody("{\"sku\": \"sku-1\", \"available\": 7}")));
        } else {
            server.stubFor(get(urlPathMatching("/recommendations/.*")).willReturn(aResponse().withFixedDelay(5)
                    .withHeader("Content-Type", "application/json").withBody("{\"items\": [\"sku-2\", \"sku-3\"]}")));
        }
    }

    private WireMockServer server(String upstream) {
        return switch (upstream) {
            case "inventory" -> inventory;
            case "recommendations" -> recommendations;
            default -> throw new IllegalArgumentException("no stub named '" + upstream + "'; stubs: " + NAMES);
        };
    }
}
