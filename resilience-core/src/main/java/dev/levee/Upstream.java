package dev.levee;

import java.util.concurrent.CompletableFuture;

/**
 * One protected upstream: every call to it goes through the same fixed call path, outermost first.
 *
 * <pre>
 *  caller
 *    │
 *    ▼
 *  fallback ─────────── after a failure or rejection (never a caller fault), if one is given
 *    ▼
 *  deadline ─────────── bounds the whole call: every attempt and every wait
 *    ▼
 *  retry ────────────── idempotent calls only, with backoff and jitter, within the retry budget
 *    ▼
 *  circuit breaker ──── rejects at once while open; counts each attempt's outcome
 *    ▼
 *  bulkhead ─────────── at most N attempts in flight; rejects (or waits up to maxWait) when full
 *    ▼
 *  attempt timeout ──── clamped to what is left of the deadline
 *    ▼
 *  upstream call ────── your client, given a {@link CallContext} with the remaining time
 *    ▼
 *  classification ───── adapter's verdict, then the spec's {@link ClassificationRules}
 *    ▼
 *  contract check, translation ── the adapter's expectations, then its translation to the domain
 * </pre>
 *
 * <p>One {@link Outcome} per attempt drives the breaker, the retry decision, the fallback and the
 * observers. Every failure surfaces as an {@link UpstreamException}; the client's own exception is only its
 * cause.
 *
 * <pre>{@code
 * Upstream pricing = upstreams.register(UpstreamSpec.named("pricing").attemptTimeout(Duration.ofMillis(300)).build());
 * Price price = pricing.call(ctx -> client.quote(sku, ctx.remaining()), PriceAdapter.INSTANCE,
 *         CallOptions.<Price>idempotent().withFallback(e -> Price.UNKNOWN));
 * PricingPort port = pricing.protect(PricingPort.class, new HttpPricingPort(client));
 * }</pre>
 *
 * <p>Thread-safe: one instance serves every thread of the application.
 *
 * @since 0.1
 */
public interface Upstream {

    /**
     * The upstream's name.
     *
     * @return the configured name
     */
    String name();

    /**
     * The spec the upstream was registered with.
     *
     * @return the spec
     */
    UpstreamSpec spec();

    /**
     * Calls the upstream and returns its value unchanged; not idempotent, so never retried.
     *
     * @param call the upstream call
     * @param <U> the value type
     * @return the upstream's value
     * @throws UpstreamException if the call failed or was rejected
     */
    <U> U call(UpstreamCall<U> call);

    /**
     * Calls the upstream and translates its response with an adapter; not idempotent, so never retried.
     *
     * @param call the upstream call
     * @param adapter the anti-corruption adapter
     * @param <U> the upstream's response type
     * @param <D> the domain type
     * @return the domain value
     * @throws UpstreamException if the call failed, was rejected, or its response broke an expectation
     */
    <U, D> D call(UpstreamCall<U> call, Adapter<U, D> adapter);

    /**
     * Calls the upstream with an adapter and per-call options (idempotency, fallback). Blocks the calling
     * thread for at most the deadline (plus a few milliseconds with {@link TimeoutMode#ENFORCED}).
     *
     * @param call the upstream call
     * @param adapter the anti-corruption adapter
     * @param options idempotency and fallback
     * @param <U> the upstream's response type
     * @param <D> the domain type
     * @return the domain value, or the fallback's
     * @throws UpstreamException if the call failed and no fallback applied
     * @throws java.util.concurrent.CancellationException if the calling thread was interrupted while waiting;
     *     its interrupt flag is set again
     */
    <U, D> D call(UpstreamCall<U> call, Adapter<U, D> adapter, CallOptions<D> options);

    /**
     * Calls the upstream asynchronously and returns its value unchanged; not idempotent.
     *
     * @param call the asynchronous upstream call
     * @param <U> the value type
     * @return a future completed with the value, or with an {@link UpstreamException}
     */
    <U> CompletableFuture<U> callAsync(AsyncUpstreamCall<U> call);

    /**
     * Calls the upstream asynchronously and translates its response; not idempotent.
     *
     * @param call the asynchronous upstream call
     * @param adapter the anti-corruption adapter
     * @param <U> the upstream's response type
     * @param <D> the domain type
     * @return a future completed with the domain value, or with an {@link UpstreamException}
     */
    <U, D> CompletableFuture<D> callAsync(AsyncUpstreamCall<U> call, Adapter<U, D> adapter);

    /**
     * Calls the upstream asynchronously with an adapter and options. Never blocks a thread to wait:
     * timeouts and backoff are scheduled. Cancelling the returned future cancels the attempt in flight.
     *
     * @param call the asynchronous upstream call
     * @param adapter the anti-corruption adapter
     * @param options idempotency and fallback
     * @param <U> the upstream's response type
     * @param <D> the domain type
     * @return a future completed with the domain value or the fallback's, or with an {@link UpstreamException}
     */
    <U, D> CompletableFuture<D> callAsync(AsyncUpstreamCall<U> call, Adapter<U, D> adapter, CallOptions<D> options);

    /**
     * Guards a port: an interface written in the domain's language whose implementation talks to this
     * upstream. Every abstract method of the returned proxy is a guarded call (asynchronous when it returns
     * {@code CompletionStage} or {@code CompletableFuture}); methods annotated {@link Idempotent} (or all of
     * an annotated interface) are retried. {@code Object} methods and default methods behave normally, and
     * default methods reach the implementation through the guarded methods.
     *
     * @param port the port interface
     * @param implementation the implementation that calls the upstream
     * @param <P> the port type
     * @return the guarded proxy
     * @throws IllegalArgumentException if {@code port} is not an interface
     */
    <P> P protect(Class<P> port, P implementation);

    /**
     * Guards a port, with a fallback implementation of the same port: after a failure or rejection, the
     * same method of {@code fallback} is called with the same arguments.
     *
     * @param port the port interface
     * @param implementation the implementation that calls the upstream
     * @param fallback the implementation that answers when the upstream cannot
     * @param <P> the port type
     * @return the guarded proxy
     * @throws IllegalArgumentException if {@code port} is not an interface
     */
    <P> P protect(Class<P> port, P implementation, P fallback);

    /**
     * The circuit breaker's current state.
     *
     * @return the state
     */
    CircuitState circuitState();

    /**
     * Evaluates the upstream's health now, by the rule documented on {@link HealthState}. A change of state
     * noticed here is logged and told to the {@link HealthListener}s once.
     *
     * @return a fresh snapshot
     */
    UpstreamHealth health();

    /**
     * How many attempts hold a bulkhead permit right now.
     *
     * @return the number of attempts in flight
     */
    int inFlight();

    /**
     * Operator control: opens the circuit by hand, so every call is rejected (state
     * {@link CircuitState#FORCED_OPEN}) until {@link #closeCircuit()} or {@link #resetCircuit()}.
     * Logged, and reflected in health at once.
     */
    void forceCircuitOpen();

    /** Operator control: closes the circuit by hand; calls flow again and the window starts anew. */
    void closeCircuit();

    /** Operator control: resets the circuit to closed and forgets every recorded outcome. */
    void resetCircuit();

    /**
     * An escape hatch to the engine underneath, with no compatibility promise: for example
     * {@code unwrap(io.github.resilience4j.circuitbreaker.CircuitBreaker.class)}. With a time window (the
     * default), Levee counts the closed circuit's outcomes in a window of its own and resilience4j's breaker
     * keeps the state machine; the breaker returned reports Levee's counts from {@code getMetrics()}.
     *
     * @param type the engine type wanted
     * @param <T> the type
     * @return the engine object
     * @throws IllegalArgumentException if nothing of that type is underneath
     */
    <T> T unwrap(Class<T> type);
}
