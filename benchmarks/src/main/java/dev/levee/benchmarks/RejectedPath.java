package dev.levee.benchmarks;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamRejectedException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The rejected path: each library's full stack (as in {@link SuccessPath}) with its circuit open, one thread.
 * The wait in the open state is an hour for every library, so no circuit half-opens during a run.
 *
 * <ul>
 * <li>{@code *Fallback}: the rejection turns into a fallback value: Levee's {@code CallOptions.withFallback},
 *     a {@code catch (CallNotPermittedException)} around resilience4j's composition (what its
 *     {@code Decorators.withFallback} does), Failsafe's {@code Fallback.of(value)} as the outermost policy.</li>
 * <li>{@code *Exception}: the rejection reaches the caller as the library's exception, caught and returned.</li>
 * <li>{@code leveeFallbackNoMetrics}: Levee's full stack and fallback without a meter registry.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class RejectedPath {

    private static final Duration LONG_OPEN = Duration.ofHours(1);
    private static final CallOptions<String> WITH_FALLBACK = CallOptions.<String>idempotent().withFallback(e -> Stacks.FALLBACK);
    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    private final Trivial trivial = new Trivial();
    private Upstreams levee;
    private Upstream upstream;
    private Upstreams leveeBare;
    private Upstream bare;
    private Stacks.R4jFull r4j;
    private dev.failsafe.CircuitBreaker<String> failsafeBreaker;
    private FailsafeExecutor<String> failsafe;
    private FailsafeExecutor<String> failsafeWithFallback;

    @Setup(Level.Trial)
    public void setUp() {
        levee = Upstreams.builder().meterRegistry(new SimpleMeterRegistry()).build();
        UpstreamSpec spec = Stacks.leveeFull("open", TimeoutMode.COOPERATIVE).toBuilder()
                .circuitBreaker(b -> b.waitInOpenState(LONG_OPEN)).build();
        upstream = levee.register(spec);
        upstream.unwrap(CircuitBreaker.class).transitionToOpenState();
        leveeBare = Upstreams.builder().build();
        bare = leveeBare.register(spec);
        bare.unwrap(CircuitBreaker.class).transitionToOpenState();

        r4j = new Stacks.R4jFull("open", new SimpleMeterRegistry(), trivial, LONG_OPEN);
        r4j.breaker.transitionToOpenState();

        failsafeBreaker = Stacks.failsafeBreaker(LONG_OPEN);
        failsafeBreaker.open();
        failsafe = Stacks.failsafe(Stacks.failsafeRetry(3), failsafeBreaker);
        failsafeWithFallback = Stacks.failsafeWithFallback(Stacks.failsafeRetry(3), failsafeBreaker);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SuccessPath.check(upstream.circuitState() == CircuitState.OPEN, "Levee's circuit stayed open");
        SuccessPath.check(bare.circuitState() == CircuitState.OPEN, "Levee's circuit (no meters) stayed open");
        SuccessPath.check(r4j.breaker.getState() == CircuitBreaker.State.OPEN, "resilience4j's circuit stayed open");
        SuccessPath.check(failsafeBreaker.isOpen(), "Failsafe's circuit stayed open");
        levee.close();
        leveeBare.close();
    }

    @Benchmark
    public String leveeFallback() {
        return upstream.call(trivial, Adapter.identity(), WITH_FALLBACK);
    }

    /** The same stack and fallback without a meter registry: what Levee itself costs, metrics aside. */
    @Benchmark
    public String leveeFallbackNoMetrics() {
        return bare.call(trivial, Adapter.identity(), WITH_FALLBACK);
    }

    @Benchmark
    public Object leveeException() {
        try {
            return upstream.call(trivial, Adapter.identity(), IDEMPOTENT);
        } catch (UpstreamRejectedException e) {
            return e;
        }
    }

    @Benchmark
    public String r4jFallback() {
        try {
            return r4j.get();
        } catch (CallNotPermittedException e) {
            return Stacks.FALLBACK;
        }
    }

    @Benchmark
    public Object r4jException() {
        try {
            return r4j.get();
        } catch (CallNotPermittedException e) {
            return e;
        }
    }

    @Benchmark
    public String failsafeFallback() {
        return failsafeWithFallback.get(trivial);
    }

    @Benchmark
    public Object failsafeException() {
        try {
            return failsafe.get(trivial);
        } catch (CircuitBreakerOpenException e) {
            return e;
        }
    }
}
