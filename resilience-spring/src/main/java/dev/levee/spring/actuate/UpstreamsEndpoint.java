package dev.levee.spring.actuate;

import dev.levee.Upstream;
import dev.levee.Upstreams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code upstreams} actuator endpoint: every dependency of the application with its owner, criticality,
 * health and reason, circuit and bulkhead figures, and effective configuration. Read-only; see
 * {@link UpstreamsControlEndpoint} for the operations that change state, which exist only when
 * {@code levee.endpoint.write-operations-enabled=true}.
 *
 * @since 0.1
 */
@Endpoint(id = "upstreams")
public class UpstreamsEndpoint {

    private final Upstreams upstreams;

    /**
     * Creates the endpoint.
     *
     * @param upstreams the registry
     */
    public UpstreamsEndpoint(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    /**
     * Lists every upstream.
     *
     * @return {@code {"upstreams": [...]}}
     */
    @ReadOperation
    public Map<String, List<UpstreamDescriptor>> upstreams() {
        List<UpstreamDescriptor> all = new ArrayList<>();
        for (Upstream u : upstreams) {
            all.add(UpstreamDescriptor.of(u));
        }
        return Map.of("upstreams", all);
    }

    /**
     * Describes one upstream.
     *
     * @param name the upstream's name
     * @return its descriptor, or {@code null} (404) if there is none of that name
     */
    @ReadOperation
    public @Nullable UpstreamDescriptor upstream(@Selector String name) {
        return upstreams.find(name).map(UpstreamDescriptor::of).orElse(null);
    }

    /**
     * The registry this endpoint shows.
     *
     * @return the registry
     */
    protected Upstreams registry() {
        return upstreams;
    }
}
