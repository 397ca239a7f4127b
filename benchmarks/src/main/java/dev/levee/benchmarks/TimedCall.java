package dev.levee.benchmarks;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A timed call: the attempt runs on another thread and the caller waits for it at most the timeout (1 s,
 * never reached here), so the cost measured is the hand-off. One thread.
 *
 * <ul>
 * <li>{@code leveeEnforced}: {@link Stacks#leveeBreakerOnly} with {@link TimeoutMode#ENFORCED}, no meter
 *     registry: Levee's own attempt executor (JDK 17: a pool of daemon threads over a {@code SynchronousQueue}).</li>
 * <li>{@code leveeEnforcedFull}: {@link Stacks#leveeFull} with ENFORCED and Levee's meters.</li>
 * <li>{@code leveeEnforcedMdc}: {@code leveeEnforced} with three MDC keys on the caller, carried to the
 *     attempt thread and put back (context propagation, on by default).</li>
 * <li>{@code leveeEnforcedNoPropagation}: {@code leveeEnforced} with three MDC keys and
 *     {@code contextPropagation(false)}: the difference to {@code leveeEnforcedMdc} is what propagation costs.</li>
 * <li>{@code r4jTimeLimiter}: {@code TimeLimiter.executeFutureSupplier(() -> executor.submit(call))}, timeout
 *     1 s, cancelling the running future; the executor is the same kind as Levee's attempt executor: on
 *     JDK 17 to 20 a pool of daemon threads over a {@code SynchronousQueue}, on JDK 21+ a virtual thread per
 *     task (what Levee uses there).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class TimedCall {

    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    private final Trivial trivial = new Trivial();
    private Upstreams bare;
    private Upstreams withMetrics;
    private Upstream enforced;
    private Upstream enforcedFull;
    private Upstreams withoutPropagation;
    private Upstream enforcedNoPropagation;
    private TimeLimiter timeLimiter;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() {
        bare = Upstreams.builder().build();
        enforced = bare.register(Stacks.leveeBreakerOnly("timed", TimeoutMode.ENFORCED));
        withMetrics = Upstreams.builder().meterRegistry(new SimpleMeterRegistry()).build();
        enforcedFull = withMetrics.register(Stacks.leveeFull("timed-full", TimeoutMode.ENFORCED));
        withoutPropagation = Upstreams.builder().contextPropagation(false).build();
        enforcedNoPropagation = withoutPropagation.register(Stacks.leveeBreakerOnly("timed-no-propagation", TimeoutMode.ENFORCED));
        timeLimiter = TimeLimiter.of("timed", TimeLimiterConfig.custom()
                .timeoutDuration(Duration.ofSeconds(1)).cancelRunningFuture(true).build());
        pool = timeLimiterExecutor();
    }

    /**
     * The executor {@code TimeLimiter} is handed, of the kind Levee's attempts run on: a virtual thread per
     * task on JDK 21+, a pool of daemon threads over a {@code SynchronousQueue} before.
     */
    static ExecutorService timeLimiterExecutor() {
        ExecutorService virtual = virtualThreadPerTask();
        if (virtual != null) {
            return virtual;
        }
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, 256, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "r4j-timed-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+, null before (compiled for JDK 17). */
    static ExecutorService virtualThreadPerTask() {
        try {
            return (ExecutorService) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread executor", e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SuccessPath.check(enforced.circuitState() == CircuitState.CLOSED, "Levee's circuit left closed");
        SuccessPath.check(enforcedFull.circuitState() == CircuitState.CLOSED, "Levee's full circuit left closed");
        bare.close();
        withMetrics.close();
        withoutPropagation.close();
        pool.shutdownNow();
    }

    @Benchmark
    public String leveeEnforced() {
        return enforced.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    @Benchmark
    public String leveeEnforcedFull() {
        return enforcedFull.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    /** Three MDC keys on the benchmark thread, as a request filter would put them. */
    @State(Scope.Thread)
    public static class CallerMdc {
        @Setup(Level.Trial)
        public void put() {
            org.slf4j.MDC.put("requestId", "7f3c2a9e-51d4-4e0b-9a61-2c8d7e5f4b13");
            org.slf4j.MDC.put("user", "customer-4711");
            org.slf4j.MDC.put("route", "/checkout");
        }

        @TearDown(Level.Trial)
        public void clear() {
            org.slf4j.MDC.clear();
        }
    }

    @Benchmark
    public String leveeEnforcedMdc(CallerMdc mdc) {
        return enforced.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    @Benchmark
    public String leveeEnforcedNoPropagation(CallerMdc mdc) {
        return enforcedNoPropagation.call(trivial, Adapter.identity(), IDEMPOTENT);
    }

    @Benchmark
    public String r4jTimeLimiter() throws Exception {
        return timeLimiter.executeFutureSupplier(() -> pool.submit((java.util.concurrent.Callable<String>) trivial));
    }

    /**
     * Control: the same {@code TimeLimiter} call with a plain {@code FutureTask} handed over with
     * {@code execute}, as Levee hands over its attempts, where {@code submit} hands over the executor's own
     * future (on JDK 21+ one bound to the thread it starts).
     */
    @Benchmark
    public String r4jTimeLimiterExecute() throws Exception {
        java.util.concurrent.FutureTask<String> task = new java.util.concurrent.FutureTask<>(trivial);
        pool.execute(task);
        return timeLimiter.executeFutureSupplier(() -> task);
    }

    /** Control: the same {@code TimeLimiter} call whose task does about 100 ns of work before it answers. */
    @Benchmark
    public String r4jTimeLimiterWorkInside() throws Exception {
        return timeLimiter.executeFutureSupplier(() -> pool.submit(() -> {
            org.openjdk.jmh.infra.Blackhole.consumeCPU(100);
            return trivial.call();
        }));
    }
}
