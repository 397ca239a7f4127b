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
 * Incoming deadlines for servlet web applications: the {@link DeadlineFilter} binds an incoming request's
 * remaining budget (header {@code levee.deadline.header}, default {@code Levee-Deadline-Ms}) as the deadline
 * of the upstream calls made while serving it. Registered unless {@code levee.deadline.enabled=false} or
 * {@code levee.deadline.trust-incoming=false}; outgoing requests carry each call's own remaining time in
 * either case (see {@link LeveeRestClientAutoConfiguration}).
 *
 * <p>Why incoming budgets are trusted by default: propagation is what lets a service stop working for a caller
 * that has already given up, and it only works if the receiving side honours the header. What a caller can do
 * with it is bounded: a budget only ever shortens the calls made for that caller's own request (each call keeps
 * its configured deadline, and values beyond 1 h or not numbers are ignored), and an attempt it cuts shorter than
 * the slow-call threshold ends as {@code deadline_exceeded} without counting against the circuit breaker, so no
 * caller can open a circuit for the others with tiny budgets (an attempt given a slow call's time and still
 * unanswered counts, as it should: the upstream is slow). What is left, a caller choosing to receive fallbacks sooner, is harmless between your own services
 * but not something to offer strangers: a public-facing service sets {@code levee.deadline.trust-incoming=false}
 * (or its edge strips the header).
 *
 * @since 0.1
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = { "jakarta.servlet.Filter", "org.springframework.web.filter.OncePerRequestFilter" })
@ConditionalOnBooleanProperty(prefix = "levee.deadline", name = { "enabled", "trust-incoming" }, matchIfMissing = true)
public final class LeveeWebMvcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeadlineFilter leveeDeadlineFilter(LeveeProperties properties) {
        return new DeadlineFilter(DeadlineHeader.name(properties));
    }
}
