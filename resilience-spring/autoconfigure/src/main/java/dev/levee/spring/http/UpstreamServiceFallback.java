package dev.levee.spring.http;

import java.util.Objects;

/**
 * An HTTP service interface's fallback, as a bean: an implementation of the interface whose method answers,
 * with the same arguments, when a call of the client's same method fails or is rejected. The interface's client
 * bean (from {@code @ImportHttpServices}) is then the one that falls back, so the code that uses it stays as it
 * is; a per-call fallback ({@link UpstreamRestClients#call(String, java.util.function.Supplier, dev.levee.Fallback)})
 * still wins.
 *
 * <pre>{@code
 * @Bean
 * UpstreamServiceFallback<PricingClient> pricingFallback() {
 *     return UpstreamServiceFallback.of("pricing", PricingClient.class, sku -> Price.UNKNOWN);
 * }
 * }</pre>
 *
 * <p>It answers the outcomes that allow a fallback, never a caller fault, and is counted with
 * {@code fallback=true}, like {@link UpstreamHttpFallback}, which it takes precedence over. Immutable and
 * thread-safe if the fallback is.
 *
 * @param <S> the HTTP service interface
 * @since 0.2
 */
public final class UpstreamServiceFallback<S> {

    private final String upstream;
    private final Class<S> service;
    private final S fallback;

    private UpstreamServiceFallback(String upstream, Class<S> service, S fallback) {
        this.upstream = upstream;
        this.service = service;
        this.fallback = fallback;
    }

    /**
     * The fallback of an HTTP service interface.
     *
     * @param upstream the name of the upstream the interface's group is bound to
     * @param service the HTTP service interface
     * @param fallback the implementation that answers when the upstream cannot
     * @param <S> the interface
     * @return the fallback
     * @throws IllegalArgumentException if {@code service} is not an interface
     */
    public static <S> UpstreamServiceFallback<S> of(String upstream, Class<S> service, S fallback) {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(fallback, "fallback");
        if (!service.isInterface()) {
            throw new IllegalArgumentException("service must be an interface, but was " + service.getName());
        }
        return new UpstreamServiceFallback<>(upstream, service, service.cast(fallback));
    }

    /**
     * The upstream's name.
     *
     * @return the name
     */
    public String upstream() {
        return upstream;
    }

    /**
     * The HTTP service interface.
     *
     * @return the interface
     */
    public Class<S> service() {
        return service;
    }

    /**
     * The implementation that answers when the upstream cannot.
     *
     * @return the fallback implementation
     */
    public S fallback() {
        return fallback;
    }

    @Override
    public String toString() {
        return "UpstreamServiceFallback[" + upstream + ", " + service.getName() + "]";
    }
}
