package dev.levee.spring.autoconfigure;

import dev.levee.Upstreams;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.http.UpstreamHttpFallback;
import dev.levee.spring.http.UpstreamWebClientServiceGroupConfigurer;
import dev.levee.spring.http.UpstreamWebClients;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * WebClient integration: {@link UpstreamWebClients} hands out {@code WebClient} builders bound to an upstream
 * (from Spring Boot's auto-configured builder, so its codecs and customizers apply), and HTTP service client
 * groups backed by a {@code WebClient} and named like an upstream are protected automatically. Statuses and
 * methods are classified by {@code levee.upstreams.<name>.http.*}, as for {@code RestClient}; every
 * {@link UpstreamHttpFallback} bean answers for its upstream here too. Each attempt carries its remaining time in
 * {@code levee.deadline.header} unless {@code levee.deadline.enabled=false}.
 *
 * <p>Needs WebClient and Reactor on the classpath; backs off when the application defines its own
 * {@link UpstreamWebClients}.
 *
 * @since 0.3
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class,
        afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass({ WebClient.class, reactor.core.publisher.Mono.class })
@ConditionalOnBean(Upstreams.class)
public final class LeveeWebClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    UpstreamWebClients upstreamWebClients(Upstreams upstreams, LeveeProperties properties,
            ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<UpstreamHttpFallback> fallbacks) {
        HttpClassifications http = HttpClassifications.of(properties);
        return new UpstreamWebClients(upstreams, http.byUpstream(), http.unconfigured(), DeadlineHeader.outgoing(properties),
                () -> webClientBuilder.getIfAvailable(WebClient::builder))
                .withFallbacks(fallbacks.orderedStream().toList());
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer")
    @ConditionalOnMissingBean
    UpstreamWebClientServiceGroupConfigurer upstreamWebClientServiceGroupConfigurer(UpstreamWebClients webClients) {
        return new UpstreamWebClientServiceGroupConfigurer(webClients);
    }
}
