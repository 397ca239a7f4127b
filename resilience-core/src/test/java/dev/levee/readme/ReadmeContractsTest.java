package dev.levee.readme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.CallOptions;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.contract.ContractPolicy;
import dev.levee.contract.json.ContractJson;
import dev.levee.contract.testkit.ContractStubs;
import dev.levee.contract.verifier.ContractVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import org.junit.jupiter.api.Test;

/** The README's "Contracts" section, run for real: its snippets, the exported file and the verifier's report. */
class ReadmeContractsTest {

    static final Path EXPORTED = Path.of("src/test/resources/contracts/pricing-quote.json");

    @Test
    void atRunTimeARecordPolicyCountsAViolationAndKeepsAnswering() throws Exception {
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        MeterRegistry registry = new SimpleMeterRegistry();
        HttpClient http = HttpClient.newHttpClient();
        try (Upstreams upstreams = Upstreams.builder().meterRegistry(registry).build()) {
            server.stubFor(get("/prices/43").willReturn(aResponse().withBody("{\"amount\": 8.00, \"currency\": \"GBP\"}")));
            URI uri = URI.create(server.baseUrl() + "/prices/43");
            // README:contract-policy:begin
            Upstream pricing = upstreams.register(UpstreamSpec.named("pricing")
                    .contractPolicy(ContractPolicy.builder()
                            .action(ContractPolicy.Action.RECORD)   // count and log a violation, keep answering
                            .sampleRate(0.1)                        // check one good response in ten
                            .logInterval(Duration.ofMinutes(5))     // each expectation logged at most every 5 minutes
                            .build())
                    .build());
            // README:contract-policy:end
            int answered = 0;
            for (int i = 0; i < 20; i++) {
                Price price = pricing.call(ctx -> http.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString()),
                        PriceAdapter.INSTANCE, CallOptions.<Price>defaults().withFallback(failure -> Price.UNKNOWN));
                answered += price.amount().compareTo(new BigDecimal("8.00")) == 0 ? 1 : 0;
            }
            assertThat(answered).isEqualTo(20);
            assertThat(registry.get("levee.contract.violations").tag("expectation", "known-currency").counter().count()).isEqualTo(2);
        } finally {
            server.stop();
        }
    }

    // README:contract-test:begin
    @Test
    void ourPricingStubsMeetOurContract() {
        ContractStubs.verifyMappings(Quote.CONTRACT, Path.of("src/test/resources/wiremock/pricing")).assertHolds();
    }

    @Test
    void exportOurContractForThePricingTeam() {
        ContractJson.write(Quote.CONTRACT, Path.of("target/contracts/pricing-quote.json"));
    }
    // README:contract-test:end

    @Test
    void theCommittedFileIsWhatTheContractExportsAndTheReadmeShowsIt() throws IOException {
        String exported = ContractJson.write(Quote.CONTRACT);
        assertThat(Files.readString(EXPORTED)).isEqualTo(exported);
        assertThat(readme()).contains("```json\n" + exported + "```");
    }

    @Test
    void theVerifierReportInTheReadmeIsWhatItPrints() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = ContractVerifier.run(new String[] {"--contract", EXPORTED.toString(), "--responses", "src/test/resources/contracts/recorded"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(status).isEqualTo(1);
        String report = out.toString(StandardCharsets.UTF_8).replace("src/test/resources/", "resilience-core/src/test/resources/");
        assertThat(readme()).contains("```\n" + report + "```");
    }

    @Test
    void readmeShowsExactlyTheCodeThatRunsHere() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/levee/readme/ReadmeContractsTest.java"), StandardCharsets.UTF_8);
        for (String region : new String[] {"contract-policy", "contract-test"}) {
            Matcher m = Pattern.compile("// README:" + region + ":begin\\n(.*?)\\n\\s*// README:" + region + ":end", Pattern.DOTALL)
                    .matcher(source);
            assertThat(m.find()).as(region).isTrue();
            assertThat(readme()).as("README.md shows the %s code", region).contains(m.group(1).stripIndent().strip());
        }
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    }
}
