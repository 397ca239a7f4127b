package dev.levee.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withStatus;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

import dev.levee.spring.UpstreamsBuilderCustomizer;
import dev.levee.spring.http.UpstreamRestClients;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.ClientRequestObservationConvention;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;
import org.springframework.test.web.client.ExpectedCount;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;

/**
 * Observations in an {@link ApplicationContextRunner}, with Spring Boot's RestClient auto-configuration and its
 * observation of {@code RestClient}s: Levee observes calls and attempts with the application's registry, and a
 * client bound to an upstream is observed once per attempt, not once around all of them. Tracing, context and
 * traceparent headers in a running application are covered by {@code TracingIntegrationTests}.
 */
class LeveeObservationAutoConfigurationTests {

    private final Recorder recorder = new Recorder();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(LeveeAutoConfigurationTests.LEVEE)
            .withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class, RestClientObservationAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> {
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(recorder);
                return registry;
            })
            .withPropertyValues("levee.upstreams.inventory.retry.max-attempts=2", "levee.upstreams.inventory.retry.initial-backoff=1ms",
                    "levee.upstreams.inventory.retry.budget-min-retries=100");

    @Test
    void runWhenAnObservationRegistryExistsShouldObserveEachCallEachAttemptAndEachAttemptsExchange() {
        runner.run(context -> {
            getRetriedOnce(context);
            assertThat(recorder.names()).containsExactly("http.client.requests", "levee.attempt", "http.client.requests",
                    "levee.attempt", "levee.call");
            assertThat(recorder.exchanges()).extracting(LeveeObservationAutoConfigurationTests::outcomeAndStatus)
                    .containsExactly("SERVER_ERROR 503", "SUCCESS 200");
            assertThat(recorder.exchanges()).allSatisfy(x -> {
                assertThat(x.getParentObservation()).isNotNull();
                assertThat(x.getParentObservation().getContextView().getName()).isEqualTo("levee.attempt");
                assertThat(x.getLowCardinalityKeyValue("uri").getValue()).isEqualTo("/stock/{sku}"); // the template, as RestClient's
            });
        });
    }

    @Test
    void runWhenLeveeObservationsAreDisabledShouldStillObserveEachAttemptsExchange() {
        runner.withPropertyValues("levee.observations.enabled=false").run(context -> {
            getRetriedOnce(context);
            assertThat(recorder.names()).containsExactly("http.client.requests", "http.client.requests");
            assertThat(recorder.exchanges()).extracting(LeveeObservationAutoConfigurationTests::outcomeAndStatus)
                    .containsExactly("SERVER_ERROR 503", "SUCCESS 200");
        });
    }

    @Test
    void runWhenTheClientObservationIsRenamedShouldObserveAttemptsUnderThatName() {
        runner.withPropertyValues("management.observations.http.client.requests.name=outbound").run(context -> {
            getRetriedOnce(context);
            assertThat(recorder.names()).containsExactly("outbound", "levee.attempt", "outbound", "levee.attempt", "levee.call");
        });
    }

    @Test
    void runWhenAClientRequestObservationConventionIsDefinedShouldObserveAttemptsWithIt() {
        runner.withBean(ClientRequestObservationConvention.class, () -> new DefaultClientRequestObservationConvention("upstream.exchanges"))
                .run(context -> {
                    getRetriedOnce(context);
                    assertThat(recorder.names()).containsExactly("upstream.exchanges", "levee.attempt", "upstream.exchanges",
                            "levee.attempt", "levee.call");
                });
    }

    @Test
    void runWhenAnUpstreamsBuilderCustomizerSetsARegistryShouldUseItForLeveesObservations() {
        Recorder own = new Recorder();
        runner.withBean(UpstreamsBuilderCustomizer.class, () -> builder -> {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(own);
            builder.observationRegistry(registry);
        }).run(context -> {
            getRetriedOnce(context);
            assertThat(own.names()).containsExactly("levee.attempt", "levee.attempt", "levee.call");
            assertThat(recorder.names()).containsExactly("http.client.requests", "http.client.requests");
        });
    }

    /** A GET through a bound client of Spring Boot's builder: 503, then 200. */
    private static void getRetriedOnce(ApplicationContext context) {
        RestClient.Builder builder = context.getBean(UpstreamRestClients.class).builder("inventory").baseUrl("http://inventory.test");
        MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
        server.expect(ExpectedCount.once(), requestTo("http://inventory.test/stock/sku-1")).andRespond(withStatus(HttpStatus.SERVICE_UNAVAILABLE));
        server.expect(ExpectedCount.once(), requestTo("http://inventory.test/stock/sku-1")).andRespond(withSuccess("7", MediaType.TEXT_PLAIN));
        assertThat(builder.build().get().uri("/stock/{sku}", "sku-1").retrieve().body(String.class)).isEqualTo("7");
        server.verify();
    }

    private static String outcomeAndStatus(ClientRequestObservationContext context) {
        return context.getLowCardinalityKeyValue("outcome").getValue() + " " + context.getLowCardinalityKeyValue("status").getValue();
    }

    /** Every observation stopped, in order. */
    static final class Recorder implements ObservationHandler<Observation.Context> {

        private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }

        List<String> names() {
            return stopped.stream().map(Observation.Context::getName).toList();
        }

        List<ClientRequestObservationContext> exchanges() {
            return stopped.stream().filter(ClientRequestObservationContext.class::isInstance)
                    .map(ClientRequestObservationContext.class::cast).toList();
        }
    }
}
