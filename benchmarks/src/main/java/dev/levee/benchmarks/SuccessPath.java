package dev.levee.benchmarks;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import dev.failsafe.FailsafeExecutor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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

/**
 * The success path on a trivial upstream (it returns a field), every library side by side. One state object
 * per benchmark ({@link Scope#Benchmark}): with {@link SuccessPathT2} both threads share one upstream, as
 * the threads of an application share one dependency.
 *
 * <ul>
 * <li>{@code baseline}: the upstream called directly.</li>
 * <li>{@code leveeFull}: {@link Stacks#leveeFull} with {@link TimeoutMode#COOPERATIVE} (no thread hand-off),
 *     an idempotent {@link CallOptions} constant and Levee's meters on a {@link SimpleMeterRegistry}.</li>
 * <li>{@code leveeFullRunOff}: the same with the run-of-failures trigger off
 *     ({@code consecutiveFailures(0)}): the difference is the trigger's cost on a success.</li>
 * <li>{@code leveeFullObserved}: {@code leveeFull} with an observation registry whose one handler does
 *     nothing: a {@code levee.call} and a {@code levee.attempt} observation per call.</li>
 * <li>{@code observationBare}: {@code Observation.start("bare", registry).stop()} on that registry, for scale.</li>
 * <li>{@code leveeBreaker}: {@link Stacks#leveeBreakerOnly}, COOPERATIVE, no meter registry.</li>
 * <li>{@code r4jFull}: {@link Stacks.R4jFull}, {@code Retry(CircuitBreaker(Bulkhead(call)))} with tagged
 *     metrics and a per-upstream timer on a {@link SimpleMeterRegistry}.</li>
 * <li>{@code r4jBreaker}: {@code CircuitBreaker.decorateSupplier} alone, no metrics.</li>
 * <li>{@code leveeFullPrometheus}: {@code leveeFull} with its meters on a {@link PrometheusMeterRegistry},
 *     the registry a Spring Boot application with {@code micrometer-registry-prometheus} runs.</li>
 * <li>{@code r4jFullDefaults}: {@code r4jFull} with resilience4j's default breaker
 *     ({@link CircuitBreakerConfig#ofDefaults()}: a count window of 100 calls), on a {@link SimpleMeterRegistry}.</li>
 * <li>{@code leveeFullPolluted}: {@code leveeFull} on an upstream whose call path was first run, in the same
 *     JVM, with six other call lambdas, six other adapters, a failing call now and then (about 2%, never five
 *     in a row) and two other upstreams observed differently: the type profiles an application's JVM
 *     collects, so call sites that see one type in the other benchmarks see many here.</li>
 * <li>{@code r4jFullPrometheus}: {@code r4jFullDefaults} on a {@link PrometheusMeterRegistry}: what a Boot
 *     application that adds resilience4j with its defaults runs.</li>
 * <li>{@code failsafeFull}: {@code Failsafe.with(retryPolicy, circuitBreaker)} (Failsafe has no metrics).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public abstract class SuccessPath {

    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    private final Trivial trivial = new Trivial();
    private Upstreams leveeWithMetrics;
    private Upstreams leveeBare;
    private Upstream full;
    private Upstream fullRunOff;
    private Upstreams leveeObserved;
    private Upstream observed;
    private io.micrometer.observation.ObservationRegistry observations;
    private Upstream breakerOnly;
    private Stacks.R4jFull r4jFull;
    private Supplier<String> r4jBreaker;
    private CircuitBreaker r4jBreakerAlone;
    private FailsafeExecutor<String> failsafe;
    private Upstreams leveeOnPrometheus;
    private Upstream fullPrometheus;
    private Stacks.R4jFull r4jFullDefaults;
    private Stacks.R4jFull r4jFullPrometheus;
    private Upstream fullNoMeters;
    private static final Adapter<String, String> MEASURED_ADAPTER = response -> response;

    @Setup(Level.Trial)
    public void setUp() {
        MeterRegistry leveeRegistry = new SimpleMeterRegistry();
        leveeWithMetrics = Upstreams.builder().meterRegistry(leveeRegistry).build();
        full = leveeWithMetrics.register(Stacks.leveeFull("full", TimeoutMode.COOPERATIVE));
        // The same without the run-of-failures trigger: the difference is what the trigger costs a success.
        fullRunOff = leveeWithMetrics.register(Stacks.leveeFull("full-run-off", TimeoutMode.COOPERATIVE).toBuilder()
                .circuitBreaker(b -> b.consecutiveFailures(0)).build());
        // An observation registry with one handler that does nothing: what Levee itself costs when observed.
        observations = io.micrometer.observation.ObservationRegistry.create();
        observations.observationConfig().observationHandler(context -> true);
        leveeObserved = Upstreams.builder().meterRegistry(new SimpleMeterRegistry()).observationRegistry(observations).build();
        observed = leveeObserved.register(Stacks.leveeFull("observed", TimeoutMode.COOPERATIVE));
        leveeBare = Upstreams.builder().build();
        breakerOnly = leveeBare.register(Stacks.leveeBreakerOnly("breaker", TimeoutMode.COOPERATIVE));
        // The full stack with no meter registry: what Failsafe's full stack, which records nothing, compares with.
        fullNoMeters = leveeBare.register(Stacks.leveeFull("full-no-meters", TimeoutMode.COOPERATIVE));

        r4jFull = new Stacks.R4jFull("full", new SimpleMeterRegistry(), trivial, Duration.ofSeconds(10));
        r4jBreakerAlone = CircuitBreaker.of("breaker", Stacks.r4jBreakerConfig(Duration.ofSeconds(10)));
        r4jBreaker = CircuitBreaker.decorateSupplier(r4jBreakerAlone, trivial);

        // What a Spring Boot application runs: a Prometheus registry; resilience4j with its default breaker.
        leveeOnPrometheus = Upstreams.builder().meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).build();
        fullPrometheus = leveeOnPrometheus.register(Stacks.leveeFull("full-prometheus", TimeoutMode.COOPERATIVE));
        r4jFullDefaults = new Stacks.R4jFull("defaults", new SimpleMeterRegistry(), trivial, CircuitBreakerConfig.ofDefaults());
        r4jFullPrometheus = new Stacks.R4jFull("prometheus", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), trivial,
                CircuitBreakerConfig.ofDefaults());

        failsafe = Stacks.failsafe(Stacks.failsafeRetry(3), Stacks.failsafeBreaker(Duration.ofSeconds(10)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // A benchmark that silently measured a rejection would be worthless: every breaker must still be closed.
        check(full.circuitState() == CircuitState.CLOSED, "Levee full stack's circuit left closed");
        check(fullRunOff.circuitState() == CircuitState.CLOSED, "Levee full stack's (run trigger off) circuit left closed");
        check(breakerOnly.circuitState() == CircuitState.CLOSED, "Levee breaker's circuit left closed");
        check(r4jFull.breaker.getState() == CircuitBreaker.State.CLOSED, "resilience4j's circuit left closed");
        check(r4jBreakerAlone.getState() == CircuitBreaker.State.CLOSED, "resilience4j's lone circuit left closed");
        check(fullPrometheus.circuitState() == CircuitState.CLOSED, "Levee's circuit (Prometheus) left closed");
        check(r4jFullDefaults.breaker.getState() == CircuitBreaker.State.CLOSED, "resilience4j's default circuit left closed");
        check(r4jFullPrometheus.breaker.getState() == CircuitBreaker.State.CLOSED, "resilience4j's circuit (Prometheus) left closed");
        leveeOnPrometheus.close();
        leveeWithMetrics.close();
        leveeObserved.close();
        leveeBare.close();
    }

    /**
     * The upstream of {@code leveeFullPolluted}, in a state of its own so that only that benchmark's JVM runs
     * the polluting calls: {@code leveeFull}'s configuration, its call path first run with many types at its
     * call sites, as an application runs it before the JIT compiles it.
     */
    @State(Scope.Benchmark)
    public static class Polluted {
        Upstreams withMetrics;
        Upstreams bare;
        Upstreams observed;
        Upstream upstream;

        @Setup(Level.Trial)
        public void setUp() {
            withMetrics = Upstreams.builder().meterRegistry(new SimpleMeterRegistry()).build();
            bare = Upstreams.builder().build();
            io.micrometer.observation.ObservationRegistry registry = io.micrometer.observation.ObservationRegistry.create();
            registry.observationConfig().observationHandler(context -> true);
            observed = Upstreams.builder().meterRegistry(new SimpleMeterRegistry()).observationRegistry(registry).build();
            upstream = withMetrics.register(Stacks.leveeFull("polluted", TimeoutMode.COOPERATIVE));
            pollute(upstream, bare.register(Stacks.leveeFull("polluting-bare", TimeoutMode.COOPERATIVE)),
                    observed.register(Stacks.leveeFull("polluting-observed", TimeoutMode.COOPERATIVE)));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            check(upstream.circuitState() == CircuitState.CLOSED, "Levee's circuit (polluted profiles) left closed");
            withMetrics.close();
            bare.close();
            observed.close();
        }
    }

    /**
     * Runs the call path with many types at its call sites: several call lambdas and adapters, occasional
     * failures (one in 50, so the circuit stays closed), and upstreams with other observers.
     */
    private static void pollute(Upstream measured, Upstream... others) {
        List<dev.levee.UpstreamCall<String>> calls = List.of(ctx -> "a", ctx -> "b", ctx -> "c", ctx -> "d", ctx -> "e",
                ctx -> ctx.remaining().isNegative() ? "f" : "g");
        List<Adapter<String, String>> adapters = List.of(r -> r + "!", r -> r.trim(), r -> r.isEmpty() ? "?" : r,
                String::toUpperCase, r -> r.substring(0), r -> r.intern());
        List<Upstream> upstreams = new java.util.ArrayList<>(List.of(others));
        upstreams.add(measured);
        for (int i = 0; i < 60_000; i++) {
            Upstream u = upstreams.get(i % upstreams.size());
            if (i % 50 == 7) {
                try {
                    u.call(ctx -> {
                        throw new java.io.IOException("now and then");
                    }, adapters.get(i % adapters.size()));
                } catch (dev.levee.UpstreamException expected) {
                    // counted by the breaker, as an application's failures are
                }
                continue;
            }
            u.call(calls.get(i % calls.size()), adapters.get((i / 7) % adapters.size()), IDEMPOTENT);
        }
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark invalid: " + what);
        }
    }

    @Benchmark
    public String baseline() {
        return trivial.get();
    }

    @Benchmark
    public String leveeFull() {
        return full.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    @Benchmark
    public String leveeFullRunOff() {
        return fullRunOff.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    @Benchmark
    public String leveeFullObserved() {
        return observed.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    /** A bare observation on the same registry, for scale: {@code Observation.start(...).stop()}. */
    @Benchmark
    public io.micrometer.observation.Observation observationBare() {
        io.micrometer.observation.Observation o = io.micrometer.observation.Observation.start("bare", observations);
        o.stop();
        return o;
    }

    @Benchmark
    public String leveeBreaker() {
        return breakerOnly.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    @Benchmark
    public String r4jFull() {
        return r4jFull.get();
    }

    @Benchmark
    public String r4jBreaker() {
        return r4jBreaker.get();
    }

    @Benchmark
    public String failsafeFull() {
        return failsafe.get(trivial);
    }

    @Benchmark
    public String leveeFullPrometheus() {
        return fullPrometheus.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    @Benchmark
    public String r4jFullDefaults() {
        return r4jFullDefaults.get();
    }

    @Benchmark
    public String r4jFullPrometheus() {
        return r4jFullPrometheus.get();
    }

    @Benchmark
    public String leveeFullPolluted(Polluted polluted) {
        return polluted.upstream.call(trivial, MEASURED_ADAPTER, IDEMPOTENT);
    }

    @Benchmark
    public String leveeFullNoMeters() {
        return fullNoMeters.call(trivial, Adapter.identity(), IDEMPOTENT);
    }
}
