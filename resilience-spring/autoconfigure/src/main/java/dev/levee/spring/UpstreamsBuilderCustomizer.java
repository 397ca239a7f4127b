package dev.levee.spring;

import dev.levee.Upstreams;

/**
 * Adjusts the {@link Upstreams} registry that Levee's auto-configuration builds: add observers or health
 * listeners, change limits. Customizers run in {@link org.springframework.core.Ordered order}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface UpstreamsBuilderCustomizer {

    /**
     * Adjusts the builder.
     *
     * @param builder the registry's builder, already bound to the application's meter registry
     */
    void customize(Upstreams.Builder builder);
}
