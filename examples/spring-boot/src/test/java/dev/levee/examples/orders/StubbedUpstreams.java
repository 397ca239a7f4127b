package dev.levee.examples.orders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The test's own WireMock upstreams, shared by the example's tests; one pair per JVM. */
final class StubbedUpstreams {

    static final WireMockServer INVENTORY = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    static final WireMockServer RECOMMENDATIONS = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    static final WireMockServer RECOMMENDATIONS_V2 = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        INVENTORY.start();
        RECOMMENDATIONS.start();
        RECOMMENDATIONS_V2.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            INVENTORY.stop();
            RECOMMENDATIONS.stop();
            RECOMMENDATIONS_V2.stop();
        }));
    }

    private StubbedUpstreams() {
    }

    static void register(DynamicPropertyRegistry registry) {
        registry.add("orders.stubs.enabled", () -> "false");
        registry.add("spring.http.serviceclient.inventory.base-url", INVENTORY::baseUrl);
        registry.add("orders.recommendations.base-url", RECOMMENDATIONS::baseUrl);
        registry.add("orders.recommendations-v2.base-url", RECOMMENDATIONS_V2::baseUrl);
    }

    /**
     * Warms the application's path to both upstreams (a cold JVM's first exchanges can outlast a 300 ms
     * attempt timeout), then leaves both healthy with every circuit closed and empty.
     */
    static void warmedAndHealthy(Upstreams upstreams, java.util.function.IntSupplier getOrder) {
        healthy(upstreams);
        for (int i = 0; i < 10 && getOrder.getAsInt() != 200; i++) {
            healthy(upstreams);
        }
        healthy(upstreams);
    }

    /** Healthy answers from both, and every circuit closed with an empty window. */
    static void healthy(Upstreams upstreams) {
        INVENTORY.resetAll();
        RECOMMENDATIONS.resetAll();
        RECOMMENDATIONS_V2.resetAll();
        StubUpstreams.v2Answers(RECOMMENDATIONS_V2);
        INVENTORY.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"sku\": \"sku-1\", \"available\": 7}")));
        RECOMMENDATIONS.stubFor(get(urlPathMatching("/recommendations/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"items\": [\"sku-2\", \"sku-3\"]}")));
        for (Upstream u : upstreams) {
            u.resetCircuit();
        }
    }
}
