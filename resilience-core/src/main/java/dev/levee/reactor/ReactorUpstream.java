package dev.levee.reactor;

import dev.levee.Adapter;
import dev.levee.CallContext;
import dev.levee.CallOptions;
import dev.levee.Deadline;
import dev.levee.Upstream;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * An upstream's call path as a {@link Mono}: the same fallback, deadline, retry within the budget, circuit
 * breaker, bulkhead, attempt timeout, classification and adapter as {@link Upstream#callAsync}, which it runs.
 *
 * <pre>{@code
 * ReactorUpstream pricing = ReactorUpstream.of(upstreams.get("pricing"));
 * Mono<Price> price = pricing.mono(
 *         ctx -> webClient.get().uri("/prices/{sku}", sku).retrieve().bodyToMono(PriceDto.class).timeout(ctx.remaining()),
 *         PriceAdapter.INSTANCE, CallOptions.<Price>idempotent().withFallback(e -> Price.UNKNOWN));
 * }</pre>
 *
 * <ul>
 *   <li><b>Subscription is the call.</b> Nothing happens before a subscription; each subscription is a new
 *       call, with its own deadline, attempts and outcome.</li>
 *   <li><b>Cancelling is abandoning.</b> Cancelling the subscription cancels the attempt in flight (its
 *       subscription to the upstream's publisher, and the actions registered with
 *       {@link CallContext#onAbandon}) or the pending retry, returns the bulkhead permit, and counts the call
 *       once as {@link dev.levee.Outcome#CANCELLED}. An error the attempt's publisher drops after Levee gave the
 *       attempt up (the JDK {@code HttpClient} fails every request cancelled at a timeout) is logged at DEBUG on
 *       {@code dev.levee.health} instead of Reactor's ERROR; other dropped errors reach the
 *       {@code onErrorDropped} hooks as before.</li>
 *   <li><b>Nothing blocks.</b> Timeouts and backoff are timers of the registry's scheduler; the value is
 *       emitted on the thread that completed the attempt (the upstream's publisher's, or a Levee thread after
 *       a retry or a timeout): add {@code publishOn} to move on from there.</li>
 *   <li><b>Context.</b> A {@link Deadline} in the subscriber's Reactor {@link Context} under
 *       {@link Deadline#CONTEXT_KEY} (see {@link #deadline(Deadline)}) bounds the call, as a deadline bound on
 *       the thread does. Every value of that context with a registered context-propagation accessor (the
 *       current Observation, the application's own) is set on the thread while the call starts, and so is
 *       carried through the call like a synchronous caller's context; and the subscriber's context reaches
 *       the upstream's publisher.</li>
 * </ul>
 *
 * <p>Errors are {@link dev.levee.UpstreamException}s, as on the other paths; a fallback given in
 * {@link CallOptions} answers exactly when it would there (never for a caller fault).
 *
 * <p>Thread-safe and cheap: wrap an upstream once and keep it, or wrap it where needed.
 *
 * @since 0.3
 */
public final class ReactorUpstream {

    /** Sets the Reactor context's values on the thread, leaving the thread's others as they are. */
    private static final ContextSnapshotFactory FROM_REACTOR = ContextSnapshotFactory.builder().clearMissing(false).build();

    private final Upstream upstream;

    private ReactorUpstream(Upstream upstream) {
        this.upstream = upstream;
    }

    /**
     * Wraps an upstream.
     *
     * @param upstream the upstream whose call path protects the reactive calls
     * @return the Reactor entry point of that upstream
     * @throws NullPointerException if {@code upstream} is null
     */
    public static ReactorUpstream of(Upstream upstream) {
        return new ReactorUpstream(Objects.requireNonNull(upstream, "upstream"));
    }

    /**
     * The upstream underneath.
     *
     * @return the upstream
     */
    public Upstream upstream() {
        return upstream;
    }

    /**
     * A call whose value is the upstream's, unchanged; not idempotent, so never retried.
     *
     * @param call builds each attempt's publisher
     * @param <U> the value type
     * @return a cold {@code Mono}: each subscription is one call
     * @throws NullPointerException if {@code call} is null
     */
    public <U> Mono<U> mono(ReactiveUpstreamCall<U> call) {
        return mono(call, Adapter.identity(), CallOptions.defaults());
    }

    /**
     * A call translated by an adapter; not idempotent, so never retried.
     *
     * @param call builds each attempt's publisher
     * @param adapter the anti-corruption adapter
     * @param <U> the upstream's response type
     * @param <D> the domain type
     * @return a cold {@code Mono}: each subscription is one call
     * @throws NullPointerException if an argument is null
     */
    public <U, D> Mono<D> mono(ReactiveUpstreamCall<U> call, Adapter<U, D> adapter) {
        return mono(call, adapter, CallOptions.defaults());
    }

    /**
     * A call translated by an adapter, with per-call options (idempotency, fallback). A {@code null} value
     * from the adapter or the fallback completes the {@code Mono} empty.
     *
     * @param call builds each attempt's publisher
     * @param adapter the anti-corruption adapter
     * @param options idempotency and fallback
     * @param <U> the upstream's response type
     * @param <D> the domain type
     * @return a cold {@code Mono}: each subscription is one call
     * @throws NullPointerException if an argument is null
     */
    public <U, D> Mono<D> mono(ReactiveUpstreamCall<U> call, Adapter<U, D> adapter, CallOptions<D> options) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(options, "options");
        return new CallMono<>(this, call, adapter, options);
    }

    /**
     * The same call as {@link #mono(ReactiveUpstreamCall, Adapter, CallOptions)}, as a {@code Flux} of at most
     * one element: for APIs that expect a {@code Flux} of a request that yields one response.
     *
     * @param call builds each attempt's publisher; only its first element is taken
     * @param adapter the anti-corruption adapter
     * @param options idempotency and fallback
     * @param <U> the upstream's response type
     * @param <D> the domain type
     * @return a cold {@code Flux} of at most one element: each subscription is one call
     * @throws NullPointerException if an argument is null
     */
    public <U, D> Flux<D> flux(ReactiveUpstreamCall<U> call, Adapter<U, D> adapter, CallOptions<D> options) {
        return mono(call, adapter, options).flux();
    }

    /**
     * An operator for {@code Mono#transformDeferred}: the source is subscribed once per attempt, and its value
     * is the call's, unchanged. Use {@link #mono} instead when the client can take the attempt's remaining
     * time ({@link CallContext#remaining()}), which an operator cannot hand it.
     *
     * <pre>{@code
     * Mono<Stock> stock = webClient.get().uri("/stock/{sku}", sku).retrieve().bodyToMono(Stock.class)
     *         .transformDeferred(inventory.operator(CallOptions.idempotent()));
     * }</pre>
     *
     * @param options idempotency and fallback
     * @param <T> the value type
     * @return the operator
     * @throws NullPointerException if {@code options} is null
     */
    public <T> Function<Mono<T>, Mono<T>> operator(CallOptions<T> options) {
        Objects.requireNonNull(options, "options");
        return source -> mono(ctx -> source, Adapter.identity(), options);
    }

    /**
     * Puts a deadline in a Reactor context, for {@code contextWrite}: every call subscribed beneath it is
     * bounded by it, as if the deadline were bound on the calling thread.
     *
     * <pre>{@code
     * pricing.mono(call, PriceAdapter.INSTANCE).contextWrite(ReactorUpstream.deadline(Deadline.after(Duration.ofMillis(800))));
     * }</pre>
     *
     * @param deadline the deadline
     * @return a function that adds it to a context
     * @throws NullPointerException if {@code deadline} is null
     */
    public static Function<Context, Context> deadline(Deadline deadline) {
        Objects.requireNonNull(deadline, "deadline");
        return context -> context.put(Deadline.CONTEXT_KEY, deadline);
    }

    /**
     * The deadline a Reactor context carries.
     *
     * @param context the context, such as the one {@code Mono.deferContextual} hands over
     * @return the deadline, or empty if the context carries none
     * @throws NullPointerException if {@code context} is null
     */
    public static Optional<Deadline> deadline(ContextView context) {
        Objects.requireNonNull(context, "context");
        Object value = context.getOrDefault(Deadline.CONTEXT_KEY, null);
        return value instanceof Deadline d ? Optional.of(d) : Optional.empty();
    }

    /**
     * Starts one call, with the subscriber's context on the thread while it starts: the call captures it there
     * (its deadline, its observation, the application's values) as it captures a synchronous caller's.
     */
    private <U, D> CompletableFuture<D> start(ReactiveUpstreamCall<U> call, Adapter<U, D> adapter, CallOptions<D> options,
            ContextView view) {
        if (view.isEmpty()) {
            return upstream.callAsync(ctx -> attempt(call, ctx, null), adapter, options);
        }
        try (ContextSnapshot.Scope scope = FROM_REACTOR.setThreadLocalsFrom(view)) {
            return upstream.callAsync(ctx -> attempt(call, ctx, view), adapter, options);
        }
    }

    /**
     * Subscribes to one attempt's publisher, with the subscriber's context and a hook for the errors it drops;
     * cancelling the future cancels it.
     */
    private static <U> CompletableFuture<U> attempt(ReactiveUpstreamCall<U> call, CallContext ctx, @Nullable ContextView view)
            throws Exception {
        Mono<U> attempt = Mono.from(Objects.requireNonNull(call.call(ctx), "the reactive upstream call returned null"));
        LateErrors late = new LateErrors(ctx, view == null ? null : view.getOrDefault(ON_ERROR_DROPPED, null));
        CompletableFuture<U> future = attempt.contextWrite(c -> (view == null ? c : c.putAll(view)).put(ON_ERROR_DROPPED, late))
                .toFuture();
        late.attempt = future;
        return future;
    }

    /**
     * Reactor's context key for a sequence's own {@code onErrorDropped} hook ({@code Hooks.KEY_ON_ERROR_DROPPED},
     * described on {@code Hooks} as the key for a sequence-specific hook; not public, so spelled out here).
     */
    private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

    /**
     * The errors an attempt's publisher drops. After Levee cancelled the attempt (its timeout, or the caller's
     * cancel), a publisher over a future may still see that future fail and hand the failure to Reactor's
     * dropped-error hook, which by default logs it at ERROR: the JDK's {@code HttpClient} does so for every
     * request cancelled at a timeout ({@code CompletionException: CancellationException: Request cancelled}).
     * That error is the consequence of Levee giving up, already counted as a timeout or a cancel, so it is
     * logged at DEBUG on {@code dev.levee.health}. Any other dropped error goes where it would have gone: to the
     * subscriber's own hook if its context had one, else to Reactor's global hook or its ERROR log.
     */
    private static final class LateErrors implements Consumer<Throwable> {

        private static final Logger LOG = LoggerFactory.getLogger("dev.levee.health");

        private final CallContext ctx;
        private final @Nullable Consumer<? super Throwable> subscribers;
        /** The attempt's future, set once it is subscribed; cancelled exactly when Levee gave the attempt up. */
        volatile @Nullable CompletableFuture<?> attempt;

        LateErrors(CallContext ctx, @Nullable Consumer<? super Throwable> subscribers) {
            this.ctx = ctx;
            this.subscribers = subscribers;
        }

        @Override
        public void accept(Throwable dropped) {
            CompletableFuture<?> f = attempt;
            if (f != null && f.isCancelled()) {
                LOG.debug("Upstream '{}': attempt {} failed after Levee had given up on it; its error is dropped",
                        ctx.upstream(), ctx.attempt(), dropped);
            } else if (subscribers != null) {
                subscribers.accept(dropped);
            } else {
                Operators.onErrorDropped(dropped, Context.empty()); // Reactor's global hook, or its ERROR log
            }
        }
    }

    /**
     * A {@code Mono} whose every subscription is one call: {@code Mono.deferContextual} and {@code Mono.fromFuture}
     * in one object, so the reactive path costs little more than the asynchronous one.
     */
    private static final class CallMono<U, D> extends Mono<D> {
        private final ReactorUpstream owner;
        private final ReactiveUpstreamCall<U> call;
        private final Adapter<U, D> adapter;
        private final CallOptions<D> options;

        CallMono(ReactorUpstream owner, ReactiveUpstreamCall<U> call, Adapter<U, D> adapter, CallOptions<D> options) {
            this.owner = owner;
            this.call = call;
            this.adapter = adapter;
            this.options = options;
        }

        @Override
        public void subscribe(CoreSubscriber<? super D> actual) {
            CallSubscription<D> subscription = new CallSubscription<>(actual);
            actual.onSubscribe(subscription);
            if (subscription.isCancelled()) {
                return; // cancelled in onSubscribe: no call
            }
            CompletableFuture<D> future;
            try {
                future = owner.start(call, adapter, options, actual.currentContext());
            } catch (Throwable t) { // only a failure of Levee's own code: the call path reports every other
                actual.onError(t);
                return;
            }
            subscription.future = future;
            if (subscription.isCancelled()) {
                future.cancel(true); // cancelled while the call started
                return;
            }
            future.whenComplete(subscription);
        }
    }

    /** The subscriber's side of one call: emits the call's end, and cancels the call when cancelled. */
    private static final class CallSubscription<D> extends Operators.MonoSubscriber<D, D> implements BiConsumer<D, Throwable> {
        volatile @Nullable CompletableFuture<D> future;

        CallSubscription(CoreSubscriber<? super D> actual) {
            super(actual);
        }

        @Override
        public void accept(@Nullable D value, @Nullable Throwable error) {
            if (error != null) {
                if (!isCancelled()) {
                    actual.onError(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                }
            } else if (value == null) {
                if (!isCancelled()) {
                    actual.onComplete();
                }
            } else {
                complete(value);
            }
        }

        @Override
        public void cancel() {
            super.cancel();
            CompletableFuture<D> f = future;
            if (f != null) {
                f.cancel(true); // abandons the attempt in flight or the pending retry; counted once as cancelled
            }
        }
    }
}
