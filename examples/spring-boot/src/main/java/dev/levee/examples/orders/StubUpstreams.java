package dev.levee.examples.orders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts stub inventory and recommendations upstreams on loopback before the application starts, and points
 * the application at them, so the example runs with nothing else installed. Off with
 * {@code orders.stubs.enabled=false}.
 */
final class StubUpstreams implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!context.getEnvironment().getProperty("orders.stubs.enabled", Boolean.class, true)) {
            return;
        }
        WireMockServer inventory = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        WireMockServer recommendations = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        inventory.start();
        recommendations.start();
        inventory.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withFixedDelay(5)
                .withHeader("Content-Type", "application/json").withBody("{\"sku\": \"sku-1\", \"available\": 7}")));
        recommendations.stubFor(get(urlPathMatching("/recommendations/.*")).willReturn(aResponse().withFixedDelay(5)
                .withHeader("Content-Type", "application/json").withBody("{\"items\": [\"sku-2\", \"sku-3\"]}")));
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("orders-stub-upstreams", Map.of(
                "spring.http.serviceclient.inventory.base-url", inventory.baseUrl(),
                "orders.recommendations.base-url", recommendations.baseUrl())));
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                inventory.stop();
                recommendations.stop();
            }
        });
    }
}
