package dev.levee.spring.actuate;

import dev.levee.Upstream;
import dev.levee.Upstreams;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code upstreams} endpoint with operator controls: {@code POST /actuator/upstreams/{name}} with
 * {@code {"circuit": "force-open" | "close" | "reset"}}. Registered instead of the read-only endpoint only
 * when {@code levee.endpoint.write-operations-enabled=true}; whether it is reachable over HTTP is still
 * decided by {@code management.endpoints.*}.
 *
 * @since 0.1
 */
@Endpoint(id = "upstreams")
public class UpstreamsControlEndpoint extends UpstreamsEndpoint {

    /**
     * Creates the endpoint.
     *
     * @param upstreams the registry
     */
    public UpstreamsControlEndpoint(Upstreams upstreams) {
        super(upstreams);
    }

    /**
     * Changes an upstream's circuit by hand.
     *
     * @param name the upstream's name
     * @param circuit {@code force-open}, {@code close} or {@code reset}
     * @return the upstream's descriptor after the change
     * @throws InvalidEndpointRequestException (400) if there is no upstream of that name, or for any other action
     */
    @WriteOperation
    public UpstreamDescriptor control(@Selector String name, String circuit) {
        Optional<Upstream> found = registry().find(name);
        if (found.isEmpty()) {
            // Not null: a write operation answering null is a 204, which would tell an operator who mistyped the
            // name that the circuit was changed.
            throw new InvalidEndpointRequestException("no upstream named '" + name + "'; registered: " + registry().names(),
                    "Unknown upstream '" + name + "'");
        }
        Upstream u = found.get();
        switch (circuit) {
            case "force-open" -> u.forceCircuitOpen();
            case "close" -> u.closeCircuit();
            case "reset" -> u.resetCircuit();
            default -> throw new InvalidEndpointRequestException(
                    "circuit must be force-open, close or reset, but was '" + circuit + "'", "Invalid circuit action");
        }
        return UpstreamDescriptor.of(u);
    }
}
