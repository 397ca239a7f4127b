package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.Adapter;
import dev.levee.InvalidSpecException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bad migration fails at build() or at migrate(), naming the setting, the value and what is allowed. */
class MigrationSpecTest {

    private final MigrationFixture f = new MigrationFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private MigrationSpec.Builder<String, String> valid() {
        return MigrationSpec.<String, String>named("m").primary("recs-v1", (q, ctx) -> q, Adapter.identity())
                .candidate("recs-v2", (q, ctx) -> q, Adapter.identity());
    }

    private void fails(UnaryOperator<MigrationSpec.Builder<String, String>> change, String... message) {
        assertThatThrownBy(() -> change.apply(valid()).build()).isInstanceOf(InvalidSpecException.class)
                .hasMessageContainingAll(message);
    }

    @Test
    void eachSettingOutOfRangeIsNamedWithItsValue() {
        assertThatThrownBy(() -> MigrationSpec.named("Bad Name")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContainingAll("name", "Bad Name", "lowercase");
        fails(b -> b.percentage(100.5), "percentage", "100.5", "between 0.0 and 100.0");
        fails(b -> b.shadowCallsPerSecond(-1), "shadowCallsPerSecond", "-1", "between 0 and 10000");
        fails(b -> b.rollbackMismatchRate(0, 100), "rollbackMismatchRate", "0.0", "above 0 up to 100");
        fails(b -> b.rollbackMismatchRate(5, 5), "mismatchWindow", "5", "between 10 and 100000");
        fails(b -> b.samples(101, Redactor.DEFAULT), "samples", "101");
        fails(b -> b.candidateUpstream("recs-v1"), "candidate", "recs-v1", "other than the primary");
        assertThatThrownBy(() -> MigrationSpec.<String, String>named("m").build()).hasMessageContainingAll("primary", "none");
    }

    @Test
    void upstreamsMustBeRegisteredAndNamesUnique() {
        assertThatThrownBy(() -> f.upstreams.migrate(valid().candidateUpstream("recs-v3").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContainingAll("candidate upstream 'recs-v3'", "recs-v1, recs-v2");
        Migration<String, String> m = f.upstreams.migrate(valid().build());
        assertThat(f.upstreams.findMigration("m")).containsSame(m);
        assertThat(f.upstreams.migrations()).containsExactly(m);
        assertThatThrownBy(() -> f.upstreams.migrate(valid().build())).hasMessageContaining("already exists");
        assertThat(m.spec().toBuilder().percentage(3).build().ramp()).isEqualTo(new Ramp(Stage.OFF, 3));
        assertThat(m.call("x")).isEqualTo("x");
    }

    @Test
    void closingTheRegistryRemovesTheMigrationsMeters() {
        f.upstreams.migrate(valid().build());
        assertThat(f.registry.find("levee.migration.stage").meters()).hasSize(4);
        f.upstreams.close();
        assertThat(f.registry.find("levee.migration.stage").meters()).isEmpty();
        assertThat(f.registry.find("levee.migration.shadow.calls").meters()).isEmpty();
    }
}
