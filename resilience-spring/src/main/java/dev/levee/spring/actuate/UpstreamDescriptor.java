package dev.levee.spring.actuate;

import dev.levee.Upstream;
import dev.levee.UpstreamHealth;
import dev.levee.UpstreamSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code upstreams} endpoint shows of one upstream: who owns it, how critical it is, its health and
 * why, its circuit and bulkhead figures, and its effective configuration.
 *
 * @param name the upstream's name
 * @param owner its owner
 * @param criticality {@code CRITICAL} or {@code OPTIONAL}
 * @param health state, reason and since
 * @param circuit state and rates over the breaker's window
 * @param bulkhead in-flight calls and the limit
 * @param configuration the effective settings
 * @since 0.1
 */
public record UpstreamDescriptor(String name, String owner, String criticality, Map<String, Object> health,
        Map<String, Object> circuit, Map<String, Object> bulkhead, Map<String, Object> configuration) {

    /**
     * Describes an upstream now.
     *
     * @param upstream the upstream
     * @return its descriptor
     */
    public static UpstreamDescriptor of(Upstream upstream) {
        UpstreamHealth h = upstream.health();
        UpstreamSpec s = upstream.spec();
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("state", h.state());
        health.put("reason", h.reason());
        health.put("since", h.since().toString());
        health.put("blocksReadiness", h.blocksReadiness());
        Map<String, Object> circuit = new LinkedHashMap<>();
        circuit.put("state", h.circuitState());
        circuit.put("failureRate", h.failureRate());
        circuit.put("slowCallRate", h.slowCallRate());
        circuit.put("callsInWindow", h.callsInWindow());
        Map<String, Object> bulkhead = new LinkedHashMap<>();
        bulkhead.put("inFlight", h.inFlight());
        bulkhead.put("maxConcurrentCalls", h.maxConcurrentCalls());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("attemptTimeout", s.attemptTimeout().toString());
        config.put("timeoutMode", s.timeoutMode());
        config.put("deadline", s.deadline().toString());
        Map<String, Object> cb = new LinkedHashMap<>();
        cb.put("failureRateThreshold", s.circuitBreaker().failureRateThreshold());
        cb.put("slowCallThreshold", s.slowCallThreshold().toString());
        cb.put("slowCallRateThreshold", s.circuitBreaker().slowCallRateThreshold());
        cb.put("windowType", s.circuitBreaker().windowType());
        cb.put("windowSize", s.circuitBreaker().windowSize());
        cb.put("minimumCalls", s.circuitBreaker().minimumCalls());
        cb.put("waitInOpenState", s.circuitBreaker().waitInOpenState().toString());
        cb.put("halfOpenProbes", s.circuitBreaker().halfOpenProbes());
        config.put("circuitBreaker", cb);
        Map<String, Object> retry = new LinkedHashMap<>();
        retry.put("maxAttempts", s.retry().maxAttempts());
        retry.put("initialBackoff", s.retry().initialBackoff().toString());
        retry.put("multiplier", s.retry().multiplier());
        retry.put("jitter", s.retry().jitter());
        retry.put("maxBackoff", s.retry().maxBackoff().toString());
        retry.put("budgetRatio", s.retry().budgetRatio());
        retry.put("budgetMinRetries", s.retry().budgetMinRetries());
        retry.put("budgetWindow", s.retry().budgetWindow().toString());
        config.put("retry", retry);
        Map<String, Object> bh = new LinkedHashMap<>();
        bh.put("maxConcurrentCalls", s.bulkhead().maxConcurrentCalls());
        bh.put("maxWait", s.bulkhead().maxWait().toString());
        config.put("bulkhead", bh);
        return new UpstreamDescriptor(s.name(), s.owner(), s.criticality().name(), health, circuit, bulkhead, config);
    }
}
