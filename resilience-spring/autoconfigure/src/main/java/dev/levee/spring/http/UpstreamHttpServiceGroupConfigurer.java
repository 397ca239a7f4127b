package dev.levee.spring.http;

import org.springframework.core.Ordered;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;

/**
 * Protects HTTP service client groups whose name is a configured upstream: their {@code RestClient} gets the
 * upstream's interceptor, with no code beyond the properties. Runs after Spring Boot's own group
 * configurers, so the group's base URL and timeouts from {@code spring.http.serviceclient.*} still apply, and
 * puts Levee's interceptor in front of theirs, so that they run once per attempt
 * ({@link UpstreamRestClients#bind(String, RestClient.Builder)}).
 *
 * @since 0.1
 */
public final class UpstreamHttpServiceGroupConfigurer implements RestClientHttpServiceGroupConfigurer {

    private final UpstreamRestClients restClients;

    /**
     * Creates the configurer.
     *
     * @param restClients the source of interceptors
     */
    public UpstreamHttpServiceGroupConfigurer(UpstreamRestClients restClients) {
        this.restClients = restClients;
    }

    @Override
    public void configureGroups(Groups<RestClient.Builder> groups) {
        groups.filter(group -> restClients.has(group.name()))
                .forEachClient((group, builder) -> restClients.bind(group.name(), builder));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
