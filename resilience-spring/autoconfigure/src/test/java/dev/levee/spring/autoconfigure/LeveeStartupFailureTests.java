package dev.levee.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A real {@link SpringApplication} that fails to start: what the user reads. Proves that Levee's failure analyzers
 * are registered and come before Spring Boot's own: an unknown key is reported with its value, where it stands and
 * the setting it most likely meant.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeveeStartupFailureTests {

    @Test
    void runWhenAValueIsInvalidShouldPrintLeveesFailureAnalysis(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--levee.upstreams.inventory.retry.max-attempts=0"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid Levee configuration: property 'levee.upstreams.inventory.retry.max-attempts' has the value 0,"
                        + " but it must be between 1 and 10.")
                .contains("Change 'levee.upstreams.inventory.retry.max-attempts'");
    }

    @Test
    void runWhenAnUpstreamHasAnUnknownKeyShouldPrintTheKeyItsValueAndTheClosestSetting(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--levee.upstreams.inventory.retry.max-atempts=2"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Levee does not know this property:")
                .contains("levee.upstreams.inventory.retry.max-atempts = \"2\" (\"levee.upstreams.inventory.retry.max-atempts\""
                        + " from property source \"commandLineArgs\")")
                .contains("'max-atempts' is not a setting of levee.upstreams.inventory.retry (upstream 'inventory')")
                .contains("Did you mean 'levee.upstreams.inventory.retry.max-attempts' instead of"
                        + " 'levee.upstreams.inventory.retry.max-atempts'?")
                .doesNotContain("Bindable@");
    }

    @Test
    void runWhenABaseConfigIsUnknownShouldPrintTheUpstreamTheNameAndTheKnownOnes(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--levee.configs.slow.attempt-timeout=2s",
                "--levee.upstreams.inventory.base-config=slwo"));
        assertThat(output).contains("Invalid Levee configuration: property 'levee.upstreams.inventory.base-config' has the value"
                + " 'slwo', but it must be the name of a configuration under levee.configs (one of [slow]).");
    }

    private static void run(String... args) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args).close();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration(LeveeAutoConfiguration.class)
    static class App {
    }
}
