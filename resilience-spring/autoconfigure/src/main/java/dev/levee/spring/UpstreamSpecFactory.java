package dev.levee.spring;

import dev.levee.UpstreamSpec;

/**
 * Builders for upstreams registered in code that inherit what {@code application.yml} says every upstream
 * inherits: {@code levee.defaults}, and a base configuration under {@code levee.configs}. An upstream added with
 * {@link UpstreamSpec#named(String)} starts from the core's defaults instead; only {@code levee.defaults.http.*}
 * applies to it.
 *
 * <pre>{@code
 * @Bean
 * UpstreamSpecCustomizer reports(UpstreamSpecFactory factory) {
 *     return specs -> specs.put("reports", factory.named("reports", "slow-batch").owner("reporting-team"));
 * }
 * }</pre>
 *
 * @since 0.2
 */
public interface UpstreamSpecFactory {

    /**
     * A builder with {@code levee.defaults} applied (and the chain of {@code levee.defaults.base-config}, if set).
     *
     * @param name the upstream's name
     * @return a new builder; validation waits for {@code build()}
     * @throws LeveeConfigurationException if the name is not a valid upstream name
     */
    UpstreamSpec.Builder named(String name);

    /**
     * A builder with {@code levee.configs.<baseConfig>} (and its own base configurations), then
     * {@code levee.defaults}, applied.
     *
     * @param name the upstream's name
     * @param baseConfig the name of a configuration under {@code levee.configs}
     * @return a new builder; validation waits for {@code build()}
     * @throws LeveeConfigurationException if the name is not a valid upstream name or no such configuration exists
     */
    UpstreamSpec.Builder named(String name, String baseConfig);
}
