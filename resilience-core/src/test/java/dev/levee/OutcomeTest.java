package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pins, for every {@link Outcome}, the treatment documented in its javadoc table. */
class OutcomeTest {

    /** upstreamFault, retryable, fallbackEligible, rejection, tag: as documented. */
    private record Row(boolean upstreamFault, boolean retryable, boolean fallbackEligible, boolean rejection, String tag) {
    }

    private static final Map<Outcome, Row> TABLE = Map.of(
            Outcome.SUCCESS, new Row(false, false, false, false, "success"),
            Outcome.CALLER_FAULT, new Row(false, false, false, false, "caller_fault"),
            Outcome.FAILURE, new Row(true, true, true, false, "failure"),
            Outcome.TIMEOUT, new Row(true, true, true, false, "timeout"),
            Outcome.CONTRACT_VIOLATION, new Row(true, false, true, false, "contract_violation"),
            Outcome.CIRCUIT_OPEN, new Row(false, false, true, true, "circuit_open"),
            Outcome.BULKHEAD_FULL, new Row(false, false, true, true, "bulkhead_full"),
            Outcome.DEADLINE_EXCEEDED, new Row(false, false, true, false, "deadline_exceeded"),
            Outcome.CANCELLED, new Row(false, false, false, false, "cancelled"),
            Outcome.CLOSED, new Row(false, false, false, true, "closed"));

    @Test
    void theTableCoversEveryOutcome() {
        assertThat(TABLE.keySet()).as("a new Outcome needs a documented row here").isEqualTo(EnumSet.allOf(Outcome.class));
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void treatmentMatchesTheDocumentedTable(Outcome outcome) {
        Row row = TABLE.get(outcome);
        assertThat(row).as("row for %s", outcome).isNotNull();
        assertThat(outcome.isUpstreamFault()).as("isUpstreamFault").isEqualTo(row.upstreamFault());
        assertThat(outcome.isRetryable()).as("isRetryable").isEqualTo(row.retryable());
        assertThat(outcome.isFallbackEligible()).as("isFallbackEligible").isEqualTo(row.fallbackEligible());
        assertThat(outcome.isRejection()).as("isRejection").isEqualTo(row.rejection());
        assertThat(outcome.tag()).as("tag").isEqualTo(row.tag());
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void documentedInvariants(Outcome outcome) {
        // retried only if held against the upstream; a rejection never reached the upstream
        if (outcome.isRetryable()) {
            assertThat(outcome.isUpstreamFault()).isTrue();
        }
        if (outcome.isRejection()) {
            assertThat(outcome.isUpstreamFault()).isFalse();
            // a closed registry is shutting down: no fallback answers for it (a fallback may call upstreams itself)
            assertThat(outcome.isFallbackEligible()).isEqualTo(outcome != Outcome.CLOSED);
        }
        assertThat(outcome.tag()).matches("[a-z_]+");
    }
}
