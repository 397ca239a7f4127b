package dev.levee.migration;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Upstream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

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
    private final @Nullable AsyncInvoker<Q, R> asyncInvoker;

    /** Keeps the provider's response type private to the pair of call and adapter that share it. */
    @FunctionalInterface
    private interface Invoker<Q, R> {
        R invoke(Upstream upstream, Q request, CallOptions<R> options);
    }

    /** The same, for an asynchronous client. */
    @FunctionalInterface
    private interface AsyncInvoker<Q, R> {
        CompletableFuture<R> invoke(Upstream upstream, Q request, CallOptions<R> options);
    }

    private Provider(String upstream, Invoker<Q, R> invoker, @Nullable AsyncInvoker<Q, R> asyncInvoker) {
        this.upstream = upstream;
        this.invoker = invoker;
        this.asyncInvoker = asyncInvoker;
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
        return new Provider<>(upstream, (u, request, options) -> u.call(context -> call.call(request, context), adapter, options), null);
    }

    /**
     * A provider with an asynchronous client: {@link Migration#callAsync} needs both providers so. Called
     * synchronously ({@link Migration#call}), its answer is waited for on the calling thread.
     *
     * @param upstream the name of the registered upstream that protects it
     * @param call starts the call to its client
     * @param adapter its adapter into the domain type
     * @param <Q> the request type
     * @param <U> the provider's response type
     * @param <R> the domain answer type
     * @return the provider
     * @since 0.3
     */
    public static <Q, U, R> Provider<Q, R> ofAsync(String upstream, AsyncProviderCall<Q, U> call, Adapter<U, R> adapter) {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(adapter, "adapter");
        AsyncInvoker<Q, R> async = (u, request, options) -> u.callAsync(context -> call.call(request, context), adapter, options);
        return new Provider<>(upstream, (u, request, options) -> join(async.invoke(u, request, options)), async);
    }

    private static <R> R join(CompletableFuture<R> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
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
        return new Provider<>(Objects.requireNonNull(name, "name"), invoker, asyncInvoker);
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

    /**
     * Whether this provider's client is asynchronous ({@link #ofAsync}).
     *
     * @return {@code true} if {@link #callAsync} may be used
     * @since 0.3
     */
    public boolean isAsync() {
        return asyncInvoker != null;
    }

    /**
     * Calls this provider asynchronously through its upstream's call path.
     *
     * @param upstream the upstream named by {@link #upstream()}
     * @param request the request
     * @param options the call's options
     * @return the answer's future, completed with an {@link dev.levee.UpstreamException} if the call failed
     * @throws IllegalStateException if the provider's client is synchronous ({@link #of})
     * @since 0.3
     */
    public CompletableFuture<R> callAsync(Upstream upstream, Q request, CallOptions<R> options) {
        if (asyncInvoker == null) {
            throw new IllegalStateException("the provider behind upstream '" + this.upstream
                    + "' has a synchronous client; create it with Provider.ofAsync to call it asynchronously");
        }
        return asyncInvoker.invoke(upstream, request, options);
    }
}
