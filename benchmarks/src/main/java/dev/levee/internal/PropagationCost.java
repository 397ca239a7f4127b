package dev.levee.internal;

import io.micrometer.context.ContextRegistry;
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
import org.slf4j.MDC;

/**
 * What context propagation adds to an enforced call, without the thread hand-off's noise around it: the
 * capture a call makes on its caller's thread, and the restore and put-back each attempt makes on its attempt
 * thread, with three MDC keys and the accessors registered by default. Lives in Levee's internal package
 * because the code it measures is package-private there (a benchmark, not an API).
 *
 * <ul>
 * <li>{@code capture}: the caller's side, once per call.</li>
 * <li>{@code captureRestorePutBack}: a whole call's worth for one attempt: capture, restore, put back. Measured
 *     on one thread, so the restore saves and puts back a thread MDC of three keys where an attempt thread
 *     usually has none: an upper bound.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class PropagationCost {

    private CallerContext.Capture capture;

    @Setup(Level.Trial)
    public void setUp() {
        capture = CallerContext.Capture.of(ContextRegistry.getInstance());
        MDC.put("requestId", "7f3c2a9e-51d4-4e0b-9a61-2c8d7e5f4b13");
        MDC.put("user", "customer-4711");
        MDC.put("route", "/checkout");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        MDC.clear();
    }

    @Benchmark
    public CallerContext capture() {
        return capture.capture();
    }

    @Benchmark
    public CallerContext captureRestorePutBack() {
        CallerContext context = capture.capture();
        try (CallerContext.Restored restored = context.restore()) {
            return context;
        }
    }
}
