package dev.levee.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.contract.testkit.ContractStubs;
import dev.levee.contract.testkit.StubReport;
import dev.levee.contract.testkit.StubResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consumer's test kit: the contract against WireMock stub mapping files and recorded responses. */
class ContractTestKitTest {

    @TempDir
    Path wiremock;

    private Path mapping(String file, String json) throws Exception {
        Path mappings = Files.createDirectories(wiremock.resolve("mappings"));
        return Files.writeString(mappings.resolve(file), json);
    }

    @Test
    void everyRowOfTheTableAsAStubYieldsExactlyItsDocumentedViolations() throws Exception {
        for (int i = 0; i < ResponseTable.ROWS.size(); i++) {
            ResponseTable.Row row = ResponseTable.ROWS.get(i);
            mapping(String.format("%02d.json", i), """
                    {"name": "%s", "request": {"method": "GET", "url": "/quotes/%d"},
                     "response": {"status": 200, "jsonBody": %s}}""".formatted(row.name(), i, row.json()));
        }

        StubReport report = ContractStubs.verifyMappings(Quote.CONTRACT, wiremock);

        assertThat(report.stubs()).hasSize(ResponseTable.ROWS.size());
        for (int i = 0; i < ResponseTable.ROWS.size(); i++) {
            ResponseTable.Row row = ResponseTable.ROWS.get(i);
            StubResult stub = report.stubs().get(i);
            assertThat(stub.stub()).isEqualTo(row.name());
            assertThat(stub.result().violations()).as(row.name()).containsExactlyElementsOf(row.onJson());
        }
    }

    @Test
    void aStubTheContractRejectsFailsTheTestWithAReportOfWhatHoldsAndWhatDoesNot() throws Exception {
        mapping("good.json", """
                {"request": {"method": "GET", "url": "/quotes/1"}, "response": {"status": 200, "jsonBody": %s}}"""
                .formatted(ResponseTable.GOOD));
        mapping("bad.json", """
                {"request": {"method": "GET", "urlPath": "/quotes/2"}, "response": {"status": 200, "body": "%s"}}"""
                .formatted(ResponseTable.GOOD.replace("EUR", "XBT").replace("\"", "\\\"").replace("\n", " ")));

        StubReport report = ContractStubs.verifyMappings(Quote.CONTRACT, wiremock.resolve("mappings"));

        assertThat(report.holds()).isFalse();
        assertThat(report.rejected()).extracting(StubResult::stub).containsExactly("GET /quotes/2");
        assertThatThrownBy(report::assertHolds).isInstanceOf(AssertionError.class)
                .hasMessageContaining("contract 'pricing-quote' rejects 1 of 2 stubs")
                .hasMessageContaining("GET /quotes/2 (")
                .hasMessageContaining("BROKEN known-currency at currency: not-one-of")
                .hasMessageContaining("ok has-amount")
                .hasMessageContaining("GET /quotes/1 (")
                .message().doesNotContain("XBT");
    }

    @Test
    void errorStubsAreSkippedAndBodyFilesAndMultiMappingFilesAreRead() throws Exception {
        Files.createDirectories(wiremock.resolve("__files"));
        Files.writeString(wiremock.resolve("__files/quote.json"), ResponseTable.GOOD);
        mapping("several.json", """
                {"mappings": [
                  {"request": {"url": "/quotes/1"}, "response": {"status": 200, "bodyFileName": "quote.json"}},
                  {"request": {"url": "/quotes/404"}, "response": {"status": 404, "body": "no such quote"}}]}""");

        StubReport report = ContractStubs.verifyMappings(Quote.CONTRACT, wiremock).assertHolds();

        assertThat(report.stubs()).extracting(StubResult::stub).containsExactly("ANY /quotes/1", "ANY /quotes/404");
        assertThat(report.stubs().get(0).result().held()).containsExactlyElementsOf(Quote.CONTRACT.expectations());
        assertThat(report.stubs().get(1).result()).isNull();
        assertThat(report.text()).contains("ANY /quotes/404", "skipped, an error status");
    }

    @Test
    void recordedResponsesAreCheckedOneFileEach() throws Exception {
        Path recorded = Files.createDirectories(wiremock.resolve("recorded"));
        Files.writeString(recorded.resolve("a.json"), ResponseTable.GOOD);
        Files.writeString(recorded.resolve("b.json"), ResponseTable.GOOD.replace("[{\"sku\": \"ABC-1\", \"quantity\": 2}]", "[]"));
        Files.writeString(recorded.resolve("c.json"), "not json at all");

        StubReport report = ContractStubs.verifyRecorded(Quote.CONTRACT, recorded);

        assertThat(report.stubs()).extracting(s -> s.result().violations()).containsExactly(
                List.of(),
                List.of(new Violation("has-lines", "lines", ViolationKind.WRONG_SIZE)),
                List.of(new Violation(Contract.UNREADABLE, "", ViolationKind.UNREADABLE)));
    }

    @Test
    void aFileThatIsNoStubMappingIsNamedInTheError() throws Exception {
        mapping("odd.json", "{\"hello\": 1}");

        assertThatThrownBy(() -> ContractStubs.verifyMappings(Quote.CONTRACT, wiremock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("odd.json is not a WireMock stub mapping: it needs \"request\" and \"response\"");
    }

    @Test
    void noStubAtAllFailsRatherThanPassingVacuously() throws Exception {
        Files.createDirectories(wiremock.resolve("mappings"));

        assertThatThrownBy(() -> ContractStubs.verifyMappings(Quote.CONTRACT, wiremock).assertHolds())
                .hasMessageContaining("no stub was checked");
    }
}
