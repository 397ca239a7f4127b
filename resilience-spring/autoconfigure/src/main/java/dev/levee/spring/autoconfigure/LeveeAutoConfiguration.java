package dev.levee.spring.autoconfigure;

import dev.levee.InvalidSpecException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.UpstreamSpecCustomizer;
import dev.levee.spring.UpstreamSpecFactory;
import dev.levee.spring.UpstreamsBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

/**
 * Registers the {@link Upstreams} bean: every upstream under {@code levee.upstreams}, inheriting its base
 * configuration under {@code levee.configs} and {@code levee.defaults}, adjusted by {@link UpstreamSpecCustomizer}s,
 * bound to the application's {@link MeterRegistry} and {@link ObservationRegistry} if there are (calls and
 * attempts are observed as {@code levee.call} and {@code levee.attempt} unless
 * {@code levee.observations.enabled=false}). An invalid value fails startup with its full property path, also in
 * {@code levee.defaults} or a base configuration that no upstream uses. Once every singleton exists, a WARN names
 * what would leave upstreams silently unprotected: an optional dependency a configured feature needs
 * ({@code spring-boot-starter-restclient} for HTTP service groups and {@code http.*} settings), and in one line the HTTP
 * service groups named like no upstream together with the upstreams no group is named after. Before the
 * application reports ready, a throwaway upstream of its own runs the call path's classes and threads
 * ({@code levee.warm-up.enabled=false} turns that off).
 *
 * @since 0.1
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@EnableConfigurationProperties(LeveeProperties.class)
public final class LeveeAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Upstreams leveeUpstreams(LeveeProperties properties, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<UpstreamsBuilderCustomizer> builderCustomizers, ObjectProvider<UpstreamSpecCustomizer> specCustomizers,
            ObjectProvider<ObservationRegistry> observationRegistry, SpecBinder binder) {
        Upstreams.Builder builder = Upstreams.builder().maxUpstreams(properties.getMaxUpstreams());
        meterRegistry.ifUnique(builder::meterRegistry);
        if (properties.getObservations().isEnabled()) {
            observationRegistry.ifUnique(builder::observationRegistry);
        }
        builderCustomizers.orderedStream().forEach(c -> c.customize(builder));
        Upstreams upstreams;
        try {
            upstreams = builder.build();
        } catch (InvalidSpecException e) {
            String property = e.field().equals("maxUpstreams") ? "levee.max-upstreams" : "Upstreams.Builder." + e.field();
            throw new LeveeConfigurationException(property, e.value(), e.allowed(), e);
        }
        try {
            Map<String, UpstreamSpec.Builder> specs = binder.builders();
            specCustomizers.orderedStream().forEach(c -> c.customize(specs));
            for (Map.Entry<String, UpstreamSpec.Builder> e : specs.entrySet()) {
                UpstreamSpec spec = binder.build(e.getKey(), e.getValue());
                if (!spec.name().equals(e.getKey())) {
                    throw new IllegalStateException("an UpstreamSpecCustomizer put the spec of upstream '" + spec.name()
                            + "' under the key '" + e.getKey() + "'; keys must equal the names");
                }
                try {
                    upstreams.register(spec);
                } catch (IllegalArgumentException limit) {
                    if (specs.size() > properties.getMaxUpstreams()) { // else a builder customizer set the limit
                        throw new LeveeConfigurationException("levee.max-upstreams", String.valueOf(properties.getMaxUpstreams()),
                                "at least " + specs.size() + " (the number of upstreams) and at most 1000", limit);
                    }
                    throw limit;
                }
            }
            return upstreams;
        } catch (RuntimeException e) {
            upstreams.close();
            throw e;
        }
    }

    /** Binds {@code levee.*} to specs, checking {@code levee.defaults} and {@code levee.configs} first. */
    @Bean
    SpecBinder leveeSpecBinder(LeveeProperties properties, ResourceLoader resourceLoader) {
        return new SpecBinder(properties, resourceLoader.getClassLoader());
    }

    @Bean
    UpstreamSpecFactory leveeUpstreamSpecFactory(SpecBinder binder) {
        return new UpstreamSpecFactory() {
            @Override
            public UpstreamSpec.Builder named(String name) {
                return binder.inCode(name, null);
            }

            @Override
            public UpstreamSpec.Builder named(String name, String baseConfig) {
                return binder.inCode(name, Objects.requireNonNull(baseConfig, "baseConfig"));
            }
        };
    }

    @Bean
    StartupWarnings leveeStartupWarnings(ListableBeanFactory beans, Upstreams upstreams, LeveeProperties properties,
            ResourceLoader resourceLoader) {
        return new StartupWarnings(beans, upstreams, properties, resourceLoader.getClassLoader());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "levee.warm-up.enabled", matchIfMissing = true)
    WarmUp leveeWarmUp() {
        return new WarmUp();
    }
}
