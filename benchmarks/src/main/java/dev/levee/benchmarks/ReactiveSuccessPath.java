package dev.levee.benchmarks;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import dev.levee.reactor.ReactorUpstream;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * The reactive success path on a trivial upstream (a cold {@code Mono} of a field), subscribed once per call
 * with a minimal subscriber that takes the value, as a WebFlux handler's pipeline would. Each {@code Mono} is
 * assembled once: every subscription is one protected call.
 *
 * <ul>
 * <li>{@code baseline}: the upstream's {@code Mono} alone.</li>
 * <li>{@code leveeAsync}: {@code Upstream.callAsync} on the same upstream, for scale: what the Reactor entry
 *     point runs underneath.</li>
 * <li>{@code leveeMono}: {@link ReactorUpstream#mono} over {@link Stacks#leveeFull} (Levee's defaults: breaker,
 *     retry within the budget, bulkhead, attempt timeout), idempotent, Levee's meters on a
 *     {@link SimpleMeterRegistry}.</li>
 * <li>{@code r4jOperators}: resilience4j's Reactor operators as its documentation composes them,
 *     {@code transformDeferred(BulkheadOperator)}, then {@code CircuitBreakerOperator}, then {@code RetryOperator}
 *     (Retry(CircuitBreaker(Bulkhead))), configured like Levee's defaults, with their tagged metrics on a
 *     {@link SimpleMeterRegistry}. It has no timeout: a {@code TimeLimiterOperator} would add a timer per call,
 *     as Levee's attempt timeout does, so this peer does less work per call than Levee.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ReactiveSuccessPath {

    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    private final Trivial trivial = new Trivial();
    /**
     * Hidden, as a real client's {@code Mono} is: neither library may see through it (Reactor's fusion of
     * callables would let a wrapper skip the subscription).
     */
    private final Mono<String> source = Mono.fromSupplier(trivial).hide();
    private Upstreams levee;
    private Upstream upstream;
    private Mono<String> leveeMono;
    private CircuitBreaker r4jBreaker;
    private Mono<String> r4jOperators;

    @Setup(Level.Trial)
    public void setUp() {
        levee = Upstreams.builder().meterRegistry(new SimpleMeterRegistry()).build();
        upstream = levee.register(Stacks.leveeFull("reactive", TimeoutMode.ENFORCED));
        leveeMono = ReactorUpstream.of(upstream).mono(ctx -> source, Adapter.identity(), IDEMPOTENT);

        MeterRegistry registry = new SimpleMeterRegistry();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(Stacks.r4jBreakerConfig(Duration.ofSeconds(10)));
        RetryRegistry retries = RetryRegistry.of(Stacks.r4jRetryConfig(3));
        BulkheadRegistry bulkheads = BulkheadRegistry.of(Stacks.r4jBulkheadConfig());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
        r4jBreaker = breakers.circuitBreaker("reactive");
        Retry retry = retries.retry("reactive");
        Bulkhead bulkhead = bulkheads.bulkhead("reactive");
        r4jOperators = source
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .transformDeferred(CircuitBreakerOperator.of(r4jBreaker))
                .transformDeferred(RetryOperator.of(retry));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SuccessPath.check(upstream.circuitState() == CircuitState.CLOSED, "Levee's circuit left closed");
        SuccessPath.check(upstream.inFlight() == 0, "Levee's permits all returned");
        SuccessPath.check(r4jBreaker.getState() == CircuitBreaker.State.CLOSED, "resilience4j's circuit left closed");
        levee.close();
    }

    @Benchmark
    public @Nullable String baseline() {
        return take(source);
    }

    @Benchmark
    public @Nullable String leveeMono() {
        return take(leveeMono);
    }

    /** The asynchronous call path alone, under the Reactor entry point: a completed future per attempt. */
    @Benchmark
    public @Nullable String leveeAsync() {
        return upstream.callAsync(ctx -> CompletableFuture.completedFuture(trivial.get()), Adapter.identity(), IDEMPOTENT).join();
    }

    @Benchmark
    public @Nullable String r4jOperators() {
        return take(r4jOperators);
    }

    /**
     * Subscribes and returns the value, which every variant here emits before {@code subscribe} returns; fails
     * the benchmark if it did not, or if the call failed.
     */
    private static @Nullable String take(Mono<String> mono) {
        Take take = new Take();
        mono.subscribe(take);
        if (take.error != null || take.value == null) {
            throw new IllegalStateException("benchmark invalid: no value synchronously", take.error);
        }
        return take.value;
    }

    /** The smallest subscriber that takes a {@code Mono}'s value. */
    private static final class Take implements CoreSubscriber<String> {
        @Nullable String value;
        @Nullable Throwable error;

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String v) {
            value = v;
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
        }
    }
}
