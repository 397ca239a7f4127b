package dev.levee.spring.autoconfigure;

import dev.levee.Upstreams;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.actuate.UpstreamsControlEndpoint;
import dev.levee.spring.actuate.UpstreamsEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code upstreams} actuator endpoint. Read-only unless {@code levee.endpoint.write-operations-enabled}
 * is true; like every endpoint, it is exposed over HTTP only if {@code management.endpoints.web.exposure}
 * says so: Levee never widens what Spring Boot exposes.
 *
 * @since 0.1
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(Upstreams.class)
@ConditionalOnAvailableEndpoint(UpstreamsEndpoint.class)
public final class LeveeEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    UpstreamsEndpoint upstreamsEndpoint(Upstreams upstreams, LeveeProperties properties) {
        return properties.getEndpoint().isWriteOperationsEnabled()
                ? new UpstreamsControlEndpoint(upstreams) : new UpstreamsEndpoint(upstreams);
    }
}
