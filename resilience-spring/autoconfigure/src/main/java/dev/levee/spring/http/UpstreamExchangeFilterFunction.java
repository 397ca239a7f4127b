package dev.levee.spring.http;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CallerFaultException;
import dev.levee.UpstreamException;
import dev.levee.Verdict;
import dev.levee.reactor.ReactorUpstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import reactor.core.publisher.Mono;

/**
 * Routes every exchange of a {@code WebClient} through one upstream's call path, as {@link UpstreamHttpInterceptor}
 * does for a {@code RestClient}, with the same {@link HttpClassification}: failure statuses (5xx, 408, 429 by
 * default) are upstream failures, their {@code Retry-After} honoured; idempotent methods only are retried;
 * other 4xx are counted as caller faults and handed back to the {@code WebClient}, whose status handling decides (a builder bound by
 * {@link UpstreamWebClients#bind} makes them {@link dev.levee.CallerFaultException}s). Each attempt carries its own
 * remaining time in the deadline header: the attempt's timeout clamped by the call's deadline, which an incoming
 * request's budget in the Reactor context ({@link DeadlineWebFilter}) clamps in turn.
 *
 * <p>The exchange is the call: subscribing to it starts the call, cancelling it cancels the attempt in flight
 * (its exchange is cancelled, so the connection is released), and Levee's attempt timeout cancels the exchange
 * too. The attempt ends when the response's status and headers arrive; reading the body is the caller's.
 * A failed exchange surfaces as an {@link UpstreamException}. With an {@link UpstreamHttpFallback}
 * ({@link #fallingBackTo}), a failure or rejection that allows a fallback is answered by its response instead.
 *
 * <p>Thread-safe.
 *
 * @since 0.3
 */
public final class UpstreamExchangeFilterFunction implements ExchangeFilterFunction {

    private static final CallOptions<ClientResponse> IDEMPOTENT = CallOptions.idempotent();
    private static final CallOptions<ClientResponse> NOT_IDEMPOTENT = CallOptions.defaults();

    private final ReactorUpstream upstream;
    private final Classification classification;
    private final @Nullable String deadlineHeader;
    private final @Nullable UpstreamHttpFallback fallback;

    /**
     * Creates the filter.
     *
     * @param upstream the upstream every exchange goes through
     * @param classification how statuses and methods are classified
     * @param deadlineHeader the header that carries each attempt's remaining time, or {@code null} not to send it
     * @throws NullPointerException if {@code upstream} or {@code classification} is null
     */
    public UpstreamExchangeFilterFunction(ReactorUpstream upstream, HttpClassification classification, @Nullable String deadlineHeader) {
        this(upstream, new Classification(Objects.requireNonNull(classification, "classification")), deadlineHeader, null);
    }

    private UpstreamExchangeFilterFunction(ReactorUpstream upstream, Classification classification, @Nullable String deadlineHeader,
            @Nullable UpstreamHttpFallback fallback) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.classification = classification;
        this.deadlineHeader = deadlineHeader;
        this.fallback = fallback;
    }

    /**
     * This filter, with the upstream's fallback: its response answers every exchange that failed or was rejected
     * in a way that allows a fallback.
     *
     * @param value the fallback, for this filter's upstream
     * @return a new filter
     * @throws IllegalArgumentException if the fallback is for another upstream
     */
    public UpstreamExchangeFilterFunction fallingBackTo(UpstreamHttpFallback value) {
        if (!value.upstream().equals(upstream.upstream().name())) {
            throw new IllegalArgumentException("the fallback of upstream '" + value.upstream()
                    + "' cannot answer for upstream '" + upstream.upstream().name() + "'");
        }
        return new UpstreamExchangeFilterFunction(upstream, classification, deadlineHeader, value);
    }

    /**
     * The upstream this filter routes through.
     *
     * @return the upstream
     */
    public ReactorUpstream upstream() {
        return upstream;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        boolean idempotent = classification.rules.isIdempotent(request.method().name());
        CallOptions<ClientResponse> options = idempotent ? IDEMPOTENT : NOT_IDEMPOTENT;
        UpstreamHttpFallback f = fallback;
        if (f != null) {
            options = options.withFallback(failure -> fallbackResponse(f, request, failure));
        }
        String header = deadlineHeader;
        CallOptions<ClientResponse> callOptions = options;
        return Mono.defer(() -> {
            // A caller-fault status is counted as such by the call path; the WebClient's status handling still decides.
            AtomicReference<@Nullable ClientResponse> callerFault = new AtomicReference<>();
            return upstream.mono(context -> next.exchange(header == null ? request : ClientRequest.from(request)
                    .headers(h -> h.set(header, Long.toString(TimeUnit.NANOSECONDS.toMillis(context.remainingNanos()))))
                    .build())
                    .doOnNext(response -> {
                        if (classification.rules.isCallerFault(response.statusCode().value())) {
                            callerFault.set(response);
                        }
                    }), classification, callOptions)
                    .onErrorResume(CallerFaultException.class, e -> {
                        ClientResponse response = callerFault.get();
                        return response == null ? Mono.error(e) : Mono.just(response);
                    });
        });
    }

    /** The fallback's response, as a {@code ClientResponse} the {@code WebClient} reads like the upstream's. */
    private static ClientResponse fallbackResponse(UpstreamHttpFallback fallback, ClientRequest request, UpstreamException failure) {
        try (ClientHttpResponse response = fallback.respond(new RequestView(request), failure)) {
            return ClientResponse.create(response.getStatusCode(), ExchangeStrategies.withDefaults())
                    .headers(h -> h.addAll(response.getHeaders()))
                    .body(new String(response.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("the fallback of upstream '" + fallback.upstream() + "' could not be read", e);
        }
    }

    /** The classification of a {@code WebClient}'s response: the RestClient integration's rules. */
    private record Classification(HttpClassification rules) implements Adapter<ClientResponse, ClientResponse> {

        @Override
        public Verdict<ClientResponse> classify(ClientResponse response) {
            return rules.verdict(response.statusCode().value(), response,
                    () -> response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                    () -> response.releaseBody().subscribe()); // the connection goes back; nobody reads a failed response
        }

        @Override
        public ClientResponse translate(ClientResponse response) {
            return response;
        }
    }

    /** A {@code ClientRequest} seen as the {@code HttpRequest} an {@link UpstreamHttpFallback} is given. */
    private record RequestView(ClientRequest request) implements HttpRequest {

        @Override
        public HttpMethod getMethod() {
            return request.method();
        }

        @Override
        public URI getURI() {
            return request.url();
        }

        @Override
        public Map<String, Object> getAttributes() {
            return request.attributes();
        }

        @Override
        public HttpHeaders getHeaders() {
            return HttpHeaders.readOnlyHttpHeaders(request.headers());
        }
    }
}
