package dev.levee.spring.http;

import dev.levee.Fallback;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import io.micrometer.observation.ObservationRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.observation.ClientRequestObservationConvention;
import org.springframework.web.client.RestClient;

/**
 * Hands out {@code RestClient} builders bound to a named upstream: every exchange of a client built from
 * one goes through that upstream's call path, and the client's own connect and read timeouts are derived
 * from the upstream's attempt timeout, so the client gives up when Levee would.
 *
 * <pre>{@code
 * RestClient recommendations = restClients.builder("recommendations").baseUrl(url).build();
 * }</pre>
 *
 * <p>HTTP service client groups whose name is a configured upstream are bound automatically.
 *
 * <p>Every interceptor of a bound builder runs once per attempt, inside the attempt, with the caller's context;
 * so do those added to it afterwards. Only one put in front of Levee's on purpose
 * ({@code requestInterceptors(list -> list.add(0, it))}) runs once per call, on the caller's thread, before
 * any attempt. With an observation registry ({@link #observedBy}), each attempt's exchange is observed, instead of
 * the whole call's.
 *
 * <p>Exceptions: what a caller of a bound client sees is one family, {@link dev.levee.UpstreamException}. A
 * 4xx other than the upstream's failure statuses is a {@link dev.levee.CallerFaultException} with reason
 * {@code "http 404"} and Spring's {@code HttpClientErrorException} as its cause (its status code, headers and
 * body), unless a status handler of the request ({@code retrieve().onStatus(...)}) or {@code exchange(...)}
 * takes the response first, to make it a domain answer.
 *
 * <p>Fallbacks: an {@link UpstreamHttpFallback} given to {@link #withFallbacks} answers for its upstream; a
 * per-call fallback ({@link #call(String, Supplier, Fallback)}) wins over it. Either is counted as a fallback.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class UpstreamRestClients {

    private final Upstreams upstreams;
    private final Map<String, HttpClassification> classifications;
    private final HttpClassification defaultClassification;
    private final @Nullable String deadlineHeader;
    private final Supplier<RestClient.Builder> builders;
    private final BiFunction<Duration, Duration, ClientHttpRequestFactory> requestFactories;
    private final ObservationRegistry observations;
    private final @Nullable ClientRequestObservationConvention convention;
    private final Map<String, UpstreamHttpFallback> fallbacks;
    private final Map<String, UpstreamHttpContract> contracts;

    /**
     * Creates the factory; upstreams without a classification of their own get Levee's defaults.
     *
     * @param upstreams the registry
     * @param classifications each upstream's HTTP classification, by name (absent: the defaults)
     * @param deadlineHeader the header carrying the remaining time budget, or {@code null} not to propagate it
     * @param builders supplies fresh builders, such as Spring Boot's auto-configured prototype
     */
    public UpstreamRestClients(Upstreams upstreams, Map<String, HttpClassification> classifications,
            @Nullable String deadlineHeader, Supplier<RestClient.Builder> builders) {
        this(upstreams, classifications, HttpClassification.of("levee.defaults.http", null, null), deadlineHeader, builders,
                (connect, read) -> ClientHttpRequestFactoryBuilder.detect().build(HttpClientSettings.defaults().withTimeouts(connect, read)));
    }

    /**
     * Creates the factory.
     *
     * @param upstreams the registry
     * @param classifications each upstream's HTTP classification, by name
     * @param defaultClassification the classification of upstreams absent from {@code classifications}, such as
     *     those added by an {@link dev.levee.spring.UpstreamSpecCustomizer} ({@code levee.defaults.http.*})
     * @param deadlineHeader the header carrying the remaining time budget, or {@code null} not to propagate it
     * @param builders supplies fresh builders, such as Spring Boot's auto-configured prototype
     * @param requestFactories makes a request factory with the given connect and read timeouts, keeping the rest of
     *     the application's HTTP client settings (client library, redirects, SSL bundle)
     */
    public UpstreamRestClients(Upstreams upstreams, Map<String, HttpClassification> classifications,
            HttpClassification defaultClassification, @Nullable String deadlineHeader, Supplier<RestClient.Builder> builders,
            BiFunction<Duration, Duration, ClientHttpRequestFactory> requestFactories) {
        this(upstreams, classifications, defaultClassification, deadlineHeader, builders, requestFactories,
                ObservationRegistry.NOOP, null, Map.of(), Map.of());
    }

    private UpstreamRestClients(Upstreams upstreams, Map<String, HttpClassification> classifications,
            HttpClassification defaultClassification, @Nullable String deadlineHeader, Supplier<RestClient.Builder> builders,
            BiFunction<Duration, Duration, ClientHttpRequestFactory> requestFactories, ObservationRegistry observations,
            @Nullable ClientRequestObservationConvention convention, Map<String, UpstreamHttpFallback> fallbacks,
            Map<String, UpstreamHttpContract> contracts) {
        this.upstreams = upstreams;
        this.classifications = Map.copyOf(classifications);
        this.defaultClassification = defaultClassification;
        this.deadlineHeader = deadlineHeader;
        this.builders = builders;
        this.requestFactories = requestFactories;
        this.observations = observations;
        this.convention = convention;
        this.fallbacks = Map.copyOf(fallbacks);
        this.contracts = Map.copyOf(contracts);
    }

    /**
     * This factory, with each attempt's exchange observed rather than each call's: builders it binds hand their
     * exchange observation ({@code http.client.requests}) to Levee's interceptor, which makes one per attempt, a
     * child of that attempt's {@code levee.attempt} observation, with the attempt's true response status (a 503
     * retried twice and then a 200 are two {@code SERVER_ERROR} exchanges and one {@code SUCCESS}, three spans
     * each sending its own {@code traceparent}).
     *
     * @param registry the application's observation registry
     * @param convention the convention of the application's {@code RestClient} observations, or {@code null} for
     *     Spring's default
     * @return a new factory
     * @since 0.2
     */
    public UpstreamRestClients observedBy(ObservationRegistry registry, @Nullable ClientRequestObservationConvention convention) {
        return new UpstreamRestClients(upstreams, classifications, defaultClassification, deadlineHeader, builders,
                requestFactories, Objects.requireNonNull(registry, "registry"), convention, fallbacks, contracts);
    }

    /**
     * This factory, with upstreams' fallbacks: each answers every exchange of its upstream, through clients bound
     * from now on, that failed or was rejected in a way that allows a fallback and has no per-call fallback.
     *
     * @param values the fallbacks, at most one per upstream
     * @return a new factory
     * @throws IllegalArgumentException if two are for the same upstream, or one names no registered upstream
     * @since 0.2
     */
    public UpstreamRestClients withFallbacks(Iterable<UpstreamHttpFallback> values) {
        return new UpstreamRestClients(upstreams, classifications, defaultClassification, deadlineHeader, builders,
                requestFactories, observations, convention, ByUpstream.index(upstreams, fallbacks, values, UpstreamHttpFallback::upstream, "fallbacks"),
                contracts);
    }

    /**
     * This factory, with upstreams' contracts: each is checked on every good response of its upstream, through
     * clients bound from now on (see {@link UpstreamHttpContract}).
     *
     * @param values the contracts, at most one per upstream
     * @return a new factory
     * @throws IllegalArgumentException if two are for the same upstream, or one names no registered upstream
     * @since 0.2
     */
    public UpstreamRestClients withContracts(Iterable<UpstreamHttpContract> values) {
        return new UpstreamRestClients(upstreams, classifications, defaultClassification, deadlineHeader, builders,
                requestFactories, observations, convention, fallbacks, ByUpstream.index(upstreams, contracts, values, UpstreamHttpContract::upstream, "contracts"));
    }

    /**
     * Makes a call through clients bound to an upstream with a fallback of its own: if an exchange with the
     * upstream fails or is rejected in a way that allows a fallback (never a caller fault), {@code fallback}'s
     * answer is returned instead, and the call is counted with {@code fallback=true}. It wins over the upstream's
     * {@link UpstreamHttpFallback}. Works for {@code RestClient}s and HTTP service clients alike, for exchanges
     * made on the calling thread. The fallback's answer leaves the exchange as an exception of Levee's own that
     * {@code call} catches: code inside {@code call} that catches every {@code RuntimeException} around an
     * exchange must rethrow what it does not handle.
     *
     * <pre>{@code
     * List<Item> items = restClients.call("recommendations",
     *         () -> recommendations.get().uri("/items").retrieve().body(ITEMS),
     *         failure -> List.of());
     * }</pre>
     *
     * @param upstream the upstream's name
     * @param call the exchanges, with their response handling
     * @param fallback the answer instead of a failure
     * @param <T> the call's value type
     * @return the call's value, or the fallback's
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     * @throws dev.levee.UpstreamException if an exchange failed in a way no fallback answers (a caller fault)
     * @since 0.2
     */
    @SuppressWarnings("unchecked")
    public <T> T call(String upstream, Supplier<? extends T> call, Fallback<? extends T> fallback) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(fallback, "fallback");
        upstreams.get(upstream);
        try (PerCallFallback scope = PerCallFallback.open(upstream, fallback)) {
            try {
                return call.get();
            } catch (PerCallFallback.Answer answer) {
                if (answer.isFor(scope)) {
                    return (T) answer.value();
                }
                throw answer;
            }
        }
    }

    /**
     * An HTTP service client (or any interface whose implementation makes its exchanges through clients bound to
     * the upstream) that falls back to another implementation: each method is called as
     * {@link #call(String, Supplier, Fallback)} with the fallback's same method, with the same arguments, as the
     * fallback, unless a per-call fallback for the upstream is bound around it, which wins. {@code equals} and
     * {@code hashCode} are the proxy's identity.
     *
     * @param upstream the upstream's name
     * @param service the interface
     * @param client the client to protect, such as the HTTP service proxy
     * @param fallback the implementation that answers when the upstream cannot
     * @param <S> the interface
     * @return a proxy of the interface
     * @throws IllegalArgumentException if {@code service} is not an interface, or names no registered upstream
     * @since 0.2
     */
    public <S> S withFallback(String upstream, Class<S> service, S client, S fallback) {
        upstreams.get(upstream);
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(fallback, "fallback");
        if (!service.isInterface()) {
            throw new IllegalArgumentException("service must be an interface, but was " + service.getName());
        }
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> args != null && proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> service.getSimpleName() + " of upstream '" + upstream + "', with a fallback";
                };
            }
            if (PerCallFallback.current(upstream) != null) {
                return invoke(client, method, args); // a per-call fallback around this call wins
            }
            return call(upstream, () -> invoke(client, method, args), failure -> invoke(fallback, method, args));
        };
        return service.cast(Proxy.newProxyInstance(service.getClassLoader(), new Class<?>[] { service }, handler));
    }

    /** Calls the method on a target, rethrowing what the method itself threw. */
    private static @Nullable Object invoke(Object target, Method method, @Nullable Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UndeclaredThrowableException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method + " on " + target.getClass().getName(), e);
        }
    }

    /**
     * The interceptor that routes exchanges through an upstream, for builders made elsewhere; prefer
     * {@link #bind(String, RestClient.Builder)}, which also puts it first and, if this factory observes
     * exchanges, switches the builder's own observation off so that each exchange is observed once per attempt
     * rather than also once around all of them.
     *
     * @param upstream the upstream's name
     * @return the interceptor
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     */
    public UpstreamHttpInterceptor interceptor(String upstream) {
        Upstream u = upstreams.get(upstream);
        UpstreamHttpInterceptor interceptor = new UpstreamHttpInterceptor(u, classification(upstream), deadlineHeader);
        UpstreamHttpFallback fallback = fallbacks.get(upstream);
        if (fallback != null) {
            interceptor = interceptor.fallingBackTo(fallback);
        }
        UpstreamHttpContract contract = contracts.get(upstream);
        if (contract != null) {
            interceptor = interceptor.checking(contract);
        }
        return observations.isNoop() ? interceptor : interceptor.observedBy(observations, convention);
    }

    private HttpClassification classification(String upstream) {
        HttpClassification c = classifications.get(upstream);
        return c != null ? c : defaultClassification;
    }

    /**
     * Binds a builder made elsewhere to an upstream, keeping its request factory: the upstream's interceptor goes
     * first, so the builder's other interceptors, and those added later, run once per attempt; if this factory
     * observes exchanges, the builder's own observation is switched off in favour of one per attempt. A default
     * status handler turns caller faults into {@link dev.levee.CallerFaultException}s; default status handlers
     * the builder already has are consulted before it, those added later after it.
     *
     * @param upstream the upstream's name
     * @param builder the builder to bind
     * @return the builder
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     * @since 0.2
     */
    public RestClient.Builder bind(String upstream, RestClient.Builder builder) {
        UpstreamHttpInterceptor interceptor = interceptor(upstream);
        if (!observations.isNoop()) {
            builder.observationRegistry(ObservationRegistry.NOOP);
        }
        CallerFaultHandler callerFaults = new CallerFaultHandler(upstream, classification(upstream));
        return builder.requestInterceptors(interceptors -> interceptors.add(0, interceptor))
                .defaultStatusHandler(callerFaults::handles, callerFaults);
    }

    /**
     * A fresh builder bound to an upstream ({@link #bind(String, RestClient.Builder)}), with a request factory
     * with the application's HTTP client settings but a read timeout of the upstream's attempt timeout (connect
     * timeout: the same, at most 1 s).
     *
     * @param upstream the upstream's name
     * @return a new builder; configure the base URL and build it
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     */
    public RestClient.Builder builder(String upstream) {
        Duration read = upstreams.get(upstream).spec().attemptTimeout();
        Duration connect = read.compareTo(Duration.ofSeconds(1)) < 0 ? read : Duration.ofSeconds(1);
        return bind(upstream, builders.get().requestFactory(requestFactories.apply(connect, read)));
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
}
