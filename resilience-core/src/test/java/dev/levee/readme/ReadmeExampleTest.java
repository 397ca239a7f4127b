package dev.levee.readme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.CallOptions;
import dev.levee.Criticality;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the README's example for real, and checks that the README shows exactly this code. */
class ReadmeExampleTest {

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final HttpClient http = HttpClient.newHttpClient();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    /** Contract violations counted by the last calls, by expectation, read before the meters go. */
    private final java.util.Map<String, Double> violations = new java.util.TreeMap<>();

    @BeforeEach
    void start() throws Exception {
        server.start();
        // Warm the stub server, the client and the call path outside the example: on a cold, busy JVM the
        // first exchange can outlast the example's 300 ms attempt timeout.
        server.stubFor(get("/warm-up").willReturn(aResponse().withBody("{\"amount\": 1}")));
        for (int i = 0; i < 3; i++) {
            http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/warm-up")).build(), BodyHandlers.discarding());
            quote(URI.create(server.baseUrl() + "/warm-up"));
        }
        server.resetRequests();
        violations.clear();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    Price quote(URI uri) {
        // README:usage:begin
        Upstreams upstreams = Upstreams.builder().meterRegistry(registry).build();

        Upstream pricing = upstreams.register(UpstreamSpec.named("pricing")
                .owner("pricing-team")
                .criticality(Criticality.OPTIONAL)
                .attemptTimeout(Duration.ofMillis(300))
                .deadline(Duration.ofSeconds(1))
                .circuitBreaker(cb -> cb.failureRateThreshold(50).slowCallThreshold(Duration.ofMillis(250)))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(50), 2.0).jitter(0.5))
                .maxConcurrentCalls(20)
                .build());

        Price price = pricing.call(
                ctx -> http.send(HttpRequest.newBuilder(uri).timeout(ctx.remaining()).build(), BodyHandlers.ofString()),
                PriceAdapter.INSTANCE,
                CallOptions.<Price>idempotent().withFallback(failure -> Price.UNKNOWN));
        // README:usage:end
        registry.find("levee.contract.violations").counters()
                .forEach(c -> violations.merge(c.getId().getTag("expectation"), c.count(), Double::sum));
        upstreams.close(); // removes the upstream's meters
        return price;
    }

    @Test
    void translatesAGoodAnswer() {
        server.stubFor(get("/prices/42").willReturn(aResponse().withBody("{\"amount\": 12.50}")));
        assertThat(quote(URI.create(server.baseUrl() + "/prices/42")).amount()).isEqualByComparingTo(new BigDecimal("12.50"));
    }

    @Test
    void retriesThenFallsBackWhenPricingFails() {
        server.stubFor(get("/prices/42").willReturn(aResponse().withStatus(503)));
        assertThat(quote(URI.create(server.baseUrl() + "/prices/42"))).isEqualTo(Price.UNKNOWN);
        server.verify(3, getRequestedFor(urlEqualTo("/prices/42")));
    }

    @Test
    void mapsNotFoundToADomainAnswerWithoutRetry() {
        server.stubFor(get("/prices/42").willReturn(aResponse().withStatus(404)));
        assertThat(quote(URI.create(server.baseUrl() + "/prices/42"))).isEqualTo(Price.NOT_LISTED);
        server.verify(1, getRequestedFor(urlEqualTo("/prices/42")));
    }

    @Test
    void aResponseThatBreaksTheContractIsCountedAndAnsweredByTheFallback() {
        server.stubFor(get("/prices/42").willReturn(aResponse().withBody("{\"amount\": -3, \"currency\": \"EUR\"}")));
        assertThat(quote(URI.create(server.baseUrl() + "/prices/42"))).isEqualTo(Price.UNKNOWN);
        assertThat(violations).containsExactly(java.util.Map.entry("amount-not-negative", 1.0));
        server.verify(1, getRequestedFor(urlEqualTo("/prices/42"))); // a contract violation is never retried
    }

    @Test
    void aBodyThatIsNotJsonIsAnUnreadableResponse() {
        server.stubFor(get("/prices/42").willReturn(aResponse().withBody("<html>maintenance</html>")));
        assertThat(quote(URI.create(server.baseUrl() + "/prices/42"))).isEqualTo(Price.UNKNOWN);
        assertThat(violations).containsExactly(java.util.Map.entry("unreadable", 1.0));
    }

    @Test
    void readmeShowsExactlyTheCodeThatRunsHere() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        for (String[] region : new String[][] {
                {"ReadmeExampleTest.java", "usage"}, {"Quote.java", "quote"}, {"PriceAdapter.java", "adapter"}}) {
            String source = Files.readString(Path.of("src/test/java/dev/levee/readme", region[0]), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("// README:" + region[1] + ":begin\\n(.*?)\\n\\s*// README:" + region[1] + ":end",
                    Pattern.DOTALL).matcher(source);
            assertThat(m.find()).as("region %s in %s", region[1], region[0]).isTrue();
            String code = m.group(1).stripIndent().strip();
            assertThat(readme).as("README.md shows the %s code of %s", region[1], region[0]).contains(code);
        }
    }
}
