package dev.levee.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.ImportHttpServices;

/** The startup WARNs that name what leaves an upstream unprotected: a missing dependency, names that do not meet. */
@ExtendWith(OutputCaptureExtension.class)
class StartupWarningsTests {

    private static final String WARN = "WARN";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(LeveeAutoConfigurationTests.LEVEE)
            .withPropertyValues("levee.upstreams.inventory.owner=inventory-team", "levee.upstreams.recommendations.owner=discovery-team");

    @Test
    void runWhenAnHttpServiceGroupIsNamedLikeNoUpstreamShouldNameBothSidesInOneWarning(CapturedOutput output) {
        runner.withUserConfiguration(MisspeltGroup.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).containsOnlyOnce("HTTP service group 'inventroy' has no upstream of that name: its calls are not "
                    + "protected; upstreams without an HTTP service group: inventory, recommendations");
            assertThat(lines(output, "dev.levee")).hasSize(1);
        });
    }

    @Test
    void runWhenEveryHttpServiceGroupHasItsUpstreamShouldNotWarn(CapturedOutput output) {
        runner.withUserConfiguration(MatchingGroup.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(lines(output, "dev.levee")).isEmpty();
        });
    }

    @Test
    void runWhenTheRestClientModulesAreMissingShouldNameTheStarterToAdd(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.restclient", "org.springframework.boot.http.client"))
                .withUserConfiguration(MatchingGroup.class)
                .withPropertyValues("levee.upstreams.inventory.http.failure-statuses=5xx,429")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean("upstreamRestClients");
                    assertThat(output).containsOnlyOnce("HTTP service group 'inventory' gets neither Spring Boot's "
                            + "spring.http.serviceclient.* settings (base URL, timeouts) nor Levee's protection: add "
                            + "org.springframework.boot:spring-boot-starter-restclient");
                    assertThat(output).containsOnlyOnce("levee.upstreams.inventory.http.* set but no RestClient is bound to an "
                            + "upstream: add org.springframework.boot:spring-boot-starter-restclient");
                    assertThat(lines(output, "dev.levee")).hasSize(2);
                });
    }

    @Test
    void runWhenTheRestClientModulesAreMissingButNothingNeedsThemShouldNotWarn(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.restclient", "org.springframework.boot.http.client"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(lines(output, "dev.levee")).isEmpty();
                });
    }

    private static java.util.List<String> lines(CapturedOutput output, String logger) {
        return output.getAll().lines().filter(l -> l.contains(WARN) && l.contains(logger)).toList();
    }

    interface InventoryClient {
        @GetExchange("/stock/{sku}")
        String stock(@PathVariable String sku);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "inventroy", types = InventoryClient.class)
    static class MisspeltGroup {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "inventory", types = InventoryClient.class)
    static class MatchingGroup {
    }
}
