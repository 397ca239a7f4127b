package dev.levee.spring.autoconfigure;

import dev.levee.Upstreams;
import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.actuate.UpstreamEvents;
import dev.levee.spring.actuate.UpstreamsEndpoint;
import dev.levee.spring.actuate.UpstreamsEndpointWebExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code upstreams} actuator endpoint, with the recent events of every upstream
 * ({@code levee.endpoint.recent-events} per upstream). Its access is Spring Boot's:
 * {@code management.endpoint.upstreams.access} is {@code read-only} by default, {@code unrestricted} adds the
 * circuit controls, {@code none} removes it. Like every endpoint, it is exposed over HTTP only if
 * {@code management.endpoints.web.exposure} says so: Levee never widens what Spring Boot exposes.
 *
 * @since 0.1
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(Upstreams.class)
@ConditionalOnAvailableEndpoint(UpstreamsEndpoint.class)
public final class LeveeEndpointAutoConfiguration {

    /** Recorded through the registry's builder, so only for the registry Levee builds (see {@link UpstreamEvents}). */
    @Bean
    @ConditionalOnMissingBean
    UpstreamEvents upstreamEvents(LeveeProperties properties) {
        int recent = properties.getEndpoint().getRecentEvents();
        if (recent < 0 || recent > 1000) {
            throw new LeveeConfigurationException("levee.endpoint.recent-events", String.valueOf(recent),
                    "between 0 and 1000 (0 keeps none)", null);
        }
        return new UpstreamEvents(recent);
    }

    @Bean
    @ConditionalOnMissingBean
    UpstreamsEndpoint upstreamsEndpoint(Upstreams upstreams, ObjectProvider<UpstreamEvents> events) {
        return new UpstreamsEndpoint(upstreams, events.getIfUnique());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(UpstreamsEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = UpstreamsEndpoint.class, exposure = EndpointExposure.WEB)
    UpstreamsEndpointWebExtension upstreamsEndpointWebExtension(UpstreamsEndpoint endpoint, Upstreams upstreams) {
        return new UpstreamsEndpointWebExtension(endpoint, upstreams);
    }
}
