package dev.levee.migration;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Upstream;
import java.util.Objects;

/**
 * One side of a migration: the upstream (by name) that protects the provider, the call to its client, and
 * its adapter into the shared domain type. Immutable.
 *
 * @param <Q> the request type
 * @param <R> the domain answer type
 * @since 0.3
 */
public final class Provider<Q, R> {

    private final String upstream;
    private final Invoker<Q, R> invoker;

    /** Keeps the provider's response type private to the pair of call and adapter that share it. */
    @FunctionalInterface
    private interface Invoker<Q, R> {
        R invoke(Upstream upstream, Q request, CallOptions<R> options);
    }

    private Provider(String upstream, Invoker<Q, R> invoker) {
        this.upstream = upstream;
        this.invoker = invoker;
    }

    /**
     * A provider.
     *
     * @param upstream the name of the registered upstream that protects it
     * @param call the call to its client
     * @param adapter its adapter into the domain type
     * @param <Q> the request type
     * @param <U> the provider's response type
     * @param <R> the domain answer type
     * @return the provider
     */
    public static <Q, U, R> Provider<Q, R> of(String upstream, ProviderCall<Q, U> call, Adapter<U, R> adapter) {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(adapter, "adapter");
        return new Provider<>(upstream, (u, request, options) -> u.call(context -> call.call(request, context), adapter, options));
    }

    /**
     * The name of the upstream that protects this provider.
     *
     * @return the upstream's name
     */
    public String upstream() {
        return upstream;
    }

    /**
     * The same call and adapter behind another upstream: how configuration names the upstream.
     *
     * @param name the other upstream's name
     * @return a new provider
     */
    public Provider<Q, R> withUpstream(String name) {
        return new Provider<>(Objects.requireNonNull(name, "name"), invoker);
    }

    /**
     * Calls this provider through its upstream's call path.
     *
     * @param upstream the upstream named by {@link #upstream()}
     * @param request the request
     * @param options the call's options
     * @return the answer in the domain type
     * @throws dev.levee.UpstreamException if the call failed
     */
    public R call(Upstream upstream, Q request, CallOptions<R> options) {
        return invoker.invoke(upstream, request, options);
    }
}
