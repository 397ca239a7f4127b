package dev.levee.spring.autoconfigure;

import dev.levee.spring.LeveeProperties;
import dev.levee.spring.http.DeadlineFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Deadline propagation for servlet web applications: the {@link DeadlineFilter} binds an incoming request's
 * remaining budget (header {@code levee.deadline.header}, default {@code Levee-Deadline-Ms}) as the deadline
 * of the upstream calls made while serving it. Off with {@code levee.deadline.enabled=false}.
 *
 * @since 0.1
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = { "jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter" })
@ConditionalOnBooleanProperty(name = "levee.deadline.enabled", matchIfMissing = true)
public final class LeveeWebMvcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeadlineFilter leveeDeadlineFilter(LeveeProperties properties) {
        return new DeadlineFilter(properties.getDeadline().getHeader());
    }
}
