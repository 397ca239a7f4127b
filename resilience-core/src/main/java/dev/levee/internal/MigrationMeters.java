package dev.levee.internal;

import dev.levee.metrics.LeveeMeters;
import dev.levee.migration.MismatchKind;
import dev.levee.migration.ShadowOutcome;
import dev.levee.migration.Stage;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one migration, all registered at once and read from the migration's own counts: the call
 * path records nothing for them.
 */
final class MigrationMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    MigrationMeters(MeterRegistry registry, MigrationEngine<?, ?> m) {
        this.registry = registry;
        Tags tags = Tags.of(LeveeMeters.TAG_MIGRATION, m.name());
        for (Stage stage : Stage.values()) {
            meters.add(Gauge.builder(LeveeMeters.MIGRATION_STAGE, m, x -> x.peekRamp().stage() == stage ? 1 : 0).tags(tags)
                    .tag(LeveeMeters.TAG_STAGE, stage.name().toLowerCase(Locale.ROOT))
                    .description("1 for the migration's stage in force, 0 for the others").register(registry));
        }
        meters.add(Gauge.builder(LeveeMeters.MIGRATION_PERCENTAGE, m, x -> x.peekRamp().percentage()).tags(tags)
                .description("The candidate's share of keys in RAMP, in percent").register(registry));
        meters.add(Gauge.builder(LeveeMeters.MIGRATION_SHADOW_PAUSED, m, x -> x.paused() ? 1 : 0).tags(tags)
                .description("1 while shadowing is paused: the candidate is slow, unavailable or over the shadow budget")
                .register(registry));
        meters.add(Gauge.builder(LeveeMeters.MIGRATION_SHADOW_IN_FLIGHT, m, MigrationEngine::shadowInFlight).tags(tags)
                .description("Shadow calls in flight; never more than the candidate's bulkhead").register(registry));
        String[][] answers = {{"primary", "false"}, {"candidate", "false"}, {"primary", "true"}};
        for (int i = 0; i < answers.length; i++) {
            counter(LeveeMeters.MIGRATION_ANSWERS, m.answers[i], tags.and(LeveeMeters.TAG_PROVIDER, answers[i][0],
                    LeveeMeters.TAG_FALLBACK, answers[i][1]), "Calls answered, by provider; fallback=true when the primary answered after the candidate failed");
        }
        for (ShadowOutcome o : ShadowOutcome.values()) {
            counter(LeveeMeters.MIGRATION_SHADOW_CALLS, m.ledger.shadow[o.ordinal()], tags.and(LeveeMeters.TAG_OUTCOME, o.tag()),
                    "Chances to call the candidate in the shadow of the primary, by outcome");
        }
        for (MismatchKind k : MismatchKind.values()) {
            counter(LeveeMeters.MIGRATION_MISMATCHES, m.ledger.kinds[k.ordinal()], tags.and(LeveeMeters.TAG_KIND, k.tag()),
                    "Differences between the primary's and the candidate's answers, by kind");
        }
        for (MigrationEngine.RollbackReason r : MigrationEngine.RollbackReason.values()) {
            counter(LeveeMeters.MIGRATION_ROLLBACKS, m.rollbacks[r.ordinal()], tags.and(LeveeMeters.TAG_REASON, r.tag()),
                    "Automatic rollbacks of the migration to the primary, by reason");
        }
    }

    private void counter(String name, LongAdder count, Tags tags, String description) {
        meters.add(FunctionCounter.builder(name, count, LongAdder::sum).tags(tags).description(description).register(registry));
    }

    void close() {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
    }
}
