package dev.levee.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.contract.json.ContractJson;
import dev.levee.contract.verifier.ContractVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's verifier, run in-process through its exit-code seam and once as a real java process. */
class ContractVerifierTest {

    private final WireMockServer provider = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;
    private Path contract;

    @BeforeEach
    void setUp() {
        provider.start();
        provider.stubFor(get("/quotes/good").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(ResponseTable.GOOD)));
        // The provider's release that breaks one expectation: a currency the consumer does not know.
        provider.stubFor(get("/quotes/broken").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(ResponseTable.GOOD.replace("EUR", "XBT"))));
        provider.stubFor(get("/quotes/down").willReturn(aResponse().withStatus(503)));
        contract = dir.resolve("pricing-quote.json");
        ContractJson.write(ContractFileTest.WITH_PREDICATE, contract);
    }

    @AfterEach
    void tearDown() {
        provider.stop();
    }

    private int run(String... args) {
        return ContractVerifier.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aProviderThatBreaksOneExpectationFailsWithExitOneAndItsName() {
        int status = run("--contract", contract.toString(), "--base-url", provider.baseUrl(), "--path", "/quotes/good", "--path", "/quotes/broken");

        assertThat(status).isEqualTo(ContractVerifier.FAIL).isEqualTo(1);
        assertThat(out()).contains("Contract 'pricing-quote' against " + provider.baseUrl(),
                "GET /quotes/good (" + provider.baseUrl() + ", status 200): holds",
                "GET /quotes/broken (" + provider.baseUrl() + ", status 200): REJECTED",
                "BROKEN known-currency at currency: not-one-of",
                "not verifiable here (free predicates in the consumer's code): sku-on-first-line",
                "FAIL: 1 of 2 responses do not meet contract 'pricing-quote'; broken: known-currency")
                .doesNotContain("XBT");
    }

    @Test
    void aProviderThatMeetsTheContractPasses() {
        assertThat(run("--contract", contract.toString(), "--base-url", provider.baseUrl() + "/", "--path", "quotes/good"))
                .isEqualTo(ContractVerifier.PASS);
        assertThat(out()).contains("PASS: 1 of 1 responses meet contract 'pricing-quote'");
    }

    @Test
    void anErrorStatusOrNoAnswerFails() {
        assertThat(run("--contract", contract.toString(), "--base-url", provider.baseUrl(), "--path", "/quotes/down")).isEqualTo(1);
        assertThat(out()).contains("skipped, the provider answered 503", "FAIL: 1 of 1");
    }

    @Test
    void recordedResponsesAreVerifiedFromAFolder() throws Exception {
        Path recorded = Files.createDirectories(dir.resolve("recorded"));
        Files.writeString(recorded.resolve("quote-1.json"), ResponseTable.GOOD);
        assertThat(run("--contract", contract.toString(), "--responses", recorded.toString())).isEqualTo(0);

        Files.writeString(recorded.resolve("quote-2.json"), ResponseTable.GOOD.replace("12.5", "250000"));
        assertThat(run("--contract", contract.toString(), "--responses", recorded.toString())).isEqualTo(1);
        assertThat(out()).contains("quote-2.json", "BROKEN amount-in-range at amount: out-of-range");
    }

    @Test
    void badArgumentsAndNewerContractFilesExitTwoWithAClearMessage() throws Exception {
        assertThat(run("--base-url", provider.baseUrl())).isEqualTo(ContractVerifier.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: --contract is required", "usage: ContractVerifier");

        Path future = dir.resolve("future.json");
        Files.writeString(future, Files.readString(contract).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        assertThat(run("--contract", future.toString(), "--responses", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("has formatVersion 7, newer than this Levee reads (1 at most)");

        assertThat(run("--contract", contract.toString(), "--responses", dir.toString(), "--timeout", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--timeout must be between 1 and 600, but was 0");
    }

    @Test
    void asARealJavaProcessItExitsNonZeroAndNamesTheBrokenExpectation() throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                ContractVerifier.class.getName(), "--contract", contract.toString(), "--base-url", provider.baseUrl(),
                "--path", "/quotes/broken"))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the verifier ends").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("BROKEN known-currency at currency: not-one-of", "FAIL: 1 of 1");
    }
}
