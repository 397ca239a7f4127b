package dev.levee.spring.actuate;

import dev.levee.Upstreams;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code migrations} health indicator: always UP, since the primary answers whatever becomes of a
 * migration, with each provider migration's stage, percentage, rollback and shadow state in its details, so a
 * rollback or a paused shadow shows where operators look for health. Never a value of an answer.
 *
 * @since 0.3
 */
public final class MigrationsHealthIndicator implements HealthIndicator {

    private final Upstreams upstreams;

    /**
     * Creates the indicator.
     *
     * @param upstreams the registry whose migrations it reports
     */
    public MigrationsHealthIndicator(Upstreams upstreams) {
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        for (Migration<?, ?> m : upstreams.migrations()) {
            MigrationReport r = m.report();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("stage", r.stage());
            details.put("percentage", r.percentage());
            details.put("primary", r.primary());
            details.put("candidate", r.candidate());
            details.put("rollback", r.rollback() == null ? "none" : r.rollback());
            details.put("shadow", r.shadowPaused() == null ? "running" : "paused: " + r.shadowPaused());
            if (r.mismatchRate() >= 0) {
                details.put("mismatchRate", r.mismatchRate());
            }
            health.withDetail(r.name(), details);
        }
        return health.build();
    }
}
