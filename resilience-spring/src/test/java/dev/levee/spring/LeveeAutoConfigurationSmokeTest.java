package dev.levee.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Criticality;
import dev.levee.Upstreams;
import dev.levee.spring.autoconfigure.LeveeAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class LeveeAutoConfigurationSmokeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeveeAutoConfiguration.class));

    @Test
    void runWhenUpstreamsConfiguredShouldRegisterThemWithInheritedDefaults() {
        runner.withPropertyValues("levee.defaults.attempt-timeout=400ms", "levee.upstreams.inventory.criticality=critical",
                "levee.upstreams.recommendations.attempt-timeout=200ms").run(context -> {
                    Upstreams upstreams = context.getBean(Upstreams.class);
                    assertThat(upstreams.names()).containsExactly("inventory", "recommendations");
                    assertThat(upstreams.get("inventory").spec().criticality()).isEqualTo(Criticality.CRITICAL);
                    assertThat(upstreams.get("inventory").spec().attemptTimeout()).hasMillis(400);
                    assertThat(upstreams.get("recommendations").spec().attemptTimeout()).hasMillis(200);
                });
    }

    @Test
    void runWhenAValueIsInvalidShouldFailStartupNamingTheProperty() {
        runner.withPropertyValues("levee.upstreams.inventory.retry.max-attempts=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(dev.levee.InvalidSpecException.class);
            assertThat(context.getStartupFailure()).hasStackTraceContaining(
                    "levee.upstreams.inventory.retry.max-attempts must be between 1 and 10, but was 0");
        });
    }
}
