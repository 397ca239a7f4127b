package dev.levee.spring.autoconfigure;

import dev.levee.Upstreams;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.http.UpstreamHttpContract;
import dev.levee.spring.http.UpstreamHttpFallback;
import dev.levee.spring.http.UpstreamHttpServiceGroupConfigurer;
import dev.levee.spring.http.UpstreamRestClients;
import dev.levee.spring.http.UpstreamServiceFallback;
import dev.levee.spring.http.UpstreamServiceFallbackPostProcessor;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.observation.ClientRequestObservationConvention;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;
import org.springframework.web.client.RestClient;

/**
 * RestClient integration: {@link UpstreamRestClients} hands out builders bound to an upstream, and HTTP
 * service client groups named like an upstream are protected automatically. Statuses and methods are
 * classified by {@code levee.upstreams.<name>.http.*}, inherited like every setting from the upstream's base
 * configuration and {@code levee.defaults} (defaults: 5xx, 408 and 429 are failures; GET, HEAD, OPTIONS, PUT and
 * DELETE are retried).
 *
 * <p>Every {@link UpstreamHttpFallback} bean answers for its upstream when a call to it fails or is rejected;
 * every {@link UpstreamServiceFallback} bean makes the HTTP service client of its interface fall back to it.
 *
 * <p>Before the application reports ready, a client built like the application's makes two exchanges with a
 * server of its own on the loopback interface, so that the first real call does not load the RestClient path
 * (off with {@code levee.warm-up.enabled=false}).
 *
 * <p>With an {@link ObservationRegistry}, each attempt's exchange is observed instead of each call's, with the
 * application's {@link ClientRequestObservationConvention} bean if there is one, else Spring's default named by
 * {@code management.observations.http.client.requests.name}, as Spring Boot observes {@code RestClient}s.
 *
 * @since 0.1
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class,
        afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnClass({ RestClient.class, ClientHttpRequestFactoryBuilder.class })
@ConditionalOnBean(Upstreams.class)
public final class LeveeRestClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    UpstreamRestClients upstreamRestClients(Upstreams upstreams, LeveeProperties properties,
            ObjectProvider<RestClient.Builder> restClientBuilder, ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder,
            ObjectProvider<HttpClientSettings> httpClientSettings, ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<ClientRequestObservationConvention> observationConvention,
            ObjectProvider<UpstreamHttpFallback> fallbacks, ObjectProvider<UpstreamHttpContract> contracts, Environment environment) {
        HttpClassifications http = HttpClassifications.of(properties);
        String header = DeadlineHeader.outgoing(properties);
        // Spring Boot's client library and settings (spring.http.clients.*), with the upstream's timeouts.
        UpstreamRestClients clients = new UpstreamRestClients(upstreams, http.byUpstream(), http.unconfigured(), header,
                builders(restClientBuilder), requestFactories(requestFactoryBuilder, httpClientSettings))
                .withFallbacks(fallbacks.orderedStream().toList())
                .withContracts(contracts.orderedStream().toList());
        ObservationRegistry registry = observationRegistry.getIfUnique();
        if (registry == null) {
            return clients;
        }
        // Spring Boot's RestClient observation settings (RestClientObservationAutoConfiguration), applied per attempt.
        ClientRequestObservationConvention convention = observationConvention.getIfUnique(() -> new DefaultClientRequestObservationConvention(
                environment.getProperty("management.observations.http.client.requests.name", "http.client.requests")));
        return clients.observedBy(registry, convention);
    }

    private static Supplier<RestClient.Builder> builders(ObjectProvider<RestClient.Builder> restClientBuilder) {
        return () -> restClientBuilder.getIfAvailable(RestClient::builder);
    }

    private static BiFunction<Duration, Duration, ClientHttpRequestFactory> requestFactories(
            ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder, ObjectProvider<HttpClientSettings> httpClientSettings) {
        return (connect, read) -> requestFactoryBuilder.getIfAvailable(ClientHttpRequestFactoryBuilder::detect)
                .build(httpClientSettings.getIfAvailable(HttpClientSettings::defaults).withTimeouts(connect, read));
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "levee.warm-up.enabled", matchIfMissing = true)
    RestClientWarmUp leveeRestClientWarmUp(LeveeProperties properties, ObjectProvider<RestClient.Builder> restClientBuilder,
            ObjectProvider<ClientHttpRequestFactoryBuilder<?>> requestFactoryBuilder, ObjectProvider<HttpClientSettings> httpClientSettings) {
        return new RestClientWarmUp(builders(restClientBuilder), requestFactories(requestFactoryBuilder, httpClientSettings),
                DeadlineHeader.outgoing(properties));
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer")
    @ConditionalOnMissingBean
    UpstreamHttpServiceGroupConfigurer upstreamHttpServiceGroupConfigurer(UpstreamRestClients restClients) {
        return new UpstreamHttpServiceGroupConfigurer(restClients);
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer")
    @ConditionalOnMissingBean
    static UpstreamServiceFallbackPostProcessor upstreamServiceFallbackPostProcessor(ObjectProvider<UpstreamRestClients> restClients,
            ObjectProvider<UpstreamServiceFallback<?>> fallbacks) {
        return new UpstreamServiceFallbackPostProcessor(restClients, fallbacks);
    }
}
