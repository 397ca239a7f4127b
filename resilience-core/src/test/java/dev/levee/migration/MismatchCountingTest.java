package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.metrics.LeveeMeters;
import io.micrometer.core.instrument.Meter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shadow comparisons over a scripted sequence: every outcome and every difference counted exactly, in the
 * report and in the meters; and no answer value anywhere (logs, tags, report) unless samples are switched
 * on, and then only redacted.
 */
class MismatchCountingTest {

    private static final Recs.Item A = new Recs.Item("sku-a", "secret-title-alpha", 0.5);
    private static final Recs.Item B = new Recs.Item("sku-b", "secret-title-beta", 0.25);

    private final MigrationFixture f = new MigrationFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** v2's answer for each customer of the script. */
    private static MigrationFixture.V2Dto v2(String customer) {
        switch (customer) {
            case "same-1", "same-2", "same-3":
                return new MigrationFixture.V2Dto(customer, List.of(A, B), 1000);
            case "reordered":
                return new MigrationFixture.V2Dto(customer, List.of(B, A), 1000);
            case "rounded":
                return new MigrationFixture.V2Dto(customer, List.of(A, new Recs.Item("sku-b", "secret-title-beta", 0.251)), 1000);
            case "total-1", "total-2":
                return new MigrationFixture.V2Dto(customer, List.of(A, B), 1250);
            case "retitled":
                return new MigrationFixture.V2Dto(customer, List.of(A, new Recs.Item("sku-b", "secret-title-gamma", 0.25)), 1000);
            case "short":
                return new MigrationFixture.V2Dto(customer, List.of(A), 1000);
            default:
                throw new IllegalStateException("v2 down for " + customer);
        }
    }

    private static final List<String> SCRIPT = List.of("same-1", "reordered", "total-1", "same-2", "rounded", "retitled",
            "short", "total-2", "fails", "same-3");

    private Migration<String, Recs> migration(boolean samples) {
        MigrationSpec.Builder<String, Recs> spec = f.spec(c -> new MigrationFixture.V1Dto(c, List.of(A, B), 10.0), MismatchCountingTest::v2)
                .equivalence(Equivalence.<Recs>structural().unordered("items").tolerance("items[].score", 0.01).build())
                .stage(Stage.SHADOW);
        if (samples) {
            spec.samples(10, Redactor.DEFAULT);
        }
        return f.upstreams.migrate(spec.build());
    }

    @Test
    void everyOutcomeAndDifferenceOfTheScriptIsCountedExactly() throws InterruptedException {
        Migration<String, Recs> m = migration(false);
        for (String customer : SCRIPT) {
            assertThat(m.call(customer).customer()).as("the primary answers").isEqualTo(customer);
        }
        MigrationFixture.awaitComparisons(m, SCRIPT.size());
        MigrationReport r = m.report();
        assertThat(r.answers()).containsEntry("primary", 10L).containsEntry("candidate", 0L);
        assertThat(r.comparisons()).isEqualTo(9);
        assertThat(r.mismatchedComparisons()).isEqualTo(4); // total-1, total-2, retitled, short
        assertThat(r.shadowCalls()).containsEntry("match", 5L).containsEntry("mismatch", 4L)
                .containsEntry("candidate_failed", 1L).containsEntry("over_budget", 0L);
        // short (unordered): SIZE plus the missing sku-b; retitled: the unmatched pair, missing and unexpected
        assertThat(r.mismatchesByKind()).containsEntry("value", 2L).containsEntry("size", 1L)
                .containsEntry("missing", 2L).containsEntry("unexpected", 1L).containsEntry("type", 0L);
        assertThat(r.mismatchesByField()).isEqualTo(Map.of("total", 2L, "items", 1L, "items[]", 3L));
        assertThat(f.count(LeveeMeters.MIGRATION_MISMATCHES, "kind", "value")).isEqualTo(2);
        assertThat(f.count(LeveeMeters.MIGRATION_MISMATCHES, "kind", "missing")).isEqualTo(2);
        assertThat(f.count(LeveeMeters.MIGRATION_SHADOW_CALLS, "outcome", "mismatch")).isEqualTo(4);
        assertThat(f.count(LeveeMeters.MIGRATION_SHADOW_CALLS, "outcome", "match")).isEqualTo(5);
        assertThat(f.count(LeveeMeters.MIGRATION_ANSWERS, "provider", "primary", "fallback", "false")).isEqualTo(10);
        assertThat(r.recent()).hasSize(6).allSatisfy(x -> assertThat(x.primaryHash()).matches("[0-9a-f]{12}|null"));
        assertThat(r.samples()).isEmpty();
    }

    @Test
    void noValueReachesLogsTagsOrReportWithoutSamples() throws InterruptedException {
        Migration<String, Recs> m = migration(false);
        SCRIPT.forEach(m::call);
        MigrationFixture.awaitComparisons(m, SCRIPT.size());
        m.moveTo(Stage.RAMP, 50); // state changes are logged: with no value either
        // the salted hashes are random hex digits, so they are set aside before looking for a value's digits
        String everything = (f.logged() + m.report() + tags()).replaceAll("Hash=[0-9a-f]{12}", "Hash=<hash>");
        assertThat(everything).contains("Hash=<hash>").contains("recommendations").contains("shadow", "RAMP")
                .doesNotContain("secret-title").doesNotContain("1250").doesNotContain("12.5");
        assertThat(f.logged()).as("one line per state change, none per call").hasLineCount(2);
    }

    @Test
    void samplesWhenSwitchedOnShowRedactedValuesOnly() throws InterruptedException {
        Migration<String, Recs> m = migration(true);
        SCRIPT.forEach(m::call);
        MigrationFixture.awaitComparisons(m, SCRIPT.size());
        List<MigrationReport.Sample> samples = m.report().samples();
        assertThat(samples).hasSize(6);
        assertThat(samples).filteredOn(s -> s.path().equals("total")).extracting(MigrationReport.Sample::primary,
                MigrationReport.Sample::candidate).containsOnly(org.assertj.core.groups.Tuple.tuple("10.0", "12.5"));
        assertThat(samples.toString()).doesNotContain("secret-title").contains("<Item>");
        assertThat(f.logged() + tags()).doesNotContain("secret-title").doesNotContain("12.5");
    }

    private String tags() {
        StringBuilder all = new StringBuilder();
        for (Meter meter : f.registry.getMeters()) {
            all.append(meter.getId().getTags()).append('\n');
        }
        return all.toString();
    }
}
