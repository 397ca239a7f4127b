package dev.levee.spring.autoconfigure;

import dev.levee.Upstreams;
import dev.levee.spring.LeveeMigrations;
import dev.levee.spring.LeveeProperties;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import dev.levee.spring.actuate.MigrationsHealthIndicator;

/**
 * Provider migrations: a {@link LeveeMigrations} bean that creates them with {@code levee.migrations.<name>.*}
 * applied, validates those settings at startup, and fails the startup if a configured migration is never
 * created (its settings would otherwise be silently ignored); and the {@code migrations} health indicator
 * ({@link MigrationsHealthIndicator}, off with {@code management.health.migrations.enabled=false}).
 *
 * @since 0.3
 */
@AutoConfiguration(after = LeveeAutoConfiguration.class)
@ConditionalOnBean(Upstreams.class)
public final class LeveeMigrationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeveeMigrations leveeMigrations(Upstreams upstreams, LeveeProperties properties) {
        return new LeveeMigrations(upstreams, properties);
    }

    /** The {@code migrations} health indicator, where Spring Boot's health support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("migrations")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "migrationsHealthIndicator")
        MigrationsHealthIndicator migrationsHealthIndicator(Upstreams upstreams) {
            return new MigrationsHealthIndicator(upstreams);
        }
    }

    /** Runs once every singleton, so every migration bean, exists. */
    @Bean
    static SmartInitializingSingleton leveeMigrationsCheck(org.springframework.beans.factory.ObjectProvider<LeveeMigrations> migrations) {
        return () -> migrations.ifAvailable(LeveeMigrations::checkEveryConfiguredMigrationExists);
    }
}
