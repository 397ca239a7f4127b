package dev.levee.spring.http;

import dev.levee.Deadline;
import dev.levee.reactor.ReactorUpstream;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The WebFlux counterpart of {@link DeadlineFilter}, with the same rules: reads an incoming request's remaining
 * time budget from a header (whole milliseconds, 0 to {@value DeadlineFilter#MAX_MILLIS}) and puts it in the
 * Reactor context of the request's handling, under {@link Deadline#CONTEXT_KEY}, so that every upstream call
 * made through {@link ReactorUpstream} or a WebClient bound by {@link UpstreamWebClients} while serving it is
 * bounded by what remains, and carries what remains on in its own deadline header. Without the header, or with
 * a value that is not a whole number of milliseconds or is beyond an hour (logged at DEBUG), nothing changes; the
 * header never makes a request fail. The budget is counted from when the request reached this filter.
 *
 * <p>Registered only where incoming budgets are trusted ({@code levee.deadline.trust-incoming}). Thread-safe.
 *
 * @since 0.3
 */
public final class DeadlineWebFilter implements WebFilter, Ordered {

    private final String header;

    /**
     * Creates the filter.
     *
     * @param header the header carrying the remaining budget in milliseconds
     * @throws NullPointerException if {@code header} is null
     */
    public DeadlineWebFilter(String header) {
        this.header = Objects.requireNonNull(header, "header");
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String value = request.getHeaders().getFirst(header);
        if (value == null) {
            return chain.filter(exchange);
        }
        Deadline deadline = IncomingDeadline.read(header, value, request.getMethod().name(), request.getPath().value());
        return deadline == null ? chain.filter(exchange) : chain.filter(exchange).contextWrite(ReactorUpstream.deadline(deadline));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
