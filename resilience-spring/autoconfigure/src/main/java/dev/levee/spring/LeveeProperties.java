package dev.levee.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Levee's configuration properties, under {@code levee}. Unknown keys fail startup instead of being
 * ignored, so a misspelt setting never silently leaves an upstream unprotected.
 *
 * <pre>
 * levee:
 *   defaults:
 *     attempt-timeout: 500ms
 *   configs:
 *     slow-batch:
 *       attempt-timeout: 5s
 *       deadline: 20s
 *   upstreams:
 *     inventory:
 *       owner: inventory-team
 *       criticality: critical
 *       retry:
 *         max-attempts: 2
 *     reports:
 *       base-config: slow-batch
 * </pre>
 *
 * <p>How a setting is resolved (the upstream's own value, then its base configuration's, then
 * {@code levee.defaults}, then Levee's default) is described on {@link UpstreamProperties}.
 *
 * @since 0.1
 */
@ConfigurationProperties(prefix = "levee", ignoreUnknownFields = false)
public class LeveeProperties {

    /** Settings every upstream inherits unless it sets its own. */
    @NestedConfigurationProperty
    private final UpstreamProperties defaults = new UpstreamProperties();

    /** The upstreams, by name: lowercase letters, digits, '-', '_' and '.'. */
    private final Map<String, UpstreamProperties> upstreams = new LinkedHashMap<>();

    /**
     * Named base configurations, with the same settings as an upstream. An upstream, or another configuration,
     * names one with base-config to inherit the settings it does not set itself.
     */
    private final Map<String, UpstreamProperties> configs = new LinkedHashMap<>();

    /**
     * Provider migrations, by name: each one's primary and candidate upstreams, stage, percentage, shadow budget,
     * rollback thresholds and samples. The migration itself is created in code with LeveeMigrations.
     */
    private final Map<String, MigrationProperties> migrations = new LinkedHashMap<>();

    /** Most upstreams that may be registered (1-1000); each one has its own metrics. */
    private int maxUpstreams = 100;

    private final Deadline deadline = new Deadline();

    private final Endpoint endpoint = new Endpoint();

    private final Observations observations = new Observations();

    private final WarmUp warmUp = new WarmUp();

    public UpstreamProperties getDefaults() {
        return defaults;
    }

    public Map<String, UpstreamProperties> getUpstreams() {
        return upstreams;
    }

    public Map<String, UpstreamProperties> getConfigs() {
        return configs;
    }

    public Map<String, MigrationProperties> getMigrations() {
        return migrations;
    }

    public int getMaxUpstreams() {
        return maxUpstreams;
    }

    public void setMaxUpstreams(int maxUpstreams) {
        this.maxUpstreams = maxUpstreams;
    }

    public Deadline getDeadline() {
        return deadline;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    public Observations getObservations() {
        return observations;
    }

    public WarmUp getWarmUp() {
        return warmUp;
    }

    /** Deadline propagation over HTTP. */
    public static class Deadline {

        /**
         * Whether deadlines travel over HTTP at all: read from incoming requests, servlet or WebFlux (if trusted,
         * see trust-incoming), and sent on every request made through a Levee-bound RestClient, WebClient or HTTP
         * service client, carrying that call's own remaining time.
         */
        private boolean enabled = true;

        /** Header carrying the remaining time budget, in whole milliseconds. */
        private String header = "Levee-Deadline-Ms";

        /**
         * Whether an incoming request's budget (the header, 0-3600000 ms) bounds the upstream calls made while
         * serving it. On by default, for propagation between your own services: a header can only shorten calls,
         * never lengthen them, and an attempt it cuts shorter than the slow-call threshold does not count against
         * the circuit breaker. Turn it off where the callers are not yours (a public-facing service whose edge
         * does not strip the header), or they can make the service give up on its upstreams and answer with
         * fallbacks at will. Outgoing requests carry each call's own remaining time either way.
         */
        private boolean trustIncoming = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHeader() {
            return header;
        }

        public void setHeader(String header) {
            this.header = header;
        }

        public boolean isTrustIncoming() {
            return trustIncoming;
        }

        public void setTrustIncoming(boolean trustIncoming) {
            this.trustIncoming = trustIncoming;
        }
    }

    /**
     * The upstreams actuator endpoint. Its access (read-only by default; unrestricted allows the circuit
     * controls) is Spring Boot's: management.endpoint.upstreams.access.
     */
    public static class Endpoint {

        /**
         * How many recent events (circuit transitions, health changes) the endpoint keeps and shows per
         * upstream, oldest dropped first (0-1000; 0 keeps none).
         */
        private int recentEvents = 20;

        public int getRecentEvents() {
            return recentEvents;
        }

        public void setRecentEvents(int recentEvents) {
            this.recentEvents = recentEvents;
        }
    }

    /** Levee's own observations, made with the application's ObservationRegistry. */
    public static class Observations {

        /**
         * Whether each upstream call and each of its attempts is observed (levee.call and levee.attempt: spans
         * with a tracer, timers with a meter registry). Context propagation, and the observation of each
         * attempt's HTTP exchange (http.client.requests), do not depend on it.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Warming the call path before the application reports ready. */
    public static class WarmUp {

        /**
         * Whether a throwaway upstream of Levee's own runs the call path (and a RestClient built like the
         * application's, against a loopback server of its own) once every bean exists, so that the first real call
         * on a cold JVM does not spend its attempt timeout loading classes. The application's upstreams, circuits
         * and meters see nothing of it.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
