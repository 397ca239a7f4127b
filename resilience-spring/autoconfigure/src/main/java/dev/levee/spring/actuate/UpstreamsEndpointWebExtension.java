package dev.levee.spring.actuate;

import dev.levee.Upstreams;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of the {@code upstreams} endpoint's circuit controls: a request that names no upstream is a 404,
 * and one whose {@code circuit} is none of the actions a 400; both bodies say what was wrong and list the valid
 * values, which Spring Boot's error page would not show. Like the operation it replaces, it exists only with
 * {@code management.endpoint.upstreams.access=unrestricted}. The same holds for the migration controls.
 *
 * @since 0.1
 */
@EndpointWebExtension(endpoint = UpstreamsEndpoint.class)
public class UpstreamsEndpointWebExtension {

    private final UpstreamsEndpoint endpoint;
    private final Upstreams upstreams;

    /**
     * Creates the extension.
     *
     * @param endpoint the endpoint it extends
     * @param upstreams the endpoint's registry
     */
    public UpstreamsEndpointWebExtension(UpstreamsEndpoint endpoint, Upstreams upstreams) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
    }

    /**
     * Changes an upstream's circuit by hand.
     *
     * @param name the upstream's name
     * @param circuit {@code force-open}, {@code close} or {@code reset} (any case); optional only so that its absence
     *     is answered like any other invalid value
     * @return 200 with the upstream's descriptor after the change; 404 naming the registered upstreams; 400
     *     naming the valid actions
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> control(@Selector String name, @Nullable String circuit) {
        if (upstreams.find(name).isEmpty()) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found", endpoint.unknown(name), upstreams.names());
        }
        if (CircuitAction.parse(circuit).isEmpty()) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", CircuitAction.invalid(circuit), CircuitAction.NAMES);
        }
        return new WebEndpointResponse<>(endpoint.control(name, circuit));
    }

    /**
     * Moves a provider migration by hand, as {@link UpstreamsEndpoint#moveMigration} does.
     *
     * @param migrations the literal {@code migrations}
     * @param name the migration's name
     * @param stage {@code off}, {@code shadow}, {@code ramp} or {@code complete} (any case)
     * @param percentage the candidate's share of keys in ramp, 0 to 100; the current one if left out
     * @param resume {@code true} to clear an automatic rollback
     * @return 200 with the migration's report after the change; 404 naming the migrations; 400 saying what was
     *     wrong and naming the stages
     * @since 0.3
     */
    @WriteOperation
    public WebEndpointResponse<Object> moveMigration(@Selector String migrations, @Selector String name,
            @Nullable String stage, @Nullable Double percentage, @Nullable Boolean resume) {
        if (!MigrationControl.PATH.equals(migrations) || upstreams.findMigration(name).isEmpty()) {
            return new WebEndpointResponse<>(error(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found",
                    MigrationControl.unknown(upstreams, name), upstreams.migrations().stream().map(m -> m.name()).toList()).getBody(),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        try {
            return new WebEndpointResponse<>(endpoint.moveMigration(migrations, name, stage, percentage, resume));
        } catch (org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException e) {
            return new WebEndpointResponse<>(error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", e.getMessage(),
                    MigrationControl.stageNames()).getBody(), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    private static WebEndpointResponse<OperationResponseBody> error(int status, String error, String message, List<String> validValues) {
        return new WebEndpointResponse<>(new ControlError(status, error, message, validValues), status);
    }

    /**
     * Why a circuit control was refused.
     *
     * @param status the HTTP status
     * @param error its reason phrase
     * @param message what was wrong
     * @param validValues what would have been accepted: the actions, or the registered upstreams
     * @since 0.1
     */
    public record ControlError(int status, String error, String message, List<String> validValues) implements OperationResponseBody {
    }
}
