/**
 * Provider migration: one port answered by two providers, each an {@link dev.levee.Upstream} with its own
 * adapter, moved from the primary to the candidate in {@linkplain dev.levee.migration.Stage stages}: shadow
 * calls compared at the domain level, a sticky percentage ramp, automatic rollback.
 *
 * <pre>{@code
 * Migration<String, Recommendations> recs = upstreams.migrate(MigrationSpec.<String, Recommendations>named("recommendations")
 *         .primary("recs-v1", (customer, ctx) -> v1.fetch(customer), V1Adapter.INSTANCE)
 *         .candidate("recs-v2", (customer, ctx) -> v2.fetch(customer), V2Adapter.INSTANCE)
 *         .key(customer -> customer)
 *         .stage(Stage.SHADOW)
 *         .build());
 * Recommendations answer = recs.call("customer-42");
 * }</pre>
 *
 * <p>Covered by semantic versioning like {@code dev.levee}; the behaviour lives in {@code dev.levee.internal}.
 *
 * @since 0.3
 */
@NullMarked
package dev.levee.migration;

import org.jspecify.annotations.NullMarked;
