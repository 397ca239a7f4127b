package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.metrics.LeveeMeters;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shadow budget per second, on the candidate's manual clock; shadowing pauses over budget and while
 * the candidate's circuit is open, and says so.
 */
class ShadowBudgetTest {

    private final MigrationFixture f = new MigrationFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private Migration<String, Recs> shadow(int perSecond) {
        return f.upstreams.migrate(f.spec(c -> new MigrationFixture.V1Dto(c, List.of(), 1.0),
                c -> new MigrationFixture.V2Dto(c, List.of(), 100)).stage(Stage.SHADOW).shadowCallsPerSecond(perSecond).build());
    }

    @Test
    void atMostTheBudgetOfShadowCallsStartsEachSecond() throws InterruptedException {
        Migration<String, Recs> m = shadow(5);
        for (int i = 0; i < 20; i++) {
            m.call("c-" + i);
        }
        MigrationFixture.awaitComparisons(m, 5);
        assertThat(m.report().shadowCalls()).containsEntry("match", 5L).containsEntry("over_budget", 15L);
        assertThat(m.report().shadowPaused()).contains("budget of 5 shadow calls per second");
        f.time.advance(Duration.ofMillis(400));
        for (int i = 0; i < 20; i++) {
            m.call("c-" + i);
        }
        MigrationFixture.awaitComparisons(m, 7);
        assertThat(m.report().shadowCalls()).containsEntry("match", 7L).containsEntry("over_budget", 33L);
        assertThat(f.count(LeveeMeters.MIGRATION_SHADOW_CALLS, "outcome", "over_budget")).isEqualTo(33);
        assertThat(f.logged()).as("told once, not once a second").containsOnlyOnce("shadowing paused");
    }

    @Test
    void anOpenCandidateCircuitPausesShadowingWithoutCallingItUntilItMayProbeAgain() throws InterruptedException {
        Migration<String, Recs> m = shadow(100);
        f.upstreams.get("recs-v2").forceCircuitOpen();
        m.call("c-1");
        assertThat(m.report().shadowCalls()).containsEntry("candidate_unavailable", 1L);
        assertThat(m.report().shadowPaused()).contains("unavailable");
        assertThat(m.report().rollback()).as("SHADOW has nothing to roll back").isNull();
        f.upstreams.get("recs-v2").closeCircuit();
        m.call("c-2");
        MigrationFixture.awaitComparisons(m, 1);
        assertThat(m.report().shadowPaused()).isNull();
        assertThat(f.logged()).containsOnlyOnce("shadowing paused").containsOnlyOnce("shadowing resumed");
    }
}
