package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.metrics.LeveeMeters;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A ramp splits keys by a stable hash: the share asked for, each key always the same way. */
class StickyRampTest {

    private final MigrationFixture f = new MigrationFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private Migration<String, Recs> migration(MigrationFixture fixture, double percentage) {
        return fixture.upstreams.migrate(fixture.spec(c -> new MigrationFixture.V1Dto(c, List.of(), 1.0),
                c -> new MigrationFixture.V2Dto(c, List.of(), 100)).stage(Stage.RAMP).percentage(percentage)
                .shadowCallsPerSecond(0).build());
    }

    @Test
    void tenPercentOfTenThousandKeysGoToTheCandidateEachAlwaysTheSameWay() {
        Migration<String, Recs> m = migration(f, 10);
        boolean[] first = new boolean[10_000];
        int toCandidate = 0;
        for (int i = 0; i < first.length; i++) {
            first[i] = m.routesToCandidate("customer-" + i);
            toCandidate += first[i] ? 1 : 0;
        }
        assertThat(toCandidate).isBetween(900, 1_100);
        for (int i = 0; i < first.length; i++) {
            assertThat(m.routesToCandidate("customer-" + i)).as("customer-%d again", i).isEqualTo(first[i]);
        }
        try (MigrationFixture elsewhere = new MigrationFixture()) { // another instance of the application
            Migration<String, Recs> other = migration(elsewhere, 10);
            for (int i = 0; i < first.length; i++) {
                assertThat(other.routesToCandidate("customer-" + i)).isEqualTo(first[i]);
            }
        }
    }

    @Test
    void callsGoWhereTheRouteSaysAndARaisedPercentageKeepsItsKeys() {
        Migration<String, Recs> m = migration(f, 10);
        int expected = 0;
        for (int i = 0; i < 1_000; i++) {
            String key = "customer-" + i;
            expected += m.routesToCandidate(key) ? 1 : 0;
            double total = m.call(key).total();
            assertThat(total).as("v1 answers 1.0, v2 100 cents").isEqualTo(1.0);
        }
        assertThat(m.report().answers().get("candidate")).isEqualTo(expected);
        assertThat(f.count(LeveeMeters.MIGRATION_ANSWERS, "provider", "candidate")).isEqualTo(expected);
        assertThat(f.registry.get(LeveeMeters.MIGRATION_PERCENTAGE).gauge().value()).isEqualTo(10);
        assertThat(f.registry.get(LeveeMeters.MIGRATION_STAGE).tag("stage", "ramp").gauge().value()).isEqualTo(1);

        boolean[] atTen = new boolean[2_000];
        for (int i = 0; i < atTen.length; i++) {
            atTen[i] = m.routesToCandidate("customer-" + i);
        }
        m.moveTo(Stage.RAMP, 25);
        for (int i = 0; i < atTen.length; i++) {
            if (atTen[i]) {
                assertThat(m.routesToCandidate("customer-" + i)).as("a key on the candidate stays there as the ramp grows").isTrue();
            }
        }
        m.moveTo(Stage.SHADOW, 25);
        assertThat(m.routesToCandidate("customer-1")).isFalse();
        m.moveTo(Stage.COMPLETE, 0);
        assertThat(m.routesToCandidate("customer-1")).isTrue();
    }
}
