package dev.levee.spring.http;

import dev.levee.CallerFaultException;
import dev.levee.Upstreams;
import dev.levee.reactor.ReactorUpstream;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Hands out {@code WebClient} builders bound to a named upstream, as {@link UpstreamRestClients} does for
 * {@code RestClient}: every exchange of a client built from one goes through that upstream's call path
 * ({@link UpstreamExchangeFilterFunction}), with the upstream's HTTP classification ({@code levee.upstreams.<name>.http.*}).
 *
 * <pre>{@code
 * WebClient inventory = webClients.builder("inventory").baseUrl(url).build();
 * Mono<Stock> stock = inventory.get().uri("/stock/{sku}", sku).retrieve().bodyToMono(Stock.class);
 * }</pre>
 *
 * <p>HTTP service client groups backed by a {@code WebClient} whose name is a configured upstream are bound
 * automatically. Levee's filter goes first, so the builder's other filters, and those added later, run once per
 * attempt. The client's own timeouts are left as they are: Levee's attempt timeout cancels the exchange, which
 * for a reactive client stops it.
 *
 * <p>Exceptions: a caller of a bound client sees {@link dev.levee.UpstreamException}s. A 4xx other than the
 * upstream's failure statuses is a {@link CallerFaultException} with reason {@code "http 404"} and Spring's
 * {@code WebClientResponseException} as its cause, unless a status handler of the request
 * ({@code retrieve().onStatus(...)}) or {@code exchangeToMono(...)} takes the response first.
 *
 * <p>Fallbacks: an {@link UpstreamHttpFallback} given to {@link #withFallbacks} answers for its upstream.
 * Thread-safe.
 *
 * @since 0.3
 */
public final class UpstreamWebClients {

    private final Upstreams upstreams;
    private final Map<String, HttpClassification> classifications;
    private final HttpClassification defaultClassification;
    private final @Nullable String deadlineHeader;
    private final Supplier<WebClient.Builder> builders;
    private final Map<String, UpstreamHttpFallback> fallbacks;

    /**
     * Creates the factory.
     *
     * @param upstreams the registry
     * @param classifications each upstream's HTTP classification, by name
     * @param defaultClassification the classification of upstreams absent from {@code classifications}
     * @param deadlineHeader the header carrying each attempt's remaining time, or {@code null} not to send it
     * @param builders supplies fresh builders, such as Spring Boot's auto-configured prototype
     */
    public UpstreamWebClients(Upstreams upstreams, Map<String, HttpClassification> classifications,
            HttpClassification defaultClassification, @Nullable String deadlineHeader, Supplier<WebClient.Builder> builders) {
        this(upstreams, classifications, defaultClassification, deadlineHeader, builders, Map.of());
    }

    private UpstreamWebClients(Upstreams upstreams, Map<String, HttpClassification> classifications,
            HttpClassification defaultClassification, @Nullable String deadlineHeader, Supplier<WebClient.Builder> builders,
            Map<String, UpstreamHttpFallback> fallbacks) {
        this.upstreams = upstreams;
        this.classifications = Map.copyOf(classifications);
        this.defaultClassification = defaultClassification;
        this.deadlineHeader = deadlineHeader;
        this.builders = builders;
        this.fallbacks = Map.copyOf(fallbacks);
    }

    /**
     * This factory, with upstreams' fallbacks: each answers every exchange of its upstream, through clients bound
     * from now on, that failed or was rejected in a way that allows a fallback.
     *
     * @param values the fallbacks, at most one per upstream
     * @return a new factory
     * @throws IllegalArgumentException if two are for the same upstream, or one names no registered upstream
     */
    public UpstreamWebClients withFallbacks(Iterable<UpstreamHttpFallback> values) {
        return new UpstreamWebClients(upstreams, classifications, defaultClassification, deadlineHeader, builders,
                ByUpstream.index(upstreams, fallbacks, values, UpstreamHttpFallback::upstream, "fallbacks"));
    }

    /**
     * The filter that routes exchanges through an upstream, for builders made elsewhere; prefer
     * {@link #bind(String, WebClient.Builder)}, which also puts it first and turns caller faults into
     * {@link CallerFaultException}s.
     *
     * @param upstream the upstream's name
     * @return the filter
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     */
    public UpstreamExchangeFilterFunction filter(String upstream) {
        UpstreamExchangeFilterFunction filter = new UpstreamExchangeFilterFunction(ReactorUpstream.of(upstreams.get(upstream)),
                classification(upstream), deadlineHeader);
        UpstreamHttpFallback fallback = fallbacks.get(upstream);
        return fallback == null ? filter : filter.fallingBackTo(fallback);
    }

    /**
     * Binds a builder made elsewhere to an upstream: the upstream's filter goes first, so the builder's other
     * filters, and those added later, run once per attempt; a default status handler turns caller faults into
     * {@link CallerFaultException}s.
     *
     * @param upstream the upstream's name
     * @param builder the builder to bind
     * @return the builder
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     */
    public WebClient.Builder bind(String upstream, WebClient.Builder builder) {
        UpstreamExchangeFilterFunction filter = filter(upstream);
        HttpClassification classification = classification(upstream);
        return builder.filters(filters -> filters.add(0, filter))
                .defaultStatusHandler(status -> status.is4xxClientError() && !classification.isFailure(status.value()),
                        response -> response.createException().flatMap(e -> Mono.error(
                                new CallerFaultException(upstream, "http " + response.statusCode().value(), e))));
    }

    /**
     * A fresh builder bound to an upstream ({@link #bind(String, WebClient.Builder)}).
     *
     * @param upstream the upstream's name
     * @return a new builder; configure the base URL and build it
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     */
    public WebClient.Builder builder(String upstream) {
        upstreams.get(upstream);
        return bind(upstream, builders.get());
    }

    /**
     * Whether an upstream of that name is registered.
     *
     * @param upstream a name
     * @return {@code true} if registered
     */
    public boolean has(String upstream) {
        return upstreams.find(upstream).isPresent();
    }

    private HttpClassification classification(String upstream) {
        HttpClassification c = classifications.get(upstream);
        return c != null ? c : defaultClassification;
    }
}
