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
 * A real {@link SpringApplication} that fails to start: what the user reads. Proves that Levee's failure analyzer
 * is registered, and that an unknown key is reported by Spring Boot with its value.
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
    void runWhenAnUpstreamHasAnUnknownKeyShouldPrintTheKeyAndItsValue(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--levee.upstreams.inventory.retry.max-atempts=2"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("levee.upstreams.inventory.retry.max-atempts")
                .containsPattern("Value: \"?2\"?")
                .contains("were left unbound");
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
