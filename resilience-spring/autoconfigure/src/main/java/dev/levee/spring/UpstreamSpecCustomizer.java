package dev.levee.spring;

import dev.levee.UpstreamSpec;
import java.util.Map;

/**
 * Adjusts, or adds to, the upstream specs built from {@code levee.*} properties before they are registered.
 * Customizers run in {@link org.springframework.core.Ordered order}. An upstream added here with
 * {@link UpstreamSpec#named(String)} starts from the core's defaults; one made by the {@link UpstreamSpecFactory}
 * bean inherits {@code levee.defaults} and a base configuration, as a configured upstream does.
 *
 * <pre>{@code
 * @Bean
 * UpstreamSpecCustomizer pricingRules() {
 *     return specs -> specs.get("pricing").classification(c -> c.callerFault(PricingClient.BadSku.class));
 * }
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface UpstreamSpecCustomizer {

    /**
     * Adjusts the builders, keyed by upstream name; put a new builder to add an upstream.
     *
     * @param specs the builders, mutable; a key must equal its builder's name
     */
    void customize(Map<String, UpstreamSpec.Builder> specs);
}
