package dev.levee.spring;

import dev.levee.InvalidSpecException;
import dev.levee.Upstreams;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Creates provider migrations in the application's {@link Upstreams}, with the settings of
 * {@code levee.migrations.<name>} applied over the spec the code builds (see {@link MigrationProperties}).
 *
 * <pre>{@code
 * @Bean
 * Migration<String, Recommendations> recommendationsMigration(LeveeMigrations migrations) {
 *     return migrations.migrate(MigrationSpec.<String, Recommendations>named("recommendations")
 *             .primary("recommendations", (sku, ctx) -> v1.fetch(sku), V1_ADAPTER)
 *             .candidate("recommendations-v2", (sku, ctx) -> v2.fetch(sku), V2_ADAPTER)
 *             .key(sku -> sku)
 *             .build());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.3
 */
public final class LeveeMigrations {

    private static final String PREFIX = "levee.migrations";
    /** Each spec field a property sets, by the property's path under the migration. */
    private static final Map<String, String> PROPERTY_OF_FIELD = Map.of("primary", "primary", "candidate", "candidate",
            "percentage", "percentage", "shadowCallsPerSecond", "shadow-calls-per-second",
            "rollbackMismatchRate", "rollback.mismatch-rate", "mismatchWindow", "rollback.window", "samples", "samples");

    private final Upstreams upstreams;
    private final Map<String, MigrationProperties> configured;

    /**
     * Checks every configured migration's values and upstreams.
     *
     * @param upstreams the application's registry, where migrations are created
     * @param properties Levee's properties
     * @throws LeveeConfigurationException naming the first property whose value cannot be accepted
     */
    public LeveeMigrations(Upstreams upstreams, LeveeProperties properties) {
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.configured = Map.copyOf(properties.getMigrations());
        configured.forEach((name, settings) -> {
            MigrationSpec.Builder<Object, Object> probe;
            try {
                probe = MigrationSpec.named(name);
            } catch (InvalidSpecException e) {
                throw new LeveeConfigurationException(path(name, null), "'" + name + "'",
                        "a name of 1 to 64 lowercase letters, digits, '-', '_' or '.'", e);
            }
            upstream(name, "primary", settings.getPrimary());
            upstream(name, "candidate", settings.getCandidate());
            String primary = settings.getPrimary() != null ? settings.getPrimary() : "probe-primary";
            String candidate = settings.getCandidate() != null ? settings.getCandidate() : "probe-candidate";
            apply(name, settings, probe.primary(primary, (q, ctx) -> q, dev.levee.Adapter.identity())
                    .candidate(candidate, (q, ctx) -> q, dev.levee.Adapter.identity()));
        });
    }

    private void upstream(String migration, String side, @Nullable String upstream) {
        if (upstream != null && upstreams.find(upstream).isEmpty()) {
            throw new LeveeConfigurationException(path(migration, side), "'" + upstream + "'",
                    "the name of a registered upstream (" + String.join(", ", upstreams.names()) + ")", null);
        }
    }

    /**
     * Creates a migration, applying {@code levee.migrations.<spec's name>.*} over the spec.
     *
     * @param spec the migration as the code defines it
     * @param <Q> the request type
     * @param <R> the domain answer type
     * @return the migration, to call in place of the primary
     * @throws LeveeConfigurationException if a property's value cannot be accepted for this spec
     * @throws IllegalArgumentException if an upstream is not registered or the name is taken
     */
    public <Q, R> Migration<Q, R> migrate(MigrationSpec<Q, R> spec) {
        Objects.requireNonNull(spec, "spec");
        MigrationProperties settings = configured.get(spec.name());
        if (settings == null) {
            return upstreams.migrate(spec);
        }
        return upstreams.migrate(apply(spec.name(), settings, spec.toBuilder()));
    }

    /** The migrations configured under {@code levee.migrations} that the application has not created. */
    Set<String> notCreated() {
        Set<String> missing = new TreeSet<>(configured.keySet());
        upstreams.migrations().forEach(m -> missing.remove(m.name()));
        return missing;
    }

    /**
     * Fails when a migration is configured but never created: its settings would be silently ignored.
     *
     * @throws LeveeConfigurationException naming the first such migration
     */
    public void checkEveryConfiguredMigrationExists() {
        Set<String> missing = notCreated();
        if (!missing.isEmpty()) {
            String name = missing.iterator().next();
            List<String> created = upstreams.migrations().stream().map(Migration::name).toList();
            throw new LeveeConfigurationException(path(name, null), "configured, but no migration of that name was created",
                    "the name of a migration the application creates with LeveeMigrations.migrate (created: "
                            + (created.isEmpty() ? "none" : String.join(", ", created)) + ")", null);
        }
    }

    private static <Q, R> MigrationSpec<Q, R> apply(String name, MigrationProperties p, MigrationSpec.Builder<Q, R> b) {
        try {
            if (p.getPrimary() != null) {
                b.primaryUpstream(p.getPrimary());
            }
            if (p.getCandidate() != null) {
                b.candidateUpstream(p.getCandidate());
            }
            if (p.getStage() != null) {
                b.stage(p.getStage());
            }
            if (p.getPercentage() != null) {
                b.percentage(p.getPercentage());
            }
            if (p.getShadowCallsPerSecond() != null) {
                b.shadowCallsPerSecond(p.getShadowCallsPerSecond());
            }
            if (p.getSamples() != null) {
                MigrationSpec<Q, R> current = b.build();
                b.samples(p.getSamples(), current.redactor());
            }
            MigrationProperties.Rollback r = p.getRollback();
            if (r.getOnCandidateUnavailable() != null) {
                b.rollbackOnCandidateUnavailable(r.getOnCandidateUnavailable());
            }
            if (r.getMismatchRate() != null || r.getWindow() != null) {
                MigrationSpec<Q, R> current = b.build();
                b.rollbackMismatchRate(r.getMismatchRate() != null ? r.getMismatchRate() : current.rollbackMismatchRate(),
                        r.getWindow() != null ? r.getWindow() : current.mismatchWindow());
            }
            return b.build();
        } catch (InvalidSpecException e) {
            String property = PROPERTY_OF_FIELD.get(e.field());
            throw new LeveeConfigurationException(property != null ? path(name, property) : path(name, null) + " (" + e.field() + ")",
                    e.value(), e.allowed(), e);
        }
    }

    private static String path(String migration, @Nullable String property) {
        String entry = migration.matches("[a-z0-9][a-z0-9-]*") ? PREFIX + "." + migration : PREFIX + "[" + migration + "]";
        return property == null ? entry : entry + "." + property;
    }
}
