package dev.levee.spring.http;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CallerFaultException;
import dev.levee.Deadline;
import dev.levee.Upstream;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.observation.ClientHttpObservationDocumentation;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.ClientRequestObservationConvention;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Routes every exchange of a {@code RestClient} through one upstream's call path: statuses classified by
 * {@link HttpClassification}, idempotent methods retried (with {@code Retry-After} honoured), and each attempt's
 * own remaining time passed on in the deadline header, so the upstream can stop when its answer would no longer
 * be awaited.
 *
 * <p>The header carries, in whole milliseconds rounded down, the smaller of what the attempt may still take (its
 * attempt timeout, clamped by the call's deadline, minus what has elapsed: {@link dev.levee.CallContext#remaining()})
 * and what remains of the {@link Deadline} bound on the calling thread, if any (an incoming request's budget, say).
 * It is sent on every attempt, with or without an incoming budget, and replaces any value already on the request.
 *
 * <p>A failed exchange surfaces as an {@link dev.levee.UpstreamException}; a caller-fault status (404, say)
 * is counted as a caller fault ({@code outcome="caller_fault"}: not against the upstream, not retried) and the
 * response handed back to {@code RestClient}, whose status handlers decide (a builder bound by
 * {@link UpstreamRestClients#bind(String, RestClient.Builder)} turns it into a {@link dev.levee.CallerFaultException}
 * unless a handler of the request takes it first).
 *
 * <p>Fallbacks go through the core's {@link CallOptions#withFallback}, so a call that fell back is counted as
 * such: a per-call fallback bound by {@link UpstreamRestClients#call(String, java.util.function.Supplier, dev.levee.Fallback)}
 * on the calling thread, else the upstream's {@link UpstreamHttpFallback}, if any.
 *
 * <p>The rest of the interceptor chain runs once per attempt, inside it: on the attempt's thread, with the
 * caller's context (Levee carries the MDC and every context-propagation accessor, such as the current
 * Observation and Spring Security's context; this interceptor adds Spring's {@code RequestContextHolder}), and on
 * its own copy of the request's headers and attributes. With an observation registry
 * ({@link #observedBy}), each attempt's exchange is observed like {@code RestClient} observes an exchange
 * ({@code http.client.requests}), as a child of the attempt's observation and with the attempt's own response
 * status; the {@code RestClient}'s own observation must then be off, as
 * {@link UpstreamRestClients#bind(String, RestClient.Builder)} arranges.
 *
 * @since 0.1
 */
public final class UpstreamHttpInterceptor implements ClientHttpRequestInterceptor {

    private static final CallOptions<ClientHttpResponse> IDEMPOTENT = CallOptions.idempotent();
    private static final CallOptions<ClientHttpResponse> NOT_IDEMPOTENT = CallOptions.defaults();
    /** Where {@code RestClient.uri(String template, ...)} leaves the template: the {@code uri} key of the observation. */
    private static final String URI_TEMPLATE_ATTRIBUTE = RestClient.class.getName() + ".uriTemplate";
    private static final ClientRequestObservationConvention DEFAULT_CONVENTION = new DefaultClientRequestObservationConvention();

    private final Upstream upstream;
    private final HttpClassification classification;
    private final @Nullable String deadlineHeader;
    private final @Nullable UpstreamHttpFallback fallback;
    private final ObservationRegistry observations;
    private final @Nullable ClientRequestObservationConvention convention;
    /** The classification, with the upstream's contract if it has one. */
    private final Adapter<ClientHttpResponse, ClientHttpResponse> adapter;

    /**
     * Creates the interceptor.
     *
     * @param upstream the upstream every exchange goes through
     * @param classification how statuses and methods are classified
     * @param deadlineHeader the header that carries the remaining time budget, or {@code null} not to send it
     */
    public UpstreamHttpInterceptor(Upstream upstream, HttpClassification classification, @Nullable String deadlineHeader) {
        this(upstream, classification, deadlineHeader, null, ObservationRegistry.NOOP, null, classification);
    }

    private UpstreamHttpInterceptor(Upstream upstream, HttpClassification classification, @Nullable String deadlineHeader,
            @Nullable UpstreamHttpFallback fallback, ObservationRegistry observations,
            @Nullable ClientRequestObservationConvention convention, Adapter<ClientHttpResponse, ClientHttpResponse> adapter) {
        this.upstream = upstream;
        this.classification = classification;
        this.deadlineHeader = deadlineHeader;
        this.fallback = fallback;
        this.observations = observations;
        this.convention = convention;
        this.adapter = adapter;
    }

    /**
     * This interceptor, observing each attempt's exchange: an {@code http.client.requests} observation (or the
     * convention's name) per attempt, a child of the observation current on the attempt's thread (its
     * {@code levee.attempt}), carrying that attempt's response status and its own trace headers. Switch the
     * {@code RestClient}'s own observation off, or every exchange is observed once more around all its attempts.
     *
     * @param registry the application's observation registry
     * @param convention the convention of the application's {@code RestClient} observations, or {@code null} for
     *     Spring's default
     * @return a new interceptor
     * @since 0.2
     */
    public UpstreamHttpInterceptor observedBy(ObservationRegistry registry, @Nullable ClientRequestObservationConvention convention) {
        return new UpstreamHttpInterceptor(upstream, classification, deadlineHeader, fallback,
                Objects.requireNonNull(registry, "registry"), convention, adapter);
    }

    /**
     * This interceptor, with the upstream's fallback: it answers every exchange that failed or was rejected in a way
     * that allows a fallback, unless a per-call fallback is bound for it.
     *
     * @param value the fallback, for this interceptor's upstream
     * @return a new interceptor
     * @throws IllegalArgumentException if the fallback is for another upstream
     * @since 0.2
     */
    public UpstreamHttpInterceptor fallingBackTo(UpstreamHttpFallback value) {
        if (!value.upstream().equals(upstream.name())) {
            throw new IllegalArgumentException("the fallback of upstream '" + value.upstream()
                    + "' cannot answer for upstream '" + upstream.name() + "'");
        }
        return new UpstreamHttpInterceptor(upstream, classification, deadlineHeader, value, observations, convention, adapter);
    }

    /**
     * This interceptor, checking the upstream's contract on every good response (see {@link UpstreamHttpContract}).
     *
     * @param value the contract, for this interceptor's upstream
     * @return a new interceptor
     * @throws IllegalArgumentException if the contract is for another upstream
     * @since 0.2
     */
    public UpstreamHttpInterceptor checking(UpstreamHttpContract value) {
        if (!value.upstream().equals(upstream.name())) {
            throw new IllegalArgumentException("the contract of upstream '" + value.upstream()
                    + "' cannot be checked on upstream '" + upstream.name() + "'");
        }
        return new UpstreamHttpInterceptor(upstream, classification, deadlineHeader, fallback, observations, convention,
                new ContractCheckedHttp(classification, value.contract()));
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        boolean idempotent = classification.isIdempotent(request.getMethod().name());
        // Read on the caller's thread: enforced timeouts run the exchange on a Levee thread.
        Deadline bound = deadlineHeader == null ? null : Deadline.current().orElse(null);
        RequestAttributes requestAttributes = RequestContextHolder.getRequestAttributes();
        AtomicReference<@Nullable ClientHttpResponse> callerFault = new AtomicReference<>();
        try {
            return upstream.call(context -> {
                if (deadlineHeader != null) {
                    long nanos = context.remainingNanos();
                    if (bound != null) {
                        nanos = Math.min(nanos, bound.remainingNanos());
                    }
                    request.getHeaders().set(deadlineHeader, Long.toString(Math.max(0, TimeUnit.NANOSECONDS.toMillis(nanos))));
                }
                ClientHttpResponse response = attempt(request, body, execution, requestAttributes);
                if (classification.isCallerFault(statusOf(response))) {
                    callerFault.set(response);
                }
                return response;
            }, adapter, options(request, idempotent));
        } catch (CallerFaultException e) {
            // A caller-fault status, counted as such by the call path; RestClient's status handlers still decide.
            ClientHttpResponse response = callerFault.get();
            if (response == null) {
                throw e;
            }
            return response;
        }
    }

    private static int statusOf(ClientHttpResponse response) {
        try {
            return response.getStatusCode().value();
        } catch (IOException e) {
            return -1; // classified as a failure
        }
    }

    /** The exchange's options: its idempotency, and the per-call fallback, else the upstream's, if any. */
    private CallOptions<ClientHttpResponse> options(HttpRequest request, boolean idempotent) {
        CallOptions<ClientHttpResponse> options = idempotent ? IDEMPOTENT : NOT_IDEMPOTENT;
        PerCallFallback perCall = PerCallFallback.current(upstream.name());
        if (perCall != null) {
            return options.withFallback(perCall::recover);
        }
        UpstreamHttpFallback f = fallback;
        return f == null ? options : options.withFallback(failure -> f.respond(request, failure));
    }

    /** One attempt: the rest of the chain, on a copy of the request, with the request's attributes, observed. */
    private ClientHttpResponse attempt(HttpRequest request, byte[] body, ClientHttpRequestExecution execution,
            @Nullable RequestAttributes requestAttributes) throws IOException {
        // Spring registers no context-propagation accessor for RequestContextHolder; an attempt thread lacks it.
        boolean bind = requestAttributes != null && RequestContextHolder.getRequestAttributes() == null;
        if (bind) {
            RequestContextHolder.setRequestAttributes(requestAttributes);
        }
        try {
            AttemptRequest attempt = new AttemptRequest(request);
            return observations.isNoop() ? execution.execute(attempt, body) : observed(attempt, body, execution);
        } finally {
            if (bind) {
                RequestContextHolder.resetRequestAttributes();
            }
        }
    }

    /** The exchange observed as {@code RestClient} would, but per attempt; stopped before the response is classified. */
    private ClientHttpResponse observed(AttemptRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        ClientRequestObservationContext context = new ClientRequestObservationContext(request);
        if (request.getAttributes().get(URI_TEMPLATE_ATTRIBUTE) instanceof String template) {
            context.setUriTemplate(template);
        }
        Observation observation = ClientHttpObservationDocumentation.HTTP_CLIENT_EXCHANGES
                .observation(convention, DEFAULT_CONVENTION, () -> context, observations).start();
        try (Observation.Scope scope = observation.openScope()) {
            ClientHttpResponse response = execution.execute(request, body);
            context.setResponse(response);
            return response;
        } catch (IOException e) {
            // as RestClient records it, so an I/O failure carries the same exception tag with Levee as without
            observation.error(new ResourceAccessException("I/O error on " + request.getMethod() + " request for \""
                    + request.getURI() + "\": " + e.getMessage(), e));
            throw e;
        } catch (RuntimeException | Error e) {
            observation.error(e);
            throw e;
        } finally {
            observation.stop();
        }
    }

    /**
     * The upstream this interceptor routes through.
     *
     * @return the upstream
     */
    public Upstream upstream() {
        return upstream;
    }
}
