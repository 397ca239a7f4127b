package dev.levee.spring.actuate;

import dev.levee.Upstream;
import dev.levee.UpstreamHealth;
import dev.levee.Upstreams;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code upstreams} health contributor: one indicator per upstream. A critical upstream that is
 * unavailable is DOWN; every other upstream is UP, with its state and reason in the details, so an optional
 * dependency never takes the application out of rotation.
 *
 * @since 0.1
 */
public final class UpstreamsHealthContributor {

    private UpstreamsHealthContributor() {
    }

    /**
     * Builds the composite contributor for every registered upstream.
     *
     * @param upstreams the registry
     * @return the contributor
     */
    public static CompositeHealthContributor of(Upstreams upstreams) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        for (Upstream upstream : upstreams) {
            indicators.put(upstream.name(), () -> health(upstream.health()));
        }
        return CompositeHealthContributor.fromMap(indicators);
    }

    /**
     * The health of one upstream as Spring Boot reports it.
     *
     * @param h the upstream's snapshot
     * @return DOWN if the upstream blocks readiness, else UP; details in both cases
     */
    public static Health health(UpstreamHealth h) {
        Health.Builder b = h.blocksReadiness() ? Health.down() : Health.up();
        return b.withDetail("state", h.state())
                .withDetail("reason", h.reason())
                .withDetail("since", h.since().toString())
                .withDetail("criticality", h.criticality())
                .withDetail("owner", h.owner())
                .withDetail("circuitState", h.circuitState())
                .withDetail("failureRate", h.failureRate())
                .withDetail("slowCallRate", h.slowCallRate())
                .withDetail("inFlight", h.inFlight())
                .withDetail("maxConcurrentCalls", h.maxConcurrentCalls())
                .build();
    }
}
