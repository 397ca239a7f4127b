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
     * @return DOWN if the upstream blocks readiness, else UP; details in both cases, rates only once the breaker's
     *     window holds its minimum number of calls
     */
    public static Health health(UpstreamHealth h) {
        Health.Builder b = h.blocksReadiness() ? Health.down() : Health.up();
        b.withDetail("state", h.state())
                .withDetail("reason", h.reason())
                .withDetail("since", h.since().toString())
                .withDetail("criticality", h.criticality())
                .withDetail("owner", h.owner())
                .withDetail("circuitState", h.circuitState());
        // A rate the breaker cannot tell yet (-1: too few calls in its window) is left out, as on the endpoint.
        if (h.failureRate() >= 0) {
            b.withDetail("failureRate", h.failureRate());
        }
        if (h.slowCallRate() >= 0) {
            b.withDetail("slowCallRate", h.slowCallRate());
        }
        return b.withDetail("inFlight", h.inFlight())
                .withDetail("maxConcurrentCalls", h.maxConcurrentCalls())
                .build();
    }
}
