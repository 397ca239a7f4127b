package dev.levee.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Levee's two per-call meters cost by themselves: a Micrometer {@code Timer.record} (the {@code levee.calls}
 * timer) and a {@code Counter.increment} ({@code levee.attempts}), on the registries of the success-path
 * benchmarks, and the timer without Micrometer's default pause detector (which reads the clock once more per
 * recording, to correct for pauses). One thread; the difference between {@code SuccessPathT1.leveeFull} and
 * {@code leveeFullNoMeters} is these meters inside Levee's call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class MeterCost {

    private Timer simpleTimer;
    private Timer simpleTimerNoPauseDetector;
    private Timer prometheusTimer;
    private Counter simpleCounter;
    private long duration = 1_234;

    @Setup(Level.Trial)
    public void setUp() {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        simpleTimer = Timer.builder("levee.calls").tag("upstream", "u").register(simple);
        simpleCounter = Counter.builder("levee.attempts").tag("upstream", "u").register(simple);
        SimpleMeterRegistry noPause = new SimpleMeterRegistry();
        noPause.config().pauseDetector(new NoPauseDetector());
        simpleTimerNoPauseDetector = Timer.builder("levee.calls").tag("upstream", "u").register(noPause);
        prometheusTimer = Timer.builder("levee.calls").tag("upstream", "u")
                .register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @Benchmark
    public void timerSimple() {
        simpleTimer.record(duration, TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void timerSimpleNoPauseDetector() {
        simpleTimerNoPauseDetector.record(duration, TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void timerPrometheus() {
        prometheusTimer.record(duration, TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void counterSimple() {
        simpleCounter.increment();
    }

    /** One clock reading, as Levee takes two per call (start and end). */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }
}
