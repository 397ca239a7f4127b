package dev.levee.spring.autoconfigure;

import dev.levee.spring.LeveeProperties;
import dev.levee.spring.http.DeadlineWebFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Incoming deadlines for WebFlux applications: the {@link DeadlineWebFilter} puts an incoming request's
 * remaining budget (header {@code levee.deadline.header}, default {@code Levee-Deadline-Ms}) in the Reactor
 * context of its handling, with the same rules and conditions as the servlet filter of
 * {@link LeveeWebMvcAutoConfiguration}: registered unless {@code levee.deadline.enabled=false} or
 * {@code levee.deadline.trust-incoming=false} (see there for why incoming budgets are trusted by default).
 *
 * @since 0.3
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = { "org.springframework.web.server.WebFilter", "reactor.core.publisher.Mono" })
@ConditionalOnBooleanProperty(prefix = "levee.deadline", name = { "enabled", "trust-incoming" }, matchIfMissing = true)
public final class LeveeWebFluxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeadlineWebFilter leveeDeadlineWebFilter(LeveeProperties properties) {
        return new DeadlineWebFilter(DeadlineHeader.name(properties));
    }
}
