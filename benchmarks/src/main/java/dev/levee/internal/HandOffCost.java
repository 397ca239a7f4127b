package dev.levee.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
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
 * The bare hand-off of an enforced attempt, taken apart: a {@code FutureTask} handed to Levee's attempt
 * executor and waited for, next to the same on a plain {@code newVirtualThreadPerTaskExecutor()} (JDK 21+)
 * or a plain pool (JDK 17). With {@code TimedCall}, it tells the executor's share of a timed call from the
 * share of Levee's code around it. Lives in Levee's internal package because {@link Scheduling} is internal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class HandOffCost {

    private static final Callable<String> TRIVIAL = () -> "ok";

    private Scheduling scheduling;
    private ExecutorService plain;
    private dev.levee.Upstreams upstreams;
    private UpstreamEngine engine;
    private static final dev.levee.UpstreamCall<String> CALL = ctx -> "ok";

    @Setup(Level.Trial)
    public void setUp() {
        scheduling = new Scheduling(256);
        try {
            plain = (ExecutorService) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException jdk17) {
            plain = null;
        }
        upstreams = dev.levee.Upstreams.builder().build();
        engine = (UpstreamEngine) upstreams.register(dev.levee.benchmarks.Stacks.leveeBreakerOnly("hand-off",
                dev.levee.TimeoutMode.ENFORCED));
        if (plain == null) {
            plain = java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r);
                t.setDaemon(true);
                return t;
            });
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        upstreams.close();
        scheduling.close();
        plain.shutdownNow();
    }

    /** A {@code FutureTask} on Levee's attempt executor, waited for with a timeout. */
    @Benchmark
    public String leveeExecutor() throws Exception {
        FutureTask<String> task = new FutureTask<>(TRIVIAL);
        scheduling.attempts().execute(task);
        return task.get(1, TimeUnit.SECONDS);
    }

    /** The same on a plain executor of the same kind. */
    @Benchmark
    public String plainExecutor() throws Exception {
        FutureTask<String> task = new FutureTask<>(TRIVIAL);
        plain.execute(task);
        return task.get(1, TimeUnit.SECONDS);
    }

    /** A {@code Callable} submitted to a plain executor of the same kind (its own future): what {@code TimeLimiter} is handed. */
    @Benchmark
    public String plainSubmit() throws Exception {
        return plain.submit(TRIVIAL).get(1, TimeUnit.SECONDS);
    }

    /**
     * Levee's attempt task (its view, abandonment, bulkhead release) on Levee's executor, without the engine's
     * call path around it: admission, settling, recording.
     */
    @Benchmark
    public String attemptTask() throws Exception {
        long now = System.nanoTime();
        Attempt a = new Attempt(engine, true, now, now + 1_000_000_000L);
        a.context = CallerContext.NONE;
        engine.bulkhead.tryAcquire();
        AttemptTask<String> task = new AttemptTask<>(CALL, new AttemptView(a, engine, a.context, null), engine.bulkhead,
                engine.scheduling);
        engine.scheduling.attempts().execute(task);
        return task.get(1, TimeUnit.SECONDS);
    }

    /**
     * A plain {@code FutureTask} whose work makes the same shared-state steps as an attempt task's: claim a
     * flag, end an abandonment, release a permit, mark its thread freed (fresh objects each call, as there).
     */
    @Benchmark
    public String futureTaskWithAttemptSteps() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean freed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Object> abandonment = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger permits = PERMITS;
        permits.incrementAndGet();
        FutureTask<String> task = new FutureTask<>(() -> {
            if (!claimed.compareAndSet(false, true)) {
                return null;
            }
            try {
                return TRIVIAL.call();
            } finally {
                abandonment.compareAndSet(null, Boolean.TRUE);
                permits.decrementAndGet();
                freed.compareAndSet(false, true);
            }
        });
        scheduling.attempts().execute(task);
        return task.get(1, TimeUnit.SECONDS);
    }

    private static final java.util.concurrent.atomic.AtomicInteger PERMITS = new java.util.concurrent.atomic.AtomicInteger();
}
