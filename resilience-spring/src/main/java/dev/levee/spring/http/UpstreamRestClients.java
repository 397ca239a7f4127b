package dev.levee.spring.http;

import dev.levee.Upstream;
import dev.levee.Upstreams;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.client.ClientHttpRequestFactory;
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
        this.upstreams = upstreams;
        this.classifications = Map.copyOf(classifications);
        this.defaultClassification = defaultClassification;
        this.deadlineHeader = deadlineHeader;
        this.builders = builders;
        this.requestFactories = requestFactories;
    }

    /**
     * The interceptor that routes exchanges through an upstream, for builders made elsewhere.
     *
     * @param upstream the upstream's name
     * @return the interceptor
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     */
    public UpstreamHttpInterceptor interceptor(String upstream) {
        Upstream u = upstreams.get(upstream);
        HttpClassification c = classifications.get(upstream);
        return new UpstreamHttpInterceptor(u, c != null ? c : defaultClassification, deadlineHeader);
    }

    /**
     * A fresh builder bound to an upstream: its interceptor added, and a request factory with the application's
     * HTTP client settings but a read timeout of the upstream's attempt timeout (connect timeout: the same, at
     * most 1 s).
     *
     * @param upstream the upstream's name
     * @return a new builder; configure the base URL and build it
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     */
    public RestClient.Builder builder(String upstream) {
        UpstreamHttpInterceptor interceptor = interceptor(upstream);
        Duration read = interceptor.upstream().spec().attemptTimeout();
        Duration connect = read.compareTo(Duration.ofSeconds(1)) < 0 ? read : Duration.ofSeconds(1);
        return builders.get()
                .requestFactory(requestFactories.apply(connect, read))
                .requestInterceptor(interceptor);
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
