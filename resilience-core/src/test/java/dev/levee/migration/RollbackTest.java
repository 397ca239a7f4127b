package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.CircuitState;
import dev.levee.TimeoutMode;
import dev.levee.metrics.LeveeMeters;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The candidate goes down during RAMP: the migration rolls back to the primary as soon as the candidate's
 * breaker detects it, once, while every call keeps succeeding on the primary; resuming is explicit. On a
 * manual clock: nothing here waits for time to pass.
 */
class RollbackTest {

    private final AtomicBoolean v2Down = new AtomicBoolean();
    private final AtomicInteger v2Calls = new AtomicInteger();
    private final MigrationFixture f = new MigrationFixture(b -> b.timeoutMode(TimeoutMode.COOPERATIVE)
            .circuitBreaker(cb -> cb.consecutiveFailures(5).waitInOpenState(Duration.ofSeconds(10))));

    @AfterEach
    void close() {
        f.close();
    }

    private MigrationFixture.V2Dto v2(String customer) {
        v2Calls.incrementAndGet();
        if (v2Down.get()) {
            throw new IllegalStateException("connection refused");
        }
        return new MigrationFixture.V2Dto(customer, List.of(), 100);
    }

    private Migration<String, Recs> ramp(MigrationSpec.Builder<String, Recs> spec) {
        return f.upstreams.migrate(spec.stage(Stage.RAMP).percentage(100).shadowCallsPerSecond(0).build());
    }

    @Test
    void aCandidateDownInRampRollsBackWhenItsBreakerOpensWhileCallsSucceedOnThePrimary() {
        Migration<String, Recs> m = ramp(f.spec(c -> new MigrationFixture.V1Dto(c, List.of(), 1.0), this::v2));
        assertThat(m.call("c-0").total()).isEqualTo(1.0);
        assertThat(m.report().answers()).containsEntry("candidate", 1L);

        v2Down.set(true);
        int before = v2Calls.get();
        for (int i = 1; i <= 20; i++) {
            assertThat(m.call("c-" + i).total()).as("call %d answered by the primary", i).isEqualTo(1.0);
        }
        assertThat(v2Calls.get() - before).as("candidate calls until its breaker opened: its detection time").isEqualTo(5);
        assertThat(f.upstreams.get("recs-v2").circuitState()).isEqualTo(CircuitState.OPEN);
        MigrationReport r = m.report();
        assertThat(r.stage()).isEqualTo(Stage.SHADOW);
        assertThat(r.rollback()).contains("recs-v2").contains("unavailable");
        assertThat(r.answers()).containsEntry("primary_after_candidate_failed", 5L).containsEntry("primary", 15L);
        assertThat(f.count(LeveeMeters.MIGRATION_ROLLBACKS, "reason", "candidate_unavailable")).isEqualTo(1);
        assertThat(f.logged()).containsOnlyOnce("rolled back");

        // The candidate recovers and its circuit closes again: the migration stays rolled back until told.
        v2Down.set(false);
        f.upstreams.get("recs-v2").closeCircuit();
        f.time.advance(Duration.ofSeconds(30));
        m.call("c-21");
        assertThat(m.ramp().stage()).isEqualTo(Stage.SHADOW);
        assertThat(f.count(LeveeMeters.MIGRATION_ROLLBACKS, "reason", "candidate_unavailable")).isEqualTo(1);

        m.resume();
        assertThat(m.ramp()).isEqualTo(new Ramp(Stage.RAMP, 100));
        m.call("c-22");
        assertThat(m.report().answers()).containsEntry("candidate", 2L);
        assertThat(m.report().rollback()).isNull();
    }

    @Test
    void aMismatchRateAboveTheThresholdRollsBackOnce() throws InterruptedException {
        AtomicBoolean wrong = new AtomicBoolean();
        Migration<String, Recs> m = f.upstreams.migrate(f.spec(c -> new MigrationFixture.V1Dto(c, List.of(), 1.0),
                        c -> new MigrationFixture.V2Dto(c, List.of(), wrong.get() ? 200 : 100))
                .stage(Stage.RAMP).percentage(1).rollbackMismatchRate(20, 10).shadowCallsPerSecond(1_000).build());
        List<String> shadowedKeys = new java.util.ArrayList<>();
        for (int i = 0; shadowedKeys.size() < 30; i++) {
            if (!m.routesToCandidate("k-" + i)) {
                shadowedKeys.add("k-" + i);
            }
        }
        for (int i = 0; i < 10; i++) {
            m.call(shadowedKeys.get(i));
        }
        MigrationFixture.awaitComparisons(m, 10);
        assertThat(m.report().rollback()).isNull();
        wrong.set(true);
        for (int i = 10; i < 30; i++) {
            m.call(shadowedKeys.get(i));
            MigrationFixture.awaitComparisons(m, i + 1); // one at a time: the rate is read after each
        }
        MigrationReport r = m.report();
        assertThat(r.rollback()).contains("mismatch rate").contains("20.0%");
        assertThat(r.stage()).isEqualTo(Stage.SHADOW);
        assertThat(f.count(LeveeMeters.MIGRATION_ROLLBACKS, "reason", "mismatch_rate")).isEqualTo(1);
        assertThat(f.logged()).containsOnlyOnce("rolled back");
        m.moveTo(Stage.RAMP, 1);
        assertThat(m.report().rollback()).as("an explicit move clears it").isNull();
        assertThat(m.report().mismatchRate()).as("and starts the rate afresh").isEqualTo(-1);
    }

    @Test
    void aFallbackAnswersWhenNoProviderCanAndIsNeverCompared() {
        AtomicBoolean v1Down = new AtomicBoolean(true);
        Migration<String, Recs> m = f.upstreams.migrate(f.spec(c -> {
            if (v1Down.get()) {
                throw new IllegalStateException("v1 down");
            }
            return new MigrationFixture.V1Dto(c, List.of(), 1.0);
        }, this::v2).stage(Stage.SHADOW).build());
        Recs none = new Recs("none", List.of(), 0, 0);
        assertThat(m.call("c-1", e -> none)).isSameAs(none);
        assertThat(v2Calls.get()).as("a fallback's answer is not compared").isZero();
        assertThat(f.registry.get(LeveeMeters.CALLS).tag("upstream", "recs-v1").tag("fallback", "true").timer().count()).isEqualTo(1);

        v2Down.set(true);
        m.moveTo(Stage.COMPLETE, 0);
        assertThat(m.call("c-2", e -> none)).as("in COMPLETE the fallback follows the candidate").isSameAs(none);
        m.moveTo(Stage.RAMP, 100);
        v1Down.set(false);
        assertThat(m.call("c-3", e -> none).total()).as("in RAMP the primary answers after the candidate").isEqualTo(1.0);
    }
}
