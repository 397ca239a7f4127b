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
 *   upstreams:
 *     inventory:
 *       owner: inventory-team
 *       criticality: critical
 *       retry:
 *         max-attempts: 2
 * </pre>
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

    /** Most upstreams that may be registered (1-1000); each one has its own metrics. */
    private int maxUpstreams = 100;

    private final Deadline deadline = new Deadline();

    private final Endpoint endpoint = new Endpoint();

    private final Observations observations = new Observations();

    public UpstreamProperties getDefaults() {
        return defaults;
    }

    public Map<String, UpstreamProperties> getUpstreams() {
        return upstreams;
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

    /** Deadline propagation over HTTP. */
    public static class Deadline {

        /**
         * Whether an incoming request's remaining time budget, read from the header, bounds the upstream calls
         * made while serving it, and is passed on to upstream requests.
         */
        private boolean enabled = true;

        /** Header carrying the remaining time budget, in milliseconds. */
        private String header = "Levee-Deadline-Ms";

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
    }

    /** The upstreams actuator endpoint. */
    public static class Endpoint {

        /**
         * Whether the endpoint offers operations that change state (force open, close, reset a circuit).
         * Off by default; exposing the endpoint over HTTP is still governed by management.endpoints.
         */
        private boolean writeOperationsEnabled;

        public boolean isWriteOperationsEnabled() {
            return writeOperationsEnabled;
        }

        public void setWriteOperationsEnabled(boolean writeOperationsEnabled) {
            this.writeOperationsEnabled = writeOperationsEnabled;
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
}
