package dev.levee.spring.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Adapter;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationSpec;
import dev.levee.migration.Ramp;
import dev.levee.migration.Stage;
import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.LeveeMigrations;
import dev.levee.spring.autoconfigure.LeveeAutoConfiguration;
import dev.levee.spring.autoconfigure.LeveeMigrationAutoConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code levee.migrations.<name>.*} over the spec the code builds: applied when valid, and every invalid
 * value, unknown upstream or migration configured but never created fails the startup naming the property,
 * the value and what is allowed.
 */
class LeveeMigrationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeveeAutoConfiguration.class, LeveeMigrationAutoConfiguration.class))
            .withPropertyValues("levee.warm-up.enabled=false", "levee.upstreams.v1.owner=a", "levee.upstreams.v2.owner=a",
                    "levee.upstreams.v3.owner=a");

    @Configuration(proxyBeanMethods = false)
    static class CreatesTheMigration {
        @Bean
        Migration<String, String> recommendations(LeveeMigrations migrations) {
            return migrations.migrate(MigrationSpec.<String, String>named("recommendations")
                    .primary("v1", (q, ctx) -> "v1:" + q, Adapter.identity())
                    .candidate("v2", (q, ctx) -> "v2:" + q, Adapter.identity())
                    .stage(Stage.SHADOW).build());
        }
    }

    /** The code of the README's migration names other upstreams: the README's settings name the real ones. */
    @Configuration(proxyBeanMethods = false)
    static class ReadmeMigration {
        @Bean
        Migration<String, String> recommendations(LeveeMigrations migrations) {
            return migrations.migrate(MigrationSpec.<String, String>named("recommendations")
                    .primary("code-v1", (q, ctx) -> q, Adapter.identity()).candidate("code-v2", (q, ctx) -> q, Adapter.identity()).build());
        }
    }

    @Test
    void runWhenMigrationsAreConfiguredShouldApplyThemOverTheCodesSpec() {
        runner.withUserConfiguration(CreatesTheMigration.class).withPropertyValues(
                "levee.migrations.recommendations.candidate=v3", "levee.migrations.recommendations.stage=ramp",
                "levee.migrations.recommendations.percentage=12.5", "levee.migrations.recommendations.shadow-calls-per-second=7",
                "levee.migrations.recommendations.rollback.mismatch-rate=20", "levee.migrations.recommendations.samples=3",
                "levee.migrations.recommendations.rollback.on-candidate-unavailable=false").run(context -> {
                    assertThat(context).hasNotFailed();
                    @SuppressWarnings("unchecked")
                    Migration<String, String> m = context.getBean(Migration.class);
                    assertThat(m.ramp()).isEqualTo(new Ramp(Stage.RAMP, 12.5));
                    MigrationSpec<String, String> spec = m.spec();
                    assertThat(spec.candidate().upstream()).isEqualTo("v3");
                    assertThat(spec.shadowCallsPerSecond()).isEqualTo(7);
                    assertThat(spec.rollbackMismatchRate()).isEqualTo(20);
                    assertThat(spec.mismatchWindow()).as("the code's (the default)").isEqualTo(100);
                    assertThat(spec.samples()).isEqualTo(3);
                    assertThat(spec.rollbackOnCandidateUnavailable()).isFalse();
                    assertThat(m.report().candidate()).isEqualTo("v3");
                });
    }

    @Test
    void runWhenNothingIsConfiguredShouldKeepTheCodesSpec() {
        runner.withUserConfiguration(CreatesTheMigration.class).run(context -> {
            assertThat(context).hasNotFailed();
            Migration<?, ?> m = context.getBean(Migration.class);
            assertThat(m.ramp()).isEqualTo(new Ramp(Stage.SHADOW, 0));
            assertThat(m.spec().candidate().upstream()).isEqualTo("v2");
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "levee.migrations.recommendations.percentage|150|150.0|between 0.0 and 100.0",
            "levee.migrations.recommendations.shadow-calls-per-second|-3|-3|between 0 and 10000",
            "levee.migrations.recommendations.rollback.mismatch-rate|0|0.0|above 0 up to 100",
            "levee.migrations.recommendations.rollback.window|5|5|between 10 and 100000",
            "levee.migrations.recommendations.samples|500|500|between 0 and 100",
            "levee.migrations.recommendations.candidate|v9|'v9'|the name of a registered upstream (v1, v2, v3)",
            "levee.migrations.recommendations.candidate|v1|'v1'|an upstream other than the primary's"})
    void runWhenAMigrationSettingIsInvalidShouldFailStartupNamingPathValueAndAllowed(String property, String value,
            String shown, String allowed) {
        runner.withUserConfiguration(CreatesTheMigration.class)
                .withPropertyValues("levee.migrations.recommendations.primary=v1", property + "=" + value).run(context -> {
                    assertThat(context).hasFailed();
                    LeveeConfigurationException e = cause(context.getStartupFailure());
                    assertThat(e).as("cause of %s", context.getStartupFailure()).isNotNull();
                    assertThat(e.property()).isEqualTo(property);
                    assertThat(e.value()).isEqualTo(shown);
                    assertThat(e.allowed()).contains(allowed);
                    assertThat(e).hasMessageContaining(property + " must be ");
                });
    }

    @Test
    void runWhenAConfiguredMigrationIsNeverCreatedShouldFailStartupRatherThanIgnoreIt() {
        runner.withUserConfiguration(CreatesTheMigration.class).withPropertyValues("levee.migrations.pricing.stage=shadow")
                .run(context -> {
                    assertThat(context).hasFailed();
                    LeveeConfigurationException e = cause(context.getStartupFailure());
                    assertThat(e.property()).isEqualTo("levee.migrations.pricing");
                    assertThat(e.allowed()).contains("created: recommendations");
                });
    }

    @Test
    void runWhenAStageIsNotOneOfTheStagesShouldFailStartupNamingTheProperty() {
        runner.withUserConfiguration(CreatesTheMigration.class).withPropertyValues("levee.migrations.recommendations.stage=halfway")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("levee.migrations.recommendations.stage")
                            .hasStackTraceContaining("halfway");
                });
    }

    @Test
    void theMigrationsMapIsInTheConfigurationMetadataWithItsSettingsDescribed() throws Exception {
        String metadata = java.nio.file.Files.readString(java.nio.file.Path.of("target/classes/META-INF/spring-configuration-metadata.json"));
        tools.jackson.databind.JsonNode root = tools.jackson.databind.json.JsonMapper.builder().build().readTree(metadata);
        tools.jackson.databind.JsonNode migrations = root.get("properties").valueStream()
                .filter(p -> p.get("name").asString().equals("levee.migrations")).findFirst().orElseThrow();
        assertThat(migrations.get("type").asString()).isEqualTo("java.util.Map<java.lang.String,dev.levee.spring.MigrationProperties>");
        assertThat(migrations.get("description").asString()).contains("LeveeMigrations");
        // IDEs complete a map's values from the value type's own fields: each is documented there
        for (String field : java.util.List.of("primary", "candidate", "stage", "percentage", "shadowCallsPerSecond", "samples")) {
            assertThat(dev.levee.spring.MigrationProperties.class.getDeclaredField(field)).isNotNull();
        }
    }

    @Test
    void runWhenConfiguredWithTheReadmesMigrationYamlShouldApplyItAsTheReadmeSays() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../../README.md"));
        int section = readme.indexOf("## Migrating to a new provider");
        assertThat(section).isPositive();
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeveeAutoConfiguration.class, LeveeMigrationAutoConfiguration.class))
                .withPropertyValues("levee.warm-up.enabled=false", "levee.upstreams.recommendations.owner=discovery-team",
                        "levee.upstreams.code-v1.owner=a", "levee.upstreams.code-v2.owner=a")
                .withInitializer(context -> {
                    try {
                        new org.springframework.boot.env.YamlPropertySourceLoader().load("README",
                                        new org.springframework.core.io.ByteArrayResource(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                                .forEach(source -> context.getEnvironment().getPropertySources().addFirst(source));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .withUserConfiguration(ReadmeMigration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MigrationSpec<?, ?> spec = context.getBean(Migration.class).spec();
                    assertThat(spec.primary().upstream()).isEqualTo("recommendations");
                    assertThat(spec.candidate().upstream()).isEqualTo("recommendations-v2");
                    assertThat(spec.ramp()).isEqualTo(new Ramp(Stage.SHADOW, 0));
                    assertThat(spec.shadowCallsPerSecond()).isEqualTo(50);
                    assertThat(spec.rollbackMismatchRate()).isEqualTo(20);
                    assertThat(spec.samples()).isEqualTo(5);
                    assertThat(context.getBean(dev.levee.Upstreams.class).get("recommendations-v2").spec().bulkhead().maxConcurrentCalls())
                            .isEqualTo(5);
                });
    }

    @Test
    void runWhenAMigrationExistsShouldShowItInTheMigrationsHealthIndicatorWhichStaysUp() {
        runner.withUserConfiguration(CreatesTheMigration.class).run(context -> {
            @SuppressWarnings("unchecked")
            Migration<String, String> m = context.getBean(Migration.class);
            m.moveTo(Stage.RAMP, 25);
            context.getBean(dev.levee.Upstreams.class).get("v2").forceCircuitOpen();
            assertThat(m.call("q")).isEqualTo("v1:q");
            org.springframework.boot.health.contributor.Health health =
                    context.getBean(dev.levee.spring.actuate.MigrationsHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> details = (java.util.Map<String, Object>) health.getDetails().get("recommendations");
            assertThat(details).containsEntry("stage", Stage.SHADOW).containsEntry("candidate", "v2");
            assertThat((String) details.get("rollback")).contains("unavailable");
        });
        runner.withUserConfiguration(CreatesTheMigration.class).withPropertyValues("management.health.migrations.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(dev.levee.spring.actuate.MigrationsHealthIndicator.class));
    }

    private static @Nullable LeveeConfigurationException cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LeveeConfigurationException e) {
                return e;
            }
        }
        return null;
    }
}
