package dev.levee.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.method;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withStatus;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

import dev.levee.Adapter;
import dev.levee.BreakerSpec;
import dev.levee.CallOptions;
import dev.levee.CallerFaultException;
import dev.levee.CircuitState;
import dev.levee.ClassificationRules;
import dev.levee.Criticality;
import dev.levee.InterruptPolicy;
import dev.levee.RetrySpec;
import dev.levee.TimeoutMode;
import dev.levee.UpstreamCall;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamSpec;
import dev.levee.contract.ContractPolicy;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import dev.levee.spring.UpstreamSpecCustomizer;
import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.UpstreamSpecFactory;
import dev.levee.spring.UpstreamsBuilderCustomizer;
import dev.levee.spring.actuate.UpstreamDescriptor;
import dev.levee.spring.actuate.UpstreamEvents;
import dev.levee.spring.actuate.UpstreamsEndpoint;
import dev.levee.spring.actuate.UpstreamsEndpointWebExtension;
import dev.levee.spring.http.DeadlineFilter;
import dev.levee.spring.http.UpstreamHttpServiceGroupConfigurer;
import dev.levee.spring.http.UpstreamRestClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.client.ExpectedCount;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The auto-configuration in an {@link ApplicationContextRunner}: which beans exist, when they back off, and how
 * properties become upstream specs. Invalid values are covered by {@link LeveeInvalidPropertiesTests}.
 */
class LeveeAutoConfigurationTests {

    static final AutoConfigurations LEVEE = AutoConfigurations.of(LeveeAutoConfiguration.class,
            LeveeHealthAutoConfiguration.class, LeveeEndpointAutoConfiguration.class,
            LeveeRestClientAutoConfiguration.class, LeveeWebMvcAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(LEVEE)
            .withPropertyValues("levee.upstreams.inventory.criticality=critical");

    // ---- beans present by default -------------------------------------------------------------------------

    @Test
    void runWhenNothingIsDefinedShouldProvideUpstreamsRestClientsAndHealthContributor() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(Upstreams.class);
            assertThat(context.getBean(Upstreams.class).names()).containsExactly("inventory");
            assertThat(context).hasSingleBean(UpstreamRestClients.class);
            assertThat(context).hasSingleBean(UpstreamHttpServiceGroupConfigurer.class);
            assertThat(context).hasBean("upstreamsHealthContributor");
            // not a web application: no servlet filter
            assertThat(context).doesNotHaveBean(DeadlineFilter.class);
        });
    }

    @Test
    void runWhenHealthRegistryIsPresentShouldRegisterOneIndicatorPerUpstreamUnderUpstreams() {
        runner.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class))
                .withPropertyValues("levee.upstreams.recommendations.owner=recs-team")
                .run(context -> {
                    HealthContributor contributor = context.getBean(HealthContributorRegistry.class).getContributor("upstreams");
                    assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
                    CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
                    assertThat(composite.stream().map(e -> e.name()).toList()).containsExactly("inventory", "recommendations");
                    HealthIndicator recommendations = (HealthIndicator) composite.getContributor("recommendations");
                    assertThat(recommendations.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(recommendations.health().getDetails()).containsEntry("owner", "recs-team")
                            .containsEntry("criticality", Criticality.OPTIONAL).containsKeys("state", "reason", "circuitState");
                });
    }

    @Test
    void runWhenNoUpstreamIsConfiguredShouldStartWithAnEmptyRegistry() {
        new ApplicationContextRunner().withConfiguration(LEVEE)
                .withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=upstreams")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Upstreams.class).names()).isEmpty();
                    assertThat(context.getBean(UpstreamsEndpoint.class).upstreams().upstreams()).isEmpty();
                });
    }

    @Test
    void runWhenAnUpstreamNameHasADotShouldBindItInBrackets() {
        new ApplicationContextRunner().withConfiguration(LEVEE)
                .withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class))
                .withPropertyValues("levee.upstreams[payments.eu].owner=payments", "levee.upstreams[payments.eu].retry.max-attempts=2")
                .run(context -> {
                    assertThat(context.getBean(Upstreams.class).names()).containsExactly("payments.eu");
                    assertThat(spec(context, "payments.eu").retry().maxAttempts()).isEqualTo(2);
                    CompositeHealthContributor upstreams = (CompositeHealthContributor) context
                            .getBean(HealthContributorRegistry.class).getContributor("upstreams");
                    assertThat(upstreams.getContributor("payments.eu")).isInstanceOf(HealthIndicator.class);
                });
    }

    @Test
    void runWhenACriticalUpstreamIsUnavailableShouldReportItDownAndAnOptionalOneUp() {
        runner.withPropertyValues("levee.upstreams.recommendations.criticality=optional").run(context -> {
            Upstreams upstreams = context.getBean(Upstreams.class);
            upstreams.get("inventory").forceCircuitOpen();
            upstreams.get("recommendations").forceCircuitOpen();
            CompositeHealthContributor composite = context.getBean("upstreamsHealthContributor", CompositeHealthContributor.class);
            var inventory = ((HealthIndicator) composite.getContributor("inventory")).health();
            var recommendations = ((HealthIndicator) composite.getContributor("recommendations")).health();
            assertThat(inventory.getStatus()).isEqualTo(Status.DOWN);
            assertThat(inventory.getDetails().get("state")).hasToString("UNAVAILABLE");
            assertThat(recommendations.getStatus()).isEqualTo(Status.UP);
            assertThat(recommendations.getDetails().get("state")).hasToString("UNAVAILABLE");
            assertThat(recommendations.getDetails().get("circuitState")).hasToString("FORCED_OPEN");
        });
    }

    @Test
    void runWhenEndpointIsExposedShouldProvideTheEndpointAndItsWebExtension() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=upstreams").run(context -> {
            assertThat(context).hasSingleBean(UpstreamsEndpoint.class);
            assertThat(context).hasSingleBean(UpstreamsEndpointWebExtension.class);
            assertThat(context).hasSingleBean(UpstreamEvents.class);
            UpstreamsEndpoint endpoint = context.getBean(UpstreamsEndpoint.class);
            assertThat(endpoint.upstreams().upstreams()).singleElement().satisfies(d -> {
                assertThat(d.name()).isEqualTo("inventory");
                assertThat(d.recentEvents()).as("the list leaves events out").isNull();
            });
            assertThat(endpoint.upstream("inventory").criticality()).isEqualTo(Criticality.CRITICAL);
            assertThat(endpoint.upstream("inventory").recentEvents()).as("recorded, none yet").isEmpty();
            assertThat(endpoint.upstream("nope")).isNull();
        });
    }

    @Test
    void runWhenEndpointIsNotExposedShouldNotProvideIt() {
        // Levee never widens what Spring Boot exposes: by default only health is exposed over HTTP.
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(UpstreamsEndpoint.class);
            assertThat(context).doesNotHaveBean(UpstreamEvents.class);
        });
    }

    @Test
    void runWhenEndpointAccessIsNoneShouldNotProvideItNorRecordEvents() {
        // converted as in an application: "none", not only "NONE"
        runner.withInitializer(c -> c.getEnvironment().setConversionService(new ApplicationConversionService()))
                .withPropertyValues("management.endpoints.web.exposure.include=upstreams",
                "management.endpoint.upstreams.access=none").run(context -> {
                    assertThat(context).doesNotHaveBean(UpstreamsEndpoint.class);
                    assertThat(context).doesNotHaveBean(UpstreamsEndpointWebExtension.class);
                    assertThat(context).doesNotHaveBean(UpstreamEvents.class);
                });
    }

    @Test
    void runWhenEndpointIsOnlyExposedOverJmxShouldProvideItWithoutTheWebExtension() {
        runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=upstreams")
                .run(context -> {
                    assertThat(context).hasSingleBean(UpstreamsEndpoint.class);
                    assertThat(context).doesNotHaveBean(UpstreamsEndpointWebExtension.class);
                });
    }

    @Test
    void runWhenACircuitIsControlledShouldChangeItAndRecordEachTransition() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=upstreams").run(context -> {
            UpstreamsEndpoint endpoint = context.getBean(UpstreamsEndpoint.class);
            UpstreamDescriptor forced = endpoint.control("inventory", "force-open");
            assertThat(forced.circuit().state()).isEqualTo(CircuitState.FORCED_OPEN);
            assertThat(context.getBean(Upstreams.class).get("inventory").circuitState()).isEqualTo(CircuitState.FORCED_OPEN);
            assertThat(forced.recentEvents()).extracting(e -> e.type() + " " + e.from() + "->" + e.to())
                    .containsExactly("CIRCUIT CLOSED->FORCED_OPEN", "HEALTH HEALTHY->UNAVAILABLE");
            UpstreamDescriptor closed = endpoint.control("inventory", " Close ");
            assertThat(closed.circuit().state()).isEqualTo(CircuitState.CLOSED);
            assertThat(closed.recentEvents()).extracting(e -> e.type() + " " + e.from() + "->" + e.to()).containsExactly(
                    "CIRCUIT CLOSED->FORCED_OPEN", "HEALTH HEALTHY->UNAVAILABLE", "CIRCUIT FORCED_OPEN->CLOSED",
                    "HEALTH UNAVAILABLE->HEALTHY");
            assertThat(closed.recentEvents().get(2).reason()).startsWith("closed by hand");
            endpoint.control("inventory", "force-open");
            assertThat(endpoint.control("inventory", "reset").circuit().state()).isEqualTo(CircuitState.CLOSED);
            assertThatExceptionOfType(InvalidEndpointRequestException.class)
                    .isThrownBy(() -> endpoint.control("nope", "close")).withMessageContaining("registered: inventory");
            assertThatExceptionOfType(InvalidEndpointRequestException.class)
                    .isThrownBy(() -> endpoint.control("inventory", "explode"))
                    .withMessage("circuit must be one of force-open, close, reset, but was 'explode'");
            assertThatExceptionOfType(InvalidEndpointRequestException.class)
                    .isThrownBy(() -> endpoint.control("inventory", null))
                    .withMessage("circuit must be one of force-open, close, reset, but was missing");
        });
    }

    @Test
    void runWhenRecentEventsIsZeroShouldShowNoEvents() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=upstreams", "levee.endpoint.recent-events=0")
                .run(context -> {
                    UpstreamsEndpoint endpoint = context.getBean(UpstreamsEndpoint.class);
                    assertThat(endpoint.control("inventory", "force-open").recentEvents()).isNull();
                });
    }

    @Test
    void runWhenServletWebApplicationShouldProvideTheDeadlineFilter() {
        new WebApplicationContextRunner().withConfiguration(LEVEE)
                .withPropertyValues("levee.deadline.header=X-Budget-Ms")
                .run(context -> assertThat(context).hasSingleBean(DeadlineFilter.class));
    }

    @Test
    void runWhenDeadlinePropagationIsDisabledShouldNotProvideTheDeadlineFilter() {
        new WebApplicationContextRunner().withConfiguration(LEVEE)
                .withPropertyValues("levee.deadline.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(DeadlineFilter.class));
    }

    @Test
    void runWhenIncomingDeadlinesAreNotTrustedShouldNotProvideTheDeadlineFilter() {
        new WebApplicationContextRunner().withConfiguration(LEVEE)
                .withPropertyValues("levee.deadline.trust-incoming=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(DeadlineFilter.class);
                    assertThat(context).hasSingleBean(UpstreamRestClients.class);
                });
    }

    // ---- backing off -----------------------------------------------------------------------------------

    @Test
    void runWhenUserDefinesUpstreamsShouldBackOff() {
        runner.withUserConfiguration(UserUpstreams.class).run(context -> {
            assertThat(context).hasSingleBean(Upstreams.class);
            assertThat(context.getBean(Upstreams.class)).isSameAs(context.getBean("myUpstreams"));
            assertThat(context.getBean(Upstreams.class).names()).containsExactly("mine");
            // the rest still builds on the user's registry
            assertThat(context).hasSingleBean(UpstreamRestClients.class);
            assertThat(context.getBean(UpstreamRestClients.class).has("mine")).isTrue();
        });
    }

    @Test
    void runWhenUserDefinesUpstreamRestClientsShouldBackOff() {
        runner.withUserConfiguration(UserRestClients.class).run(context -> {
            assertThat(context).hasSingleBean(UpstreamRestClients.class);
            assertThat(context.getBean(UpstreamRestClients.class)).isSameAs(context.getBean("myRestClients"));
        });
    }

    @Test
    void runWhenUserDefinesTheHealthContributorShouldBackOff() {
        runner.withUserConfiguration(UserHealthContributor.class).run(context -> {
            assertThat(context.getBean("upstreamsHealthContributor")).isSameAs(UserHealthContributor.MINE);
        });
    }

    @Test
    void runWhenUserDefinesTheEndpointShouldBackOff() {
        runner.withUserConfiguration(UserEndpoint.class)
                .withPropertyValues("management.endpoints.web.exposure.include=upstreams")
                .run(context -> {
                    assertThat(context).hasSingleBean(UpstreamsEndpoint.class);
                    assertThat(context.getBean(UpstreamsEndpoint.class)).isSameAs(context.getBean("myEndpoint"));
                });
    }

    @Test
    void runWhenUserDefinesTheDeadlineFilterShouldBackOff() {
        new WebApplicationContextRunner().withConfiguration(LEVEE).withUserConfiguration(UserDeadlineFilter.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(DeadlineFilter.class);
                    assertThat(context.getBean(DeadlineFilter.class)).isSameAs(context.getBean("myFilter"));
                });
    }

    // ---- pieces absent when their Boot module is missing ----------------------------------------------------

    @Test
    void runWhenSpringBootHealthIsMissingShouldNotProvideTheHealthContributor() {
        runner.withClassLoader(new FilteredClassLoader(HealthContributor.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(Upstreams.class);
            assertThat(context).doesNotHaveBean("upstreamsHealthContributor");
        });
    }

    /*
     * With a whole module missing, an application gets Levee's auto-configurations through the import selector,
     * which drops those whose @ConditionalOnClass fails (from spring-autoconfigure-metadata.properties) before their
     * other conditions, from the missing module, are even read. ImportAutoConfiguration goes the same way.
     */

    @Test
    void runWhenTheWholeSpringBootHealthModuleIsMissingShouldStillStart() {
        new ApplicationContextRunner().withUserConfiguration(ImportedLevee.class)
                .withPropertyValues("levee.upstreams.inventory.criticality=critical")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health")).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Upstreams.class);
                    assertThat(context).hasSingleBean(UpstreamRestClients.class);
                    assertThat(context).doesNotHaveBean("upstreamsHealthContributor");
                });
    }

    @Test
    void runWhenTheWholeActuatorModuleIsMissingShouldStillStart() {
        new ApplicationContextRunner().withUserConfiguration(ImportedLevee.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .withPropertyValues("management.endpoints.web.exposure.include=upstreams")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Upstreams.class);
                    assertThat(context).doesNotHaveBean(UpstreamsEndpoint.class);
                });
    }

    @Test
    void runWhenImportedLikeAnApplicationWithEverythingPresentShouldProvideEveryPiece() {
        new ApplicationContextRunner().withUserConfiguration(ImportedLevee.class)
                .withPropertyValues("levee.upstreams.inventory.criticality=critical",
                        "management.endpoints.web.exposure.include=upstreams")
                .run(context -> {
                    assertThat(context).hasSingleBean(Upstreams.class);
                    assertThat(context).hasSingleBean(UpstreamRestClients.class);
                    assertThat(context).hasBean("upstreamsHealthContributor");
                    assertThat(context).hasSingleBean(UpstreamsEndpoint.class);
                });
    }

    @Test
    void runWhenActuatorIsMissingShouldNotProvideTheEndpoint() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=upstreams")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Upstreams.class);
                    assertThat(context).doesNotHaveBean(UpstreamsEndpoint.class);
                });
    }

    @Test
    void runWhenRestClientIsMissingShouldNotProvideRestClientIntegration() {
        runner.withClassLoader(new FilteredClassLoader(RestClient.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(Upstreams.class);
            assertThat(context).doesNotHaveBean(UpstreamRestClients.class);
            assertThat(context).doesNotHaveBean(UpstreamHttpServiceGroupConfigurer.class);
        });
    }

    @Test
    void runWhenServletApiIsMissingShouldNotProvideTheDeadlineFilter() {
        new WebApplicationContextRunner().withConfiguration(LEVEE)
                .withClassLoader(new FilteredClassLoader("jakarta.servlet.Filter"))
                .run(context -> assertThat(context).doesNotHaveBean(DeadlineFilter.class));
    }

    @Test
    void runWhenUpstreamsHealthIsDisabledShouldNotProvideTheContributor() {
        runner.withPropertyValues("management.health.upstreams.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(Upstreams.class);
            assertThat(context).doesNotHaveBean("upstreamsHealthContributor");
        });
    }

    @Test
    void runWhenAllHealthIndicatorsAreDisabledByDefaultShouldNotProvideTheContributor() {
        runner.withPropertyValues("management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("upstreamsHealthContributor"));
    }

    // ---- metrics ---------------------------------------------------------------------------------------------

    @Test
    void runWhenAMeterRegistryExistsShouldBindLeveeMetersToIt() {
        runner.withBean(SimpleMeterRegistry.class).withPropertyValues("levee.upstreams.recommendations.owner=recs")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find(LeveeMeters.INFO).tag(LeveeMeters.TAG_UPSTREAM, "inventory")
                            .tag(LeveeMeters.TAG_CRITICALITY, "critical").gauge()).isNotNull();
                    assertThat(registry.find(LeveeMeters.INFO).tag(LeveeMeters.TAG_UPSTREAM, "recommendations")
                            .tag(LeveeMeters.TAG_OWNER, "recs").gauge()).isNotNull();
                    assertThat(registry.find(LeveeMeters.HEALTH).tag(LeveeMeters.TAG_UPSTREAM, "inventory").gauge().value())
                            .isEqualTo(2.0);
                    // a call is recorded
                    context.getBean(Upstreams.class).get("inventory").call(ctx -> "ok");
                    assertThat(registry.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, "inventory")
                            .tag(LeveeMeters.TAG_OUTCOME, "success").timer().count()).isEqualTo(1);
                });
    }

    @Test
    void runWhenNoMeterRegistryExistsShouldStillProvideUpstreams() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(MeterRegistry.class);
            String answer = context.getBean(Upstreams.class).get("inventory").call(ctx -> "ok");
            assertThat(answer).isEqualTo("ok");
        });
    }

    // ---- inheritance of defaults -----------------------------------------------------------------------------

    @Test
    void runWhenTopLevelDefaultsAreSetShouldInheritThemUnlessOverridden() {
        runner.withPropertyValues("levee.defaults.owner=platform", "levee.defaults.criticality=critical",
                "levee.defaults.attempt-timeout=400ms", "levee.defaults.timeout-mode=cooperative",
                "levee.defaults.deadline=2s", "levee.defaults.percentile-histogram=true",
                "levee.upstreams.inventory.owner=inventory-team", "levee.upstreams.inventory.criticality=optional",
                "levee.upstreams.inventory.attempt-timeout=200ms", "levee.upstreams.inventory.timeout-mode=enforced",
                "levee.upstreams.inventory.deadline=900ms", "levee.upstreams.inventory.percentile-histogram=false",
                "levee.upstreams.pricing.owner=platform")
                .run(context -> {
                    UpstreamSpec inherited = spec(context, "pricing");
                    assertThat(inherited.owner()).isEqualTo("platform");
                    assertThat(inherited.criticality()).isEqualTo(Criticality.CRITICAL);
                    assertThat(inherited.attemptTimeout()).isEqualTo(Duration.ofMillis(400));
                    assertThat(inherited.timeoutMode()).isEqualTo(TimeoutMode.COOPERATIVE);
                    assertThat(inherited.deadline()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(inherited.percentileHistogram()).isTrue();
                    UpstreamSpec own = spec(context, "inventory");
                    assertThat(own.owner()).isEqualTo("inventory-team");
                    assertThat(own.criticality()).isEqualTo(Criticality.OPTIONAL);
                    assertThat(own.attemptTimeout()).isEqualTo(Duration.ofMillis(200));
                    assertThat(own.timeoutMode()).isEqualTo(TimeoutMode.ENFORCED);
                    assertThat(own.deadline()).isEqualTo(Duration.ofMillis(900));
                    assertThat(own.percentileHistogram()).isFalse();
                });
    }

    @Test
    void runWhenNothingIsSetShouldUseTheCoreDefaults() {
        new ApplicationContextRunner().withConfiguration(LEVEE).withPropertyValues("levee.upstreams.plain.owner=x")
                .run(context -> {
                    UpstreamSpec spec = spec(context, "plain");
                    UpstreamSpec core = UpstreamSpec.named("plain").owner("x").build();
                    assertThat(spec).isEqualTo(core);
                });
    }

    @Test
    void runWhenCircuitBreakerDefaultsAreSetShouldInheritThemUnlessOverridden() {
        runner.withPropertyValues("levee.defaults.circuit-breaker.failure-rate-threshold=30",
                "levee.defaults.circuit-breaker.slow-call-threshold=300ms",
                "levee.defaults.circuit-breaker.slow-call-rate-threshold=80",
                "levee.defaults.circuit-breaker.count-window=50", "levee.defaults.circuit-breaker.minimum-calls=10",
                "levee.defaults.circuit-breaker.wait-in-open-state=5s", "levee.defaults.circuit-breaker.half-open-probes=3",
                "levee.upstreams.inventory.circuit-breaker.failure-rate-threshold=60",
                "levee.upstreams.inventory.circuit-breaker.slow-call-threshold=700ms",
                "levee.upstreams.inventory.circuit-breaker.slow-call-rate-threshold=90",
                "levee.upstreams.inventory.circuit-breaker.count-window=8",
                "levee.upstreams.inventory.circuit-breaker.minimum-calls=4",
                "levee.upstreams.inventory.circuit-breaker.wait-in-open-state=20s",
                "levee.upstreams.inventory.circuit-breaker.half-open-probes=2",
                "levee.upstreams.pricing.owner=pricing-team")
                .run(context -> {
                    BreakerSpec inherited = spec(context, "pricing").circuitBreaker();
                    assertThat(inherited.failureRateThreshold()).isEqualTo(30f);
                    assertThat(inherited.slowCallThreshold()).contains(Duration.ofMillis(300));
                    assertThat(inherited.slowCallRateThreshold()).isEqualTo(80f);
                    assertThat(inherited.windowType()).isEqualTo(BreakerSpec.WindowType.COUNT_BASED);
                    assertThat(inherited.windowSize()).isEqualTo(50);
                    assertThat(inherited.minimumCalls()).isEqualTo(10);
                    assertThat(inherited.waitInOpenState()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(inherited.halfOpenProbes()).isEqualTo(3);
                    BreakerSpec own = spec(context, "inventory").circuitBreaker();
                    assertThat(own.failureRateThreshold()).isEqualTo(60f);
                    assertThat(own.slowCallThreshold()).contains(Duration.ofMillis(700));
                    assertThat(own.slowCallRateThreshold()).isEqualTo(90f);
                    assertThat(own.windowType()).isEqualTo(BreakerSpec.WindowType.COUNT_BASED);
                    assertThat(own.windowSize()).isEqualTo(8);
                    assertThat(own.minimumCalls()).isEqualTo(4);
                    assertThat(own.waitInOpenState()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(own.halfOpenProbes()).isEqualTo(2);
                });
    }

    @Test
    void runWhenDefaultsUseACountWindowAndAnUpstreamATimeWindowShouldUseTheUpstreamsWindow() {
        runner.withPropertyValues("levee.defaults.circuit-breaker.count-window=50",
                "levee.defaults.circuit-breaker.minimum-calls=10",
                "levee.upstreams.inventory.circuit-breaker.time-window=20s",
                "levee.upstreams.pricing.owner=pricing-team")
                .run(context -> {
                    BreakerSpec own = spec(context, "inventory").circuitBreaker();
                    assertThat(own.windowType()).isEqualTo(BreakerSpec.WindowType.TIME_BASED);
                    assertThat(own.windowSize()).isEqualTo(20);
                    assertThat(own.minimumCalls()).isEqualTo(10);
                    BreakerSpec inherited = spec(context, "pricing").circuitBreaker();
                    assertThat(inherited.windowType()).isEqualTo(BreakerSpec.WindowType.COUNT_BASED);
                    assertThat(inherited.windowSize()).isEqualTo(50);
                });
    }

    @Test
    void runWhenDefaultsUseATimeWindowAndAnUpstreamACountWindowShouldUseTheUpstreamsWindow() {
        runner.withPropertyValues("levee.defaults.circuit-breaker.time-window=45s",
                "levee.upstreams.inventory.circuit-breaker.count-window=12",
                "levee.upstreams.inventory.circuit-breaker.minimum-calls=6",
                "levee.upstreams.pricing.owner=pricing-team")
                .run(context -> {
                    BreakerSpec own = spec(context, "inventory").circuitBreaker();
                    assertThat(own.windowType()).isEqualTo(BreakerSpec.WindowType.COUNT_BASED);
                    assertThat(own.windowSize()).isEqualTo(12);
                    BreakerSpec inherited = spec(context, "pricing").circuitBreaker();
                    assertThat(inherited.windowType()).isEqualTo(BreakerSpec.WindowType.TIME_BASED);
                    assertThat(inherited.windowSize()).isEqualTo(45);
                });
    }

    @Test
    void runWhenRetryDefaultsAreSetShouldInheritThemUnlessOverridden() {
        runner.withPropertyValues("levee.defaults.retry.max-attempts=4", "levee.defaults.retry.initial-backoff=20ms",
                "levee.defaults.retry.multiplier=3", "levee.defaults.retry.jitter=0.1",
                "levee.defaults.retry.max-backoff=1s", "levee.defaults.retry.budget-ratio=0.3",
                "levee.defaults.retry.budget-min-retries=5", "levee.defaults.retry.budget-window=20s",
                "levee.upstreams.inventory.retry.max-attempts=2", "levee.upstreams.inventory.retry.initial-backoff=50ms",
                "levee.upstreams.inventory.retry.multiplier=1.5", "levee.upstreams.inventory.retry.jitter=0",
                "levee.upstreams.inventory.retry.max-backoff=500ms", "levee.upstreams.inventory.retry.budget-ratio=0.1",
                "levee.upstreams.inventory.retry.budget-min-retries=1", "levee.upstreams.inventory.retry.budget-window=5s",
                "levee.upstreams.pricing.owner=pricing-team")
                .run(context -> {
                    var inherited = spec(context, "pricing").retry();
                    assertThat(inherited.maxAttempts()).isEqualTo(4);
                    assertThat(inherited.initialBackoff()).isEqualTo(Duration.ofMillis(20));
                    assertThat(inherited.multiplier()).isEqualTo(3.0);
                    assertThat(inherited.jitter()).isEqualTo(0.1);
                    assertThat(inherited.maxBackoff()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(inherited.budgetRatio()).isEqualTo(0.3);
                    assertThat(inherited.budgetMinRetries()).isEqualTo(5);
                    assertThat(inherited.budgetWindow()).isEqualTo(Duration.ofSeconds(20));
                    var own = spec(context, "inventory").retry();
                    assertThat(own.maxAttempts()).isEqualTo(2);
                    assertThat(own.initialBackoff()).isEqualTo(Duration.ofMillis(50));
                    assertThat(own.multiplier()).isEqualTo(1.5);
                    assertThat(own.jitter()).isEqualTo(0.0);
                    assertThat(own.maxBackoff()).isEqualTo(Duration.ofMillis(500));
                    assertThat(own.budgetRatio()).isEqualTo(0.1);
                    assertThat(own.budgetMinRetries()).isEqualTo(1);
                    assertThat(own.budgetWindow()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void runWhenOnlyPartOfAPairedRetrySettingIsSetShouldKeepTheOtherPart() {
        // initial-backoff and multiplier are set together in the core, as are the three budget settings
        runner.withPropertyValues("levee.defaults.retry.multiplier=3", "levee.upstreams.inventory.retry.initial-backoff=30ms",
                "levee.upstreams.inventory.retry.budget-min-retries=7")
                .run(context -> {
                    var retry = spec(context, "inventory").retry();
                    assertThat(retry.initialBackoff()).isEqualTo(Duration.ofMillis(30));
                    assertThat(retry.multiplier()).isEqualTo(3.0);
                    assertThat(retry.budgetMinRetries()).isEqualTo(7);
                    assertThat(retry.budgetRatio()).isEqualTo(RetrySpec.defaults().budgetRatio());
                    assertThat(retry.budgetWindow()).isEqualTo(RetrySpec.defaults().budgetWindow());
                });
    }

    @Test
    void runWhenConsecutiveFailuresAndInterruptPolicyAreSetShouldInheritThemUnlessOverridden() {
        runner.withPropertyValues("levee.defaults.circuit-breaker.consecutive-failures=3", "levee.defaults.interrupt-policy=never",
                "levee.upstreams.inventory.circuit-breaker.consecutive-failures=0", "levee.upstreams.inventory.interrupt-policy=always",
                "levee.upstreams.pricing.owner=pricing-team",
                "levee.upstreams.search.interrupt-policy=when-no-abandon-action")
                .run(context -> {
                    assertThat(spec(context, "pricing").circuitBreaker().consecutiveFailures()).isEqualTo(3);
                    assertThat(spec(context, "pricing").interruptPolicy()).isEqualTo(InterruptPolicy.NEVER);
                    assertThat(spec(context, "inventory").circuitBreaker().consecutiveFailures()).isZero();
                    assertThat(spec(context, "inventory").interruptPolicy()).isEqualTo(InterruptPolicy.ALWAYS);
                    assertThat(spec(context, "search").interruptPolicy()).isEqualTo(InterruptPolicy.WHEN_NO_ABANDON_ACTION);
                });
    }

    @Test
    void runWhenConsecutiveFailuresIsSetShouldOpenTheCircuitAfterThatManyFailedCalls() {
        runner.withPropertyValues("levee.upstreams.inventory.circuit-breaker.consecutive-failures=2").run(context -> {
            var inventory = context.getBean(Upstreams.class).get("inventory");
            UpstreamCall<String> failing = ctx -> {
                throw new IOException("refused");
            };
            assertThatExceptionOfType(UpstreamFailureException.class).isThrownBy(() -> inventory.call(failing));
            assertThat(inventory.circuitState()).isEqualTo(CircuitState.CLOSED);
            assertThatExceptionOfType(UpstreamFailureException.class).isThrownBy(() -> inventory.call(failing));
            assertThat(inventory.circuitState()).isEqualTo(CircuitState.OPEN);
        });
    }

    @Test
    void runWhenAnUpstreamNamesABaseConfigChainShouldTakeEachSettingFromTheNearestLevelThatSetsIt() {
        runner.withPropertyValues(
                "levee.defaults.owner=platform", "levee.defaults.attempt-timeout=400ms", "levee.defaults.retry.max-attempts=4",
                "levee.defaults.retry.initial-backoff=1ms", "levee.defaults.bulkhead.max-concurrent-calls=7",
                "levee.defaults.classification.not-retryable=java.lang.UnsupportedOperationException",
                "levee.configs.base.attempt-timeout=250ms", "levee.configs.base.deadline=2s",
                "levee.configs.base.circuit-breaker.consecutive-failures=8", "levee.configs.base.http.idempotent-methods=GET",
                "levee.configs.batch.base-config=base", "levee.configs.batch.deadline=5s", "levee.configs.batch.retry.max-attempts=2",
                "levee.configs.batch.classification.caller-faults=java.lang.IllegalArgumentException",
                "levee.upstreams.reports.base-config=batch", "levee.upstreams.reports.retry.max-attempts=1",
                "levee.upstreams.search.base-config=base")
                .run(context -> {
                    UpstreamSpec reports = spec(context, "reports");
                    assertThat(reports.retry().maxAttempts()).as("its own").isEqualTo(1);
                    assertThat(reports.deadline()).as("from batch").isEqualTo(Duration.ofSeconds(5));
                    assertThat(reports.classification().callerFault()).as("from batch").containsExactly(IllegalArgumentException.class);
                    assertThat(reports.attemptTimeout()).as("from base, batch's base").isEqualTo(Duration.ofMillis(250));
                    assertThat(reports.circuitBreaker().consecutiveFailures()).as("from base").isEqualTo(8);
                    assertThat(reports.owner()).as("from the defaults").isEqualTo("platform");
                    assertThat(reports.bulkhead().maxConcurrentCalls()).as("from the defaults").isEqualTo(7);
                    assertThat(reports.classification().notRetryable()).as("from the defaults")
                            .containsExactly(UnsupportedOperationException.class);
                    assertThat(reports.timeoutMode()).as("the core's").isEqualTo(TimeoutMode.ENFORCED);

                    UpstreamSpec inventory = spec(context, "inventory"); // no base config
                    assertThat(inventory.attemptTimeout()).isEqualTo(Duration.ofMillis(400));
                    assertThat(inventory.deadline()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(inventory.circuitBreaker().consecutiveFailures()).isEqualTo(5);
                    assertThat(inventory.classification().callerFault()).isEmpty();

                    // the HTTP lists too: search retries GET (4 attempts, the defaults') but not PUT (only GET, base's)
                    RestClient.Builder builder = context.getBean(UpstreamRestClients.class).builder("search").baseUrl("http://search.test");
                    MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
                    server.expect(ExpectedCount.times(4), requestTo("http://search.test/q")).andExpect(method(HttpMethod.GET))
                            .andRespond(withStatus(HttpStatus.SERVICE_UNAVAILABLE));
                    server.expect(ExpectedCount.once(), requestTo("http://search.test/q")).andExpect(method(HttpMethod.PUT))
                            .andRespond(withStatus(HttpStatus.SERVICE_UNAVAILABLE));
                    RestClient search = builder.build();
                    assertThatExceptionOfType(UpstreamFailureException.class)
                            .isThrownBy(() -> search.get().uri("/q").retrieve().toBodilessEntity());
                    assertThatExceptionOfType(UpstreamFailureException.class)
                            .isThrownBy(() -> search.put().uri("/q").retrieve().toBodilessEntity());
                    server.verify();
                });
    }

    @Test
    void runWhenACustomizerAddsUpstreamsThroughTheFactoryShouldGiveThemTheDefaultsAndTheirBaseConfig() {
        runner.withPropertyValues("levee.defaults.deadline=2s", "levee.defaults.attempt-timeout=400ms",
                "levee.configs.slow-batch.attempt-timeout=5s", "levee.configs.slow-batch.deadline=20s",
                "levee.configs.slow-batch.circuit-breaker.consecutive-failures=10")
                .withUserConfiguration(CodeAddedUpstreams.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(spec(context, "plain").attemptTimeout()).as("the core's default").isEqualTo(Duration.ofSeconds(1));
                    assertThat(spec(context, "extra").attemptTimeout()).as("levee.defaults").isEqualTo(Duration.ofMillis(400));
                    assertThat(spec(context, "extra").deadline()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(spec(context, "extra").retry().maxAttempts()).as("the customizer's own").isEqualTo(1);
                    assertThat(spec(context, "reports").attemptTimeout()).as("its base config").isEqualTo(Duration.ofSeconds(5));
                    assertThat(spec(context, "reports").deadline()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(spec(context, "reports").circuitBreaker().consecutiveFailures()).isEqualTo(10);
                    assertThat(spec(context, "reports").owner()).isEqualTo("reporting-team");
                });
    }

    @Test
    void runWhenTheFactoryIsAskedForAnUnknownBaseConfigShouldFailNamingTheKnownOnes() {
        runner.withPropertyValues("levee.configs.slow-batch.attempt-timeout=5s")
                .withUserConfiguration(UnknownBaseConfig.class)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(LeveeConfigurationException.class)
                        .hasMessage("the base configuration of upstream 'reports' (added in code) must be the name of a "
                                + "configuration under levee.configs (one of [slow-batch]), but was 'slow'"));
    }

    @Configuration(proxyBeanMethods = false)
    static class CodeAddedUpstreams {

        @Bean
        UpstreamSpecCustomizer codeAdded(UpstreamSpecFactory factory) {
            return specs -> {
                specs.put("plain", UpstreamSpec.named("plain"));
                specs.put("extra", factory.named("extra").retry(r -> r.maxAttempts(1)));
                specs.put("reports", factory.named("reports", "slow-batch").owner("reporting-team"));
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnknownBaseConfig {

        @Bean
        UpstreamSpecCustomizer unknownBase(UpstreamSpecFactory factory) {
            return specs -> specs.put("reports", factory.named("reports", "slow"));
        }
    }

    @Test
    void runWhenTheDefaultsNameABaseConfigShouldApplyItToEveryUpstreamThatNamesNone() {
        runner.withPropertyValues("levee.defaults.base-config=standard", "levee.defaults.deadline=2s",
                "levee.configs.standard.attempt-timeout=200ms", "levee.configs.standard.http.failure-statuses=5xx,404",
                "levee.configs.other.attempt-timeout=700ms",
                "levee.upstreams.b.base-config=other", "levee.upstreams.c.base-config=")
                .withBean(UpstreamSpecCustomizer.class, () -> specs -> specs.put("extra", UpstreamSpec.named("extra").retry(r -> r.maxAttempts(1))))
                .run(context -> {
                    assertThat(spec(context, "inventory").attemptTimeout()).as("standard, by default").isEqualTo(Duration.ofMillis(200));
                    assertThat(spec(context, "b").attemptTimeout()).as("its own base config only").isEqualTo(Duration.ofMillis(700));
                    assertThat(spec(context, "c").attemptTimeout()).as("an empty base-config names none").isEqualTo(Duration.ofSeconds(1));
                    assertThat(spec(context, "c").deadline()).as("still the defaults'").isEqualTo(Duration.ofSeconds(2));
                    // an upstream registered in code is classified by the defaults' chain: 404 is a failure
                    RestClient.Builder builder = context.getBean(UpstreamRestClients.class).builder("extra").baseUrl("http://extra.test");
                    MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
                    server.expect(requestTo("http://extra.test/x")).andRespond(withStatus(HttpStatus.NOT_FOUND));
                    assertThatExceptionOfType(UpstreamFailureException.class)
                            .isThrownBy(() -> builder.build().get().uri("/x").retrieve().toBodilessEntity());
                    server.verify();
                });
    }

    static Stream<Arguments> valuesValidOnlyWithAnotherLevelsSetting() {
        return Stream.of(
                Arguments.of((Object) new String[] { "levee.defaults.attempt-timeout=5s", "levee.upstreams.inventory.deadline=10s" }),
                Arguments.of((Object) new String[] { "levee.defaults.deadline=500ms", "levee.upstreams.inventory.attempt-timeout=200ms" }),
                Arguments.of((Object) new String[] { "levee.defaults.circuit-breaker.slow-call-threshold=2s",
                        "levee.upstreams.inventory.attempt-timeout=5s", "levee.upstreams.inventory.deadline=10s" }),
                Arguments.of((Object) new String[] { "levee.defaults.circuit-breaker.time-window=1s",
                        "levee.upstreams.inventory.attempt-timeout=300ms" }),
                Arguments.of((Object) new String[] { "levee.defaults.bulkhead.max-wait=5s", "levee.upstreams.inventory.deadline=10s" }),
                Arguments.of((Object) new String[] { "levee.defaults.retry.max-backoff=50ms", "levee.upstreams.inventory.retry.initial-backoff=10ms" }),
                Arguments.of((Object) new String[] { "levee.defaults.retry.initial-backoff=5s", "levee.upstreams.inventory.retry.max-backoff=10s" }),
                Arguments.of((Object) new String[] { "levee.defaults.circuit-breaker.count-window=5",
                        "levee.upstreams.inventory.circuit-breaker.minimum-calls=5" }),
                Arguments.of((Object) new String[] { "levee.defaults.circuit-breaker.minimum-calls=50",
                        "levee.upstreams.inventory.circuit-breaker.count-window=100" }),
                Arguments.of((Object) new String[] { "levee.configs.slow.attempt-timeout=30s", "levee.configs.slow.circuit-breaker.count-window=100",
                        "levee.upstreams.inventory.base-config=slow", "levee.upstreams.inventory.deadline=60s" }),
                // defaults' count window, a config's time window: the nearer one wins, no conflict
                Arguments.of((Object) new String[] { "levee.defaults.circuit-breaker.count-window=50",
                        "levee.configs.timed.circuit-breaker.time-window=20s", "levee.upstreams.inventory.base-config=timed" }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesValidOnlyWithAnotherLevelsSetting")
    void runWhenALevelsValueIsValidWithTheUpstreamsOwnSettingsShouldStart(String[] properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Upstreams.class).names()).contains("inventory");
        });
    }

    @Test
    void runWhenClassificationListsAreSetShouldMapEachOntoItsCoreRule() {
        runner.withPropertyValues(
                "levee.upstreams.inventory.classification.caller-faults=java.lang.IllegalArgumentException,java.lang.IllegalStateException",
                "levee.upstreams.inventory.classification.timeouts=java.util.concurrent.TimeoutException",
                "levee.upstreams.inventory.classification.not-retryable=java.lang.UnsupportedOperationException",
                "levee.upstreams.inventory.classification.pass-through=java.util.NoSuchElementException",
                "levee.defaults.classification.caller-faults= java.io.UncheckedIOException ",
                "levee.upstreams.pricing.owner=pricing-team")
                .run(context -> {
                    ClassificationRules own = spec(context, "inventory").classification();
                    assertThat(own.callerFault()).containsExactly(IllegalArgumentException.class, IllegalStateException.class);
                    assertThat(own.timeout()).as("added to the built-in timeouts")
                            .containsAll(ClassificationRules.defaults().timeout()).contains(TimeoutException.class);
                    assertThat(own.notRetryable()).containsExactly(UnsupportedOperationException.class);
                    assertThat(own.passThrough()).containsExactly(NoSuchElementException.class);
                    ClassificationRules inherited = spec(context, "pricing").classification();
                    assertThat(inherited.callerFault()).containsExactly(UncheckedIOException.class);
                    assertThat(inherited.timeout()).isEqualTo(ClassificationRules.defaults().timeout());
                });
    }

    @Test
    void runWhenYamlClassifiesAnExceptionAsACallerFaultShouldEndTheCallAsCallerFaultNotCountedAgainstTheBreaker() {
        runner.withInitializer(context -> {
            try {
                new YamlPropertySourceLoader().load("levee-classification.yml", new ClassPathResource("levee-classification.yml"))
                        .forEach(source -> context.getEnvironment().getPropertySources().addFirst(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).withBean(SimpleMeterRegistry.class).run(context -> {
            var inventory = context.getBean(Upstreams.class).get("inventory");
            AtomicInteger attempts = new AtomicInteger();
            UpstreamCall<String> badRequest = ctx -> {
                attempts.incrementAndGet();
                throw new IllegalArgumentException("no such sku");
            };
            for (int i = 0; i < 3; i++) { // the breaker opens on one failed attempt; these are not failures
                assertThatExceptionOfType(CallerFaultException.class)
                        .isThrownBy(() -> inventory.call(badRequest, Adapter.identity(), CallOptions.idempotent()))
                        .withCauseInstanceOf(IllegalArgumentException.class)
                        .satisfies(e -> assertThat(e.upstream()).isEqualTo("inventory"));
            }
            assertThat(attempts).as("caller faults are never retried").hasValue(3);
            assertThat(inventory.circuitState()).isEqualTo(CircuitState.CLOSED);
            assertThat(context.getBean(MeterRegistry.class).find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, "inventory")
                    .tag(LeveeMeters.TAG_OUTCOME, "caller_fault").timer().count()).isEqualTo(3);

            // pass-through: the domain's own exception (named in YAML in its source form, Outer.Inner), rethrown
            // unchanged, not counted against the upstream either
            assertThatExceptionOfType(OutOfStock.class).isThrownBy(() -> inventory.call(ctx -> {
                throw new OutOfStock();
            }));
            assertThat(inventory.circuitState()).isEqualTo(CircuitState.CLOSED);

            // not-retryable: a failure, tried once, and it counts: the breaker opens
            attempts.set(0);
            assertThatExceptionOfType(UpstreamFailureException.class).isThrownBy(() -> inventory.call(ctx -> {
                attempts.incrementAndGet();
                throw new UnsupportedOperationException("gone");
            }, Adapter.identity(), CallOptions.idempotent()));
            assertThat(attempts).hasValue(1);
            assertThat(inventory.circuitState()).isEqualTo(CircuitState.OPEN);

            // the same exception from an upstream that does not name it is an upstream failure
            var pricing = context.getBean(Upstreams.class).get("pricing");
            assertThatExceptionOfType(UpstreamFailureException.class).isThrownBy(() -> pricing.call(ctx -> {
                throw new IllegalArgumentException("no such sku");
            }));
            assertThat(pricing.circuitState()).isEqualTo(CircuitState.OPEN);
        });
    }

    @Test
    void runWhenContractPolicyIsSetShouldApplyItPerUpstreamOverTheDefaults() {
        runner.withPropertyValues("levee.defaults.contract.action=record", "levee.defaults.contract.log-interval=5m",
                "levee.upstreams.inventory.contract.action=fail", "levee.upstreams.inventory.contract.sample-rate=0.25",
                "levee.upstreams.pricing.owner=pricing-team", "levee.upstreams.catalog.owner=catalog-team",
                "levee.defaults.contract.sample-rate=1", "levee.upstreams.catalog.contract.action=fallback")
                .run(context -> {
                    assertThat(spec(context, "inventory").contractPolicy()).isEqualTo(ContractPolicy.builder()
                            .action(ContractPolicy.Action.FAIL).sampleRate(0.25).logInterval(Duration.ofMinutes(5)).build());
                    assertThat(spec(context, "pricing").contractPolicy()).isEqualTo(ContractPolicy.builder()
                            .action(ContractPolicy.Action.RECORD).logInterval(Duration.ofMinutes(5)).build());
                    assertThat(spec(context, "catalog").contractPolicy().action()).isEqualTo(ContractPolicy.Action.FALLBACK);
                });
    }

    @Test
    void runWhenNoContractPolicyIsSetShouldUseTheCoreDefault() {
        runner.withPropertyValues("levee.upstreams.pricing.owner=pricing-team")
                .run(context -> assertThat(spec(context, "pricing").contractPolicy()).isEqualTo(ContractPolicy.defaults()));
    }

    @Test
    void runWhenBulkheadDefaultsAreSetShouldInheritThemUnlessOverridden() {
        runner.withPropertyValues("levee.defaults.bulkhead.max-concurrent-calls=7", "levee.defaults.bulkhead.max-wait=20ms",
                "levee.upstreams.inventory.bulkhead.max-concurrent-calls=3", "levee.upstreams.inventory.bulkhead.max-wait=5ms",
                "levee.upstreams.pricing.owner=pricing-team")
                .run(context -> {
                    assertThat(spec(context, "pricing").bulkhead().maxConcurrentCalls()).isEqualTo(7);
                    assertThat(spec(context, "pricing").bulkhead().maxWait()).isEqualTo(Duration.ofMillis(20));
                    assertThat(spec(context, "inventory").bulkhead().maxConcurrentCalls()).isEqualTo(3);
                    assertThat(spec(context, "inventory").bulkhead().maxWait()).isEqualTo(Duration.ofMillis(5));
                });
    }

    @Test
    void runWhenHttpDefaultsAreSetShouldInheritThemUnlessOverridden() {
        runner.withPropertyValues("levee.defaults.retry.initial-backoff=1ms", "levee.defaults.retry.max-attempts=3",
                "levee.defaults.retry.budget-min-retries=100",
                // defaults: 404 is a failure, POST may be retried
                "levee.defaults.http.failure-statuses=5xx,404", "levee.defaults.http.idempotent-methods=GET,POST",
                // inventory: only 503 is a failure, and nothing is retried but GET
                "levee.upstreams.inventory.http.failure-statuses=503", "levee.upstreams.inventory.http.idempotent-methods=GET",
                "levee.upstreams.pricing.owner=pricing-team")
                .run(context -> {
                    UpstreamRestClients clients = context.getBean(UpstreamRestClients.class);

                    // pricing inherits: a POST answered 404 is a failure, retried three times
                    RestClient.Builder pricingBuilder = clients.builder("pricing").baseUrl("http://pricing.test");
                    MockRestServiceServer pricingServer = MockRestServiceServer.bindTo(pricingBuilder).build();
                    pricingServer.expect(ExpectedCount.times(3), requestTo("http://pricing.test/quote"))
                            .andExpect(method(HttpMethod.POST)).andRespond(withStatus(HttpStatus.NOT_FOUND));
                    RestClient pricing = pricingBuilder.build();
                    assertThatExceptionOfType(UpstreamFailureException.class)
                            .isThrownBy(() -> pricing.post().uri("/quote").retrieve().toBodilessEntity())
                            .withMessageContaining("http 404");
                    pricingServer.verify();

                    // inventory overrides: 404 is the caller's fault (RestClient's usual exception its cause), POST not retried
                    RestClient.Builder inventoryBuilder = clients.builder("inventory").baseUrl("http://inventory.test");
                    MockRestServiceServer inventoryServer = MockRestServiceServer.bindTo(inventoryBuilder).build();
                    inventoryServer.expect(ExpectedCount.once(), requestTo("http://inventory.test/stock"))
                            .andRespond(withStatus(HttpStatus.NOT_FOUND));
                    inventoryServer.expect(ExpectedCount.once(), requestTo("http://inventory.test/reserve"))
                            .andExpect(method(HttpMethod.POST)).andRespond(withStatus(HttpStatus.SERVICE_UNAVAILABLE));
                    inventoryServer.expect(ExpectedCount.times(3), requestTo("http://inventory.test/stock"))
                            .andRespond(withStatus(HttpStatus.SERVICE_UNAVAILABLE));
                    RestClient inventory = inventoryBuilder.build();
                    assertThatExceptionOfType(CallerFaultException.class)
                            .isThrownBy(() -> inventory.get().uri("/stock").retrieve().toBodilessEntity())
                            .withCauseInstanceOf(HttpClientErrorException.NotFound.class);
                    assertThatExceptionOfType(UpstreamFailureException.class)
                            .isThrownBy(() -> inventory.post().uri("/reserve").retrieve().toBodilessEntity());
                    assertThatExceptionOfType(UpstreamFailureException.class)
                            .isThrownBy(() -> inventory.get().uri("/stock").retrieve().toBodilessEntity());
                    inventoryServer.verify();
                });
    }

    @Test
    void runWhenAnUpstreamIsAddedInCodeShouldClassifyItsExchangesByTheHttpDefaults() {
        runner.withPropertyValues("levee.defaults.http.failure-statuses=5xx,404")
                .withBean(UpstreamSpecCustomizer.class, () -> specs -> specs.put("extra", UpstreamSpec.named("extra").retry(r -> r.maxAttempts(1))))
                .run(context -> {
                    RestClient.Builder builder = context.getBean(UpstreamRestClients.class).builder("extra").baseUrl("http://extra.test");
                    MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
                    server.expect(requestTo("http://extra.test/x")).andRespond(withStatus(HttpStatus.NOT_FOUND));
                    assertThatExceptionOfType(UpstreamFailureException.class)
                            .isThrownBy(() -> builder.build().get().uri("/x").retrieve().toBodilessEntity());
                    server.verify();
                });
    }

    @Test
    void runWhenBuilderIsBoundToAnUpstreamShouldCallThroughItAndRejectUnknownNames() {
        runner.withPropertyValues("levee.upstreams.inventory.attempt-timeout=300ms").run(context -> {
            RestClient.Builder builder = context.getBean(UpstreamRestClients.class).builder("inventory");
            MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
            server.expect(requestTo("http://inventory.test/ok")).andRespond(withSuccess("fine", null));
            assertThat(builder.build().get().uri("http://inventory.test/ok").retrieve().body(String.class)).isEqualTo("fine");
            assertThatExceptionOfType(IllegalArgumentException.class)
                    .isThrownBy(() -> context.getBean(UpstreamRestClients.class).builder("nope"))
                    .withMessageContaining("inventory");
        });
    }

    // ---- customizers -----------------------------------------------------------------------------------------

    @Test
    void runWhenSpecCustomizersExistShouldApplyThemInOrderAndRegisterAddedSpecs() {
        runner.withPropertyValues("levee.upstreams.inventory.attempt-timeout=300ms")
                .withUserConfiguration(SpecCustomizers.class)
                .run(context -> {
                    Upstreams upstreams = context.getBean(Upstreams.class);
                    assertThat(upstreams.names()).containsExactly("inventory", "search");
                    // the later customizer saw the earlier one's change
                    assertThat(upstreams.get("inventory").spec().attemptTimeout()).isEqualTo(Duration.ofMillis(150));
                    assertThat(upstreams.get("inventory").spec().owner()).isEqualTo("renamed-by-second");
                    assertThat(upstreams.get("search").spec().criticality()).isEqualTo(Criticality.CRITICAL);
                    // an added upstream gets HTTP integration too
                    assertThat(context.getBean(UpstreamRestClients.class).has("search")).isTrue();
                });
    }

    @Test
    void runWhenASpecCustomizerPutsASpecUnderAnotherNameShouldFailStartup() {
        runner.withBean(UpstreamSpecCustomizer.class, () -> specs -> specs.put("alias", UpstreamSpec.named("other")))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("'other'")
                            .hasStackTraceContaining("'alias'");
                });
    }

    @Test
    void runWhenASpecCustomizerSetsAnInvalidValueShouldFailStartupNamingTheUpstream() {
        runner.withBean(UpstreamSpecCustomizer.class,
                () -> specs -> specs.get("inventory").retry(r -> r.maxAttempts(42)))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("inventory")
                            .hasStackTraceContaining("max-attempts").hasStackTraceContaining("42");
                });
    }

    @Test
    void runWhenUpstreamsBuilderCustomizersExistShouldApplyThemAfterTheProperties() {
        AtomicInteger calls = new AtomicInteger();
        runner.withPropertyValues("levee.max-upstreams=50", "levee.upstreams.pricing.owner=p")
                .withBean(UpstreamsBuilderCustomizer.class, () -> builder -> {
                    calls.incrementAndGet();
                    builder.maxUpstreams(1);
                })
                .run(context -> {
                    assertThat(calls).hasValue(1);
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("maximum of 1 upstreams");
                });
    }

    @Test
    void runWhenUpstreamsBuilderCustomizerAddsAHealthListenerShouldTellItOfChanges() {
        List<String> changes = new CopyOnWriteArrayList<>();
        runner.withBean(UpstreamsBuilderCustomizer.class,
                () -> builder -> builder.healthListener((before, after) -> changes.add(after.upstream() + ":" + after.state())))
                .run(context -> {
                    context.getBean(Upstreams.class).get("inventory").forceCircuitOpen();
                    context.getBean(Upstreams.class).get("inventory").health();
                    assertThat(changes).contains("inventory:UNAVAILABLE");
                });
    }

    // ---- helpers and user configurations ---------------------------------------------------------------------

    private static UpstreamSpec spec(org.springframework.context.ApplicationContext context, String name) {
        return context.getBean(Upstreams.class).get(name).spec();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ LeveeAutoConfiguration.class,
            LeveeHealthAutoConfiguration.class, LeveeEndpointAutoConfiguration.class,
            LeveeRestClientAutoConfiguration.class, LeveeWebMvcAutoConfiguration.class })
    static class ImportedLevee {
    }

    /** A domain exception, thrown by a port on purpose. */
    static final class OutOfStock extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Configuration(proxyBeanMethods = false)
    static class UserUpstreams {
        @Bean(destroyMethod = "close")
        Upstreams myUpstreams() {
            Upstreams upstreams = Upstreams.builder().build();
            upstreams.register(UpstreamSpec.named("mine").build());
            return upstreams;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRestClients {
        @Bean
        UpstreamRestClients myRestClients(Upstreams upstreams) {
            return new UpstreamRestClients(upstreams, Map.of(), null, RestClient::builder);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserHealthContributor {
        static final HealthIndicator MINE = () -> Health.up().build();

        @Bean
        HealthIndicator upstreamsHealthContributor() {
            return MINE;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserEndpoint {
        @Bean
        UpstreamsEndpoint myEndpoint(Upstreams upstreams) {
            return new UpstreamsEndpoint(upstreams);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDeadlineFilter {
        @Bean
        DeadlineFilter myFilter() {
            return new DeadlineFilter("X-Mine");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SpecCustomizers {
        @Bean
        @Order(2)
        UpstreamSpecCustomizer second() {
            return specs -> {
                assertThat(specs).containsKey("search"); // added by the first
                specs.get("inventory").owner("renamed-by-second");
            };
        }

        @Bean
        @Order(1)
        UpstreamSpecCustomizer first() {
            return specs -> {
                specs.get("inventory").attemptTimeout(Duration.ofMillis(150));
                specs.put("search", UpstreamSpec.named("search").criticality(Criticality.CRITICAL));
            };
        }
    }
}
