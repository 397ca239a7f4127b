package dev.levee.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.ClassificationRules;
import dev.levee.InterruptPolicy;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.spring.autoconfigure.LeveeAutoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ByteArrayResource;

/** The {@code application.yml} of the README's Spring Boot section starts, and means what the README says of it. */
class ReadmeYamlTests {

    private static final Path README = Path.of("../../README.md");

    @Test
    void runWhenConfiguredWithTheReadmesYamlShouldResolveEachSettingAsTheReadmeSays() throws IOException {
        run(yaml()).run(context -> {
            assertThat(context).hasNotFailed();
            Upstreams upstreams = context.getBean(Upstreams.class);
            assertThat(upstreams.names()).containsExactly("inventory", "recommendations", "reports");
            UpstreamSpec reports = upstreams.get("reports").spec();
            assertThat(reports.attemptTimeout()).as("from slow-batch").isEqualTo(Duration.ofSeconds(5));
            assertThat(reports.deadline()).as("from slow-batch").isEqualTo(Duration.ofSeconds(20));
            assertThat(reports.circuitBreaker().consecutiveFailures()).as("from slow-batch").isEqualTo(10);
            assertThat(reports.interruptPolicy()).isEqualTo(InterruptPolicy.NEVER);
            UpstreamSpec inventory = upstreams.get("inventory").spec();
            assertThat(inventory.attemptTimeout()).as("from the defaults").isEqualTo(Duration.ofMillis(300));
            assertThat(inventory.circuitBreaker().consecutiveFailures()).as("Levee's default").isEqualTo(5);
            assertThat(inventory.classification().callerFault()).containsExactly(IllegalArgumentException.class);
            assertThat(inventory.classification().timeout()).isEqualTo(ClassificationRules.defaults().timeout());
        });
    }

    @Test
    void runWhenTheBaseConfigHasNoDeadlineShouldFailWithTheReadmesMessage() throws IOException {
        String yaml = yaml();
        assertThat(yaml).contains("      deadline: 20s\n");
        Matcher quoted = Pattern.compile("`(levee\\.defaults\\.deadline must be[^`]*)`").matcher(readme().replaceAll("\\s*\n\\s*", " "));
        assertThat(quoted.find()).as("the README quotes the message").isTrue();
        run(yaml.replace("      deadline: 20s\n", "")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining(LeveeConfigurationException.class.getName() + ": " + quoted.group(1) + System.lineSeparator());
        });
    }

    private static ApplicationContextRunner run(String yaml) {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeveeAutoConfiguration.class))
                .withInitializer(context -> {
                    try {
                        new YamlPropertySourceLoader().load("README", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))
                                .forEach(source -> context.getEnvironment().getPropertySources().addFirst(source));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** The first YAML block of the Spring Boot section. */
    private static String yaml() throws IOException {
        String section = readme().substring(readme().indexOf("## Spring Boot"));
        Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(block.find()).isTrue();
        return block.group(1);
    }

    private static String readme() throws IOException {
        return Files.readString(README);
    }
}
