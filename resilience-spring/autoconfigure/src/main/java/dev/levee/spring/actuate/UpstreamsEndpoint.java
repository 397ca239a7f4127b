package dev.levee.spring.actuate;

import dev.levee.Upstream;
import dev.levee.Upstreams;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code upstreams} actuator endpoint: every dependency of the application with its owner, criticality,
 * health and reason, circuit and bulkhead figures and effective configuration; one upstream's page adds its
 * recent events. Operators can change a circuit by hand: {@code POST /actuator/upstreams/{name}} with
 * {@code {"circuit": "force-open" | "close" | "reset"}}. Provider migrations are listed beside the upstreams
 * with their mismatch reports, and can be moved: {@code POST /actuator/upstreams/migrations/{name}} with
 * {@code {"stage": "ramp", "percentage": 10}} or {@code {"resume": true}}.
 *
 * <p>Access follows Spring Boot's model: read-only by default, so the circuit controls exist only with
 * {@code management.endpoint.upstreams.access=unrestricted} (or {@code management.endpoints.access.default}),
 * and so do the migration controls;
 * {@code none} removes the endpoint. Exposure over HTTP is decided by {@code management.endpoints.web.exposure}, as
 * for any endpoint: Levee never widens what Spring Boot exposes.
 *
 * @since 0.1
 */
@Endpoint(id = "upstreams", defaultAccess = Access.READ_ONLY)
public class UpstreamsEndpoint {

    private final Upstreams upstreams;
    private final @Nullable UpstreamEvents events;

    /**
     * Creates the endpoint, without recent events.
     *
     * @param upstreams the registry
     */
    public UpstreamsEndpoint(Upstreams upstreams) {
        this(upstreams, null);
    }

    /**
     * Creates the endpoint.
     *
     * @param upstreams the registry
     * @param events the recent events of its upstreams, or {@code null} to show none
     */
    public UpstreamsEndpoint(Upstreams upstreams, @Nullable UpstreamEvents events) {
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.events = events;
    }

    /**
     * Lists every upstream, without their events.
     *
     * @return {@code {"upstreams": [...]}}
     */
    @ReadOperation
    public UpstreamsDescriptor upstreams() {
        List<UpstreamDescriptor> all = new ArrayList<>();
        for (Upstream u : upstreams) {
            all.add(UpstreamDescriptor.of(u));
        }
        return new UpstreamsDescriptor(all, MigrationControl.reports(upstreams));
    }

    /**
     * Reports one provider migration: {@code GET /actuator/upstreams/migrations/{name}}, with its stage, shadow
     * state, rollback and mismatch report (values hashed; redacted samples only where the migration keeps them).
     *
     * @param migrations the literal {@code migrations}
     * @param name the migration's name
     * @return the report, or {@code null} (404) if there is no migration of that name
     * @since 0.3
     */
    @ReadOperation
    public @Nullable MigrationReport migration(@Selector String migrations, @Selector String name) {
        return MigrationControl.PATH.equals(migrations) ? upstreams.findMigration(name).map(Migration::report).orElse(null) : null;
    }

    /**
     * Moves a provider migration by hand: {@code POST /actuator/upstreams/migrations/{name}} with
     * {@code {"stage": "ramp", "percentage": 10}} (an explicit move also clears an automatic rollback), or
     * {@code {"resume": true}} to clear a rollback and keep the stage. Exists only with unrestricted access.
     *
     * @param migrations the literal {@code migrations}
     * @param name the migration's name
     * @param stage {@code off}, {@code shadow}, {@code ramp} or {@code complete} (any case)
     * @param percentage the candidate's share of keys in ramp, 0 to 100; the current one if left out
     * @param resume {@code true} to clear an automatic rollback
     * @return the migration's report after the change
     * @throws InvalidEndpointRequestException (400) naming what was wrong and what is allowed
     * @since 0.3
     */
    @WriteOperation
    public MigrationReport moveMigration(@Selector String migrations, @Selector String name, @Nullable String stage,
            @Nullable Double percentage, @Nullable Boolean resume) {
        return MigrationControl.move(upstreams, migrations, name, stage, percentage, resume);
    }

    /**
     * Describes one upstream, with its recent events.
     *
     * @param name the upstream's name
     * @return its descriptor, or {@code null} (404) if there is none of that name
     */
    @ReadOperation
    public @Nullable UpstreamDescriptor upstream(@Selector String name) {
        return upstreams.find(name).map(this::describe).orElse(null);
    }

    /**
     * Changes an upstream's circuit by hand. Exists only with unrestricted access.
     *
     * @param name the upstream's name
     * @param circuit {@code force-open}, {@code close} or {@code reset} (any case); optional only so that its absence
     *     is answered like any other invalid value
     * @return the upstream's descriptor after the change
     * @throws InvalidEndpointRequestException (400) if there is no upstream of that name or the action is none of
     *     those, naming the valid ones
     */
    @WriteOperation
    public UpstreamDescriptor control(@Selector String name, @Nullable String circuit) {
        Optional<Upstream> found = upstreams.find(name);
        if (found.isEmpty()) {
            // Not null: a write operation answering null is a 204, which would tell an operator who mistyped the
            // name that the circuit was changed.
            throw new InvalidEndpointRequestException(unknown(name), "Unknown upstream '" + name + "'");
        }
        CircuitAction action = CircuitAction.parse(circuit).orElseThrow(
                () -> new InvalidEndpointRequestException(CircuitAction.invalid(circuit), CircuitAction.invalid(circuit)));
        action.applyTo(found.get());
        return describe(found.get());
    }

    String unknown(String name) {
        return "no upstream named '" + name + "'; registered: " + String.join(", ", upstreams.names());
    }

    private UpstreamDescriptor describe(Upstream upstream) {
        return UpstreamDescriptor.of(upstream, events);
    }

    /**
     * Every upstream, as the endpoint lists them.
     *
     * @param upstreams their descriptors, in registration order, without events
     * @param migrations the report of each provider migration, in creation order (since 0.3)
     * @since 0.1
     */
    public record UpstreamsDescriptor(List<UpstreamDescriptor> upstreams, List<MigrationReport> migrations)
            implements OperationResponseBody {

        /**
         * Upstreams without migrations.
         *
         * @param upstreams their descriptors
         */
        public UpstreamsDescriptor(List<UpstreamDescriptor> upstreams) {
            this(upstreams, List.of());
        }
    }
}
