package dev.levee.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.contract.json.ContractFormatException;
import dev.levee.contract.json.ContractJson;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract as a versioned file: exported, read back, the same verdicts; newer formats refused clearly. */
@SuppressWarnings("unchecked")
class ContractFileTest {

    static final Contract<Quote> WITH_PREDICATE = Contract.of("pricing-quote", Quote.class)
            .present("has-amount", "amount")
            .range("amount-in-range", "amount", BigDecimal.ZERO, new BigDecimal("100000.50"))
            .oneOf("known-currency", "currency", "EUR", "USD")
            .pattern("sku-format", "sku", "[A-Z]{3}-[0-9]+")
            .size("has-lines", "lines", 1, 50)
            .each("lines", line -> line.present("line-has-sku", "sku").range("line-quantity", "quantity", 1, 99))
            .present("ships-to", "shipping.country")
            .satisfies("sku-on-first-line", q -> q.lines().isEmpty() || q.sku().equals(q.lines().get(0).sku()))
            .build();

    @TempDir
    Path dir;

    @Test
    void aContractRoundTripsThroughItsFileWithTheSameVerdicts() {
        Path file = dir.resolve("contracts/pricing-quote.json");
        ContractJson.write(Quote.CONTRACT, file);

        Contract<Object> read = ContractJson.read(file);

        assertThat(read.name()).isEqualTo("pricing-quote");
        assertThat(read.expectations()).isEqualTo(Quote.CONTRACT.expectations());
        assertThat(ContractJson.write(read)).isEqualTo(ContractJson.write(Quote.CONTRACT));
        for (ResponseTable.Row row : ResponseTable.ROWS) {
            assertThat(ContractJson.check(read, row.json())).as(row.name()).isEqualTo(ContractJson.check(Quote.CONTRACT, row.json()));
            assertThat(ContractJson.check(read, row.json()).violations()).as(row.name()).containsExactlyElementsOf(row.onJson());
        }
    }

    @Test
    void theFileIsHumanReadableAndVersioned() {
        String text = ContractJson.write(WITH_PREDICATE);

        assertThat(text).contains("\"format\" : \"levee-contract\"", "\"formatVersion\" : 1", "\"name\" : \"pricing-quote\"",
                "\"check\" : \"range\"", "\"max\" : 100000.50", "\"regex\" : \"[A-Z]{3}-[0-9]+\"", "\"check\" : \"each\"",
                "\"values\" : [ \"EUR\", \"USD\" ]");
    }

    @Test
    void aFreePredicateIsExportedAsUnverifiableAndReportedSoByTheProvider() {
        String text = ContractJson.write(WITH_PREDICATE);
        assertThat(text).contains("\"name\" : \"sku-on-first-line\"", "\"check\" : \"unverifiable\"",
                "a free predicate in the consumer's code: a provider cannot verify it");

        Contract<Object> read = ContractJson.read(text);
        ContractResult onJson = ContractJson.check(read, ResponseTable.GOOD);

        assertThat(onJson.holds()).isTrue();
        assertThat(onJson.unverified()).containsExactly("sku-on-first-line");
        assertThat(onJson.held()).doesNotContain("sku-on-first-line").contains("has-amount");
        assertThat(onJson.report()).contains("? sku-on-first-line: unverified");
        // on the consumer's own objects the predicate runs
        Quote mismatch = new Quote("ABC-1", BigDecimal.ONE, "EUR", java.util.List.of(new Quote.Line("XYZ-2", 1)), new Quote.Shipping("FR"));
        assertThat(WITH_PREDICATE.check(mismatch).violations()).containsExactly(new Violation("sku-on-first-line", "", ViolationKind.REJECTED));
    }

    @Test
    void aJacksonTreeIsCheckedAsJsonWithTheSameVerdicts() {
        tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        for (ResponseTable.Row row : ResponseTable.ROWS) {
            ContractResult onTree = ((Contract<Object>) (Contract<?>) WITH_PREDICATE).check(mapper.readTree(row.json()));
            assertThat(onTree).as(row.name()).isEqualTo(ContractJson.check(WITH_PREDICATE, row.json()));
        }
    }

    @Test
    void aFileOfANewerFormatVersionIsRefusedNamingBothVersions() throws Exception {
        Path file = dir.resolve("future.json");
        Files.writeString(file, ContractJson.write(Quote.CONTRACT).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));

        assertThatThrownBy(() -> ContractJson.read(file)).isInstanceOf(ContractFormatException.class)
                .hasMessage(file + " has formatVersion 2, newer than this Levee reads (1 at most): upgrade dev.levee:levee-core to verify it");
    }

    @Test
    void malformedFilesAreRefusedNamingWhatIsWrongAndWhatIsAllowed() {
        String good = ContractJson.write(Quote.CONTRACT);
        assertThatThrownBy(() -> ContractJson.read("{\"format\": \"other\"}"))
                .hasMessage("contract file is not a Levee contract: its \"format\" must be \"levee-contract\"");
        assertThatThrownBy(() -> ContractJson.read(good.replace("\"check\" : \"pattern\"", "\"check\" : \"looks-like\"")))
                .hasMessage("contract file: 'sku-format' has check 'looks-like'; allowed: present, one-of, range, pattern, size, each, unverifiable");
        assertThatThrownBy(() -> ContractJson.read(good.replace("\"regex\"", "\"regexp\"")))
                .hasMessageStartingWith("contract file: unknown field \"regexp\"; allowed here: name, check, path, regex");
        assertThatThrownBy(() -> ContractJson.read(good.replace("\"path\" : \"amount\"", "\"path\" : \"amount..x\"")))
                .hasMessageContaining("contract.path must be dot-separated names");
        assertThatThrownBy(() -> ContractJson.read("not json")).hasMessageStartingWith("contract file is not JSON");
    }

    @Test
    void badContractsAreRefusedAtBuildNamingTheValue() {
        assertThatThrownBy(() -> Contract.of("q", Quote.class).present("has amount", "amount"))
                .hasMessage("contract.expectation must be 1 to 64 characters of letters, digits, '-', '_' or '.', but was 'has amount'");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).present("a", "amount").present("a", "sku"))
                .hasMessage("contract.expectation must be a name not used before in this contract, but was 'a'");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).range("r", "amount", 5, 1))
                .hasMessage("contract.r.max must be at least min (5), but was 1");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).pattern("p", "sku", "[A-"))
                .hasMessageStartingWith("contract.p.pattern must be a java.util.regex pattern");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).build())
                .hasMessage("contract.q must be at least one expectation, but was no expectation");
    }

    @Test
    void aPathThatLeadsNowhereInTheTypeIsRefusedAtBuild() {
        assertThatThrownBy(() -> Contract.of("q", Quote.class).present("has-amount", "amout").build())
                .hasMessage("contract.has-amount.path must be a record component or getter of dev.levee.contract.Quote: "
                        + "sku, amount, currency, lines, shipping, but was 'amout' (at 'amout')");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).present("country", "shipping.county").build())
                .hasMessageContaining("a record component or getter of dev.levee.contract.Quote$Shipping: country");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).present("deep", "amount.scale").build())
                .hasMessageContaining("nothing after a BigDecimal: it has no properties");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).each("sku", e -> e.present("x", "y")).build())
                .hasMessage("contract.each(sku) must be a path to a list or an array, but was a java.lang.String");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).each("lines", line -> line.present("line-sku", "skuu")).build())
                .hasMessageContaining("a record component or getter of dev.levee.contract.Quote$Line: sku, quantity");
        assertThatThrownBy(() -> Contract.of("q", Quote.class).present("first", "lines.first.sku").build())
                .hasMessageContaining("a list index (0, 1, ...) after a list of dev.levee.contract.Quote$Line");
        // indexes, and types that cannot tell (a map, Object) are fine
        assertThat(Contract.of("q", Quote.class).present("first-sku", "lines.0.sku").build().expectations()).containsExactly("first-sku");
        assertThat(Contract.of("m", java.util.Map.class).present("any", "a.b.c").build().expectations()).containsExactly("any");
    }
}
