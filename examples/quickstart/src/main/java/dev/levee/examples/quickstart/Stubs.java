package dev.levee.examples.quickstart;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

/** The two upstreams, as WireMock servers on loopback: catalog stays healthy, pricing goes through phases. */
final class Stubs implements AutoCloseable {

    final WireMockServer catalog = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(64));
    final WireMockServer pricing = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(64));

    Stubs() {
        catalog.start();
        pricing.start();
        catalog.stubFor(get(urlPathMatching("/items/.*")).willReturn(aResponse().withFixedDelay(5)
                .withHeader("Content-Type", "application/json").withBody("{\"name\": \"Blue teapot\"}")));
        phase(Options.Kind.HEALTHY);
    }

    void phase(Options.Kind kind) {
        pricing.resetMappings();
        switch (kind) {
            case SLOW -> pricing.stubFor(get(urlPathMatching("/prices/.*")).willReturn(aResponse().withFixedDelay(2_000)
                    .withHeader("Content-Type", "application/json").withBody("{\"amount\": 12.50}")));
            case DOWN -> pricing.stubFor(get(urlPathMatching("/prices/.*"))
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            default -> pricing.stubFor(get(urlPathMatching("/prices/.*")).willReturn(aResponse().withFixedDelay(10)
                    .withHeader("Content-Type", "application/json").withBody("{\"amount\": 12.50}")));
        }
    }

    @Override
    public void close() {
        catalog.stop();
        pricing.stop();
    }
}
