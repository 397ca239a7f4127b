package dev.levee.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Upstreams;
import dev.levee.spring.http.DeadlineWebFilter;
import dev.levee.spring.http.UpstreamWebClientServiceGroupConfigurer;
import dev.levee.spring.http.UpstreamWebClients;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

/** When the WebClient and WebFlux auto-configurations apply, and when they back off. */
class LeveeReactiveAutoConfigurationTests {

    private static final AutoConfigurations CONFIGS = AutoConfigurations.of(LeveeAutoConfiguration.class,
            LeveeWebClientAutoConfiguration.class, LeveeWebFluxAutoConfiguration.class, LeveeWebMvcAutoConfiguration.class);

    @Test
    void runWhenWebClientIsPresentShouldProvideUpstreamWebClientsAndTheGroupConfigurer() {
        new ApplicationContextRunner().withConfiguration(CONFIGS).withPropertyValues("levee.upstreams.inventory.owner=team")
                .run(context -> {
                    assertThat(context).hasSingleBean(UpstreamWebClients.class).hasSingleBean(UpstreamWebClientServiceGroupConfigurer.class);
                    assertThat(context.getBean(UpstreamWebClients.class).has("inventory")).isTrue();
                    assertThat(context).doesNotHaveBean(DeadlineWebFilter.class);
                });
    }

    @Test
    void runWhenWebClientIsAbsentShouldBackOff() {
        new ApplicationContextRunner().withConfiguration(CONFIGS).withClassLoader(new FilteredClassLoader(WebClient.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(UpstreamWebClients.class));
    }

    @Test
    void runWhenReactorIsAbsentShouldBackOff() {
        new ApplicationContextRunner().withConfiguration(CONFIGS).withClassLoader(new FilteredClassLoader("reactor.core"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(UpstreamWebClients.class));
    }

    @Test
    void runWhenTheApplicationDefinesUpstreamWebClientsShouldUseIt() {
        new ApplicationContextRunner().withConfiguration(CONFIGS)
                .withBean("mine", UpstreamWebClients.class, () -> new UpstreamWebClients(Upstreams.builder().build(), Map.of(),
                        dev.levee.spring.http.HttpClassification.of("x", null, null), null, WebClient::builder))
                .run(context -> assertThat(context).hasSingleBean(UpstreamWebClients.class).hasBean("mine"));
    }

    @Test
    void runInAReactiveWebApplicationShouldRegisterTheDeadlineWebFilterOnly() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGS)
                .run(context -> {
                    assertThat(context).hasSingleBean(DeadlineWebFilter.class);
                    assertThat(context).doesNotHaveBean(dev.levee.spring.http.DeadlineFilter.class);
                });
    }

    @Test
    void runInAServletWebApplicationShouldRegisterTheServletFilterOnly() {
        new WebApplicationContextRunner().withConfiguration(CONFIGS)
                .run(context -> {
                    assertThat(context).hasSingleBean(dev.levee.spring.http.DeadlineFilter.class);
                    assertThat(context).doesNotHaveBean(DeadlineWebFilter.class);
                });
    }

    @Test
    void runWhenIncomingDeadlinesAreNotTrustedShouldRegisterNoWebFilter() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGS)
                .withPropertyValues("levee.deadline.trust-incoming=false")
                .run(context -> assertThat(context).doesNotHaveBean(DeadlineWebFilter.class));
    }

    @Test
    void runWhenTheDeadlineHeaderIsInvalidShouldFailAtStartupNamingIt() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGS)
                .withPropertyValues("levee.deadline.header=bad header")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("levee.deadline.header"));
    }
}
