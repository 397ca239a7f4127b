package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stage and percentage read from feature flags through OpenFeature's SDK, with its in-memory provider. */
class OpenFeatureRampSourceTest {

    private final MigrationFixture f = new MigrationFixture();
    private final InMemoryProvider flags = new InMemoryProvider(Map.of(
            "migrations.recommendations.stage", flag("ramp"),
            "migrations.recommendations.percentage", flag(10.0)));

    @AfterEach
    void close() {
        f.close();
    }

    private static <T> Flag<T> flag(T value) {
        return Flag.<T>builder().variant("on", value).defaultVariant("on").build();
    }

    private Client client() {
        OpenFeatureAPI.getInstance().setProviderAndWait("levee-migration-test", flags);
        return OpenFeatureAPI.getInstance().getClient("levee-migration-test");
    }

    @Test
    void theFlagsDecideTheStageOnEachCallAndARollbackStillOverridesThem() {
        Migration<String, Recs> m = f.upstreams.migrate(f.spec(c -> new MigrationFixture.V1Dto(c, List.of(), 1.0),
                        c -> new MigrationFixture.V2Dto(c, List.of(), 100))
                .rampSource(OpenFeatureRampSource.of(client(), "migrations.recommendations")).build());
        assertThat(m.ramp()).isEqualTo(new Ramp(Stage.RAMP, 10));
        flags.updateFlag("migrations.recommendations.stage", flag("COMPLETE"));
        assertThat(m.ramp().stage()).isEqualTo(Stage.COMPLETE);
        assertThat(m.routesToCandidate("anyone")).isTrue();
        assertThatThrownBy(() -> m.moveTo(Stage.OFF, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ramp source");
        assertThat(f.logged()).contains("stage RAMP 10.0% -> COMPLETE");

        f.upstreams.get("recs-v2").forceCircuitOpen();
        assertThat(m.call("c-1").total()).isEqualTo(1.0);
        assertThat(m.ramp().stage()).as("rolled back despite the flag").isEqualTo(Stage.SHADOW);
        m.resume();
        assertThat(m.ramp().stage()).isEqualTo(Stage.COMPLETE);
    }

    @Test
    void aBadFlagValueIsNamedAndTheMigrationKeepsItsOwnSetting() {
        OpenFeatureRampSource source = OpenFeatureRampSource.of(client(), "migrations.recommendations");
        flags.updateFlag("migrations.recommendations.stage", flag("halfway"));
        assertThatThrownBy(() -> source.current(new Ramp(Stage.OFF, 0))).hasMessageContaining("migrations.recommendations.stage")
                .hasMessageContaining("halfway").hasMessageContaining("SHADOW");
        Migration<String, Recs> m = f.upstreams.migrate(f.spec(c -> new MigrationFixture.V1Dto(c, List.of(), 1.0),
                c -> new MigrationFixture.V2Dto(c, List.of(), 100)).stage(Stage.SHADOW).rampSource(source).build());
        assertThat(m.ramp()).isEqualTo(new Ramp(Stage.SHADOW, 0));
        m.ramp();
        assertThat(f.logged()).containsOnlyOnce("ramp source failed").contains("halfway");
        flags.updateFlag("migrations.recommendations.stage", flag("ramp"));
        flags.updateFlag("migrations.recommendations.percentage", flag(120.0));
        assertThatThrownBy(() -> source.current(new Ramp(Stage.OFF, 0))).hasMessageContaining("percentage")
                .hasMessageContaining("120.0").hasMessageContaining("between 0.0 and 100.0");
    }
}
