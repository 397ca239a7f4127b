package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.TimeoutMode;
import dev.levee.metrics.LeveeMeters;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The asynchronous form: the same routing, shadowing, fallback and rollback, with asynchronous clients. */
class AsyncMigrationTest {

    private final AtomicBoolean v2Down = new AtomicBoolean();
    private final AtomicInteger v2Calls = new AtomicInteger();
    private final MigrationFixture f = new MigrationFixture(b -> b.timeoutMode(TimeoutMode.COOPERATIVE));

    @AfterEach
    void close() {
        f.close();
    }

    private Migration<String, Recs> migration(Stage stage, double percentage) {
        return f.upstreams.migrate(MigrationSpec.<String, Recs>named("recommendations")
                .primary(Provider.ofAsync("recs-v1", (String c, dev.levee.CallContext ctx) -> CompletableFuture.supplyAsync(
                        () -> new MigrationFixture.V1Dto(c, List.of(), 1.0)), MigrationFixture.V1_ADAPTER))
                .candidate(Provider.ofAsync("recs-v2", (String c, dev.levee.CallContext ctx) -> {
                    v2Calls.incrementAndGet();
                    return v2Down.get() ? CompletableFuture.failedFuture(new IllegalStateException("v2 down"))
                            : CompletableFuture.completedFuture(new MigrationFixture.V2Dto(c, List.of(), c.endsWith("7") ? 200 : 100));
                }, MigrationFixture.V2_ADAPTER))
                .key(c -> c).stage(stage).percentage(percentage).shadowCallsPerSecond(1_000).build());
    }

    @Test
    void shadowAnswersFromThePrimaryAndComparesTheCandidate() throws Exception {
        Migration<String, Recs> m = migration(Stage.SHADOW, 0);
        for (int i = 0; i < 10; i++) {
            assertThat(m.callAsync("c-" + i).get().total()).isEqualTo(1.0);
        }
        MigrationFixture.awaitComparisons(m, 10);
        assertThat(m.report().mismatchedComparisons()).as("c-7 only").isEqualTo(1);
        assertThat(m.report().answers()).containsEntry("primary", 10L);
        assertThat(m.call("c-1").total()).as("an asynchronous provider answers synchronous calls too").isEqualTo(1.0);
    }

    @Test
    void aCandidateDownInRampFallsBackToThePrimaryAndRollsBackWhenItsBreakerOpens() throws Exception {
        Migration<String, Recs> m = migration(Stage.RAMP, 100);
        assertThat(m.callAsync("c-1").get().total()).isEqualTo(1.0);
        assertThat(m.report().answers()).containsEntry("candidate", 1L);
        v2Down.set(true);
        for (int i = 0; i < 10; i++) {
            assertThat(m.callAsync("c-" + i, e -> null).get().total()).isEqualTo(1.0);
        }
        assertThat(m.report().rollback()).contains("unavailable");
        assertThat(m.report().answers()).containsEntry("primary_after_candidate_failed", 5L);
        assertThat(f.count(LeveeMeters.MIGRATION_ROLLBACKS, "reason", "candidate_unavailable")).isEqualTo(1);
        m.moveTo(Stage.COMPLETE, 0);
        assertThat(m.callAsync("c-1").get().total()).as("moved on while v2's circuit is still open: rolled back again")
                .isEqualTo(1.0);
        assertThat(f.count(LeveeMeters.MIGRATION_ROLLBACKS, "reason", "candidate_unavailable")).isEqualTo(2);
        f.upstreams.get("recs-v2").closeCircuit();
        m.moveTo(Stage.COMPLETE, 0);
        Recs none = new Recs("none", List.of(), 0, 0);
        assertThat(m.callAsync("c-1", e -> none).get()).as("in COMPLETE the fallback follows the candidate").isSameAs(none);
    }

    @Test
    void anAsynchronousCallNeedsAsynchronousProviders() {
        Migration<String, Recs> m = f.upstreams.migrate(f.spec(c -> new MigrationFixture.V1Dto(c, List.of(), 1.0),
                c -> new MigrationFixture.V2Dto(c, List.of(), 100)).build());
        assertThatThrownBy(() -> m.callAsync("c-1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recs-v1").hasMessageContaining("Provider.ofAsync");
    }
}
