package dev.levee.spring.autoconfigure;

import dev.levee.Upstreams;
import dev.levee.spring.actuate.UpstreamsHealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code upstreams} health contributor, one indicator per upstream (see
 * {@link UpstreamsHealthContributor}). Switch it off with {@code management.health.upstreams.enabled=false}.
 * To make critical upstreams part of readiness, include the contributor in the readiness group:
 * {@code management.endpoint.health.group.readiness.include=readinessState,upstreams}. Liveness never
 * includes it.
 *
 * @since 0.1
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(Upstreams.class)
@ConditionalOnEnabledHealthIndicator("upstreams")
public final class LeveeHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "upstreamsHealthContributor")
    HealthContributor upstreamsHealthContributor(Upstreams upstreams) {
        return UpstreamsHealthContributor.of(upstreams);
    }
}
