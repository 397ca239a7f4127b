package dev.levee.spring.http;

import org.springframework.core.Ordered;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;

/**
 * Protects HTTP service client groups backed by a {@code WebClient} whose name is a configured upstream: their
 * {@code WebClient} gets the upstream's filter, with no code beyond the properties. Runs after Spring Boot's own
 * group configurers, so the group's base URL from {@code spring.http.serviceclient.*} still applies, and puts
 * Levee's filter in front of theirs ({@link UpstreamWebClients#bind(String, WebClient.Builder)}).
 *
 * @since 0.3
 */
public final class UpstreamWebClientServiceGroupConfigurer implements WebClientHttpServiceGroupConfigurer {

    private final UpstreamWebClients webClients;

    /**
     * Creates the configurer.
     *
     * @param webClients the source of filters
     */
    public UpstreamWebClientServiceGroupConfigurer(UpstreamWebClients webClients) {
        this.webClients = webClients;
    }

    @Override
    public void configureGroups(Groups<WebClient.Builder> groups) {
        groups.filter(group -> webClients.has(group.name()))
                .forEachClient((group, builder) -> webClients.bind(group.name(), builder));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
