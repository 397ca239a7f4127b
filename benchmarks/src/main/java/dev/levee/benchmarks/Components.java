package dev.levee.benchmarks;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * What the parts of a protected call cost on this machine, one thread: the floor under any protection
 * layer, measured in the same run as the layers themselves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class Components {

    private static final ThreadLocal<Object> LOCAL = ThreadLocal.withInitial(Object::new);

    private final Clock utc = Clock.systemUTC();
    private final AtomicLong counter = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger gauge = new java.util.concurrent.atomic.AtomicInteger();
    private final Semaphore semaphore = new Semaphore(25);
    private Timer timer;
    private Counter meterCounter;
    private CircuitBreaker quietBreaker;
    private CircuitBreaker listenedBreaker;

    @Setup(Level.Trial)
    public void setUp() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        timer = Timer.builder("t").register(registry);
        meterCounter = Counter.builder("c").register(registry);
        quietBreaker = CircuitBreaker.of("quiet", Stacks.r4jBreakerConfig(Duration.ofSeconds(10)));
        listenedBreaker = CircuitBreaker.of("listened", Stacks.r4jBreakerConfig(Duration.ofSeconds(10)));
        listenedBreaker.getEventPublisher().onStateTransition(e -> { });
    }

    /** One {@code System.nanoTime()}. */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** One {@code System.currentTimeMillis()}. */
    @Benchmark
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    /** The wall-clock read resilience4j's time-based window makes on every recorded call. */
    @Benchmark
    public long utcInstant() {
        return utc.instant().getEpochSecond();
    }

    /** One {@code ThreadLocal.get()} that hits. */
    @Benchmark
    public Object threadLocal() {
        return LOCAL.get();
    }

    /** One uncontended atomic increment. */
    @Benchmark
    public long atomicIncrement() {
        return counter.incrementAndGet();
    }

    /** A counter taken up and down again: a bulkhead without waiting. */
    @Benchmark
    public boolean atomicPair() {
        boolean got = gauge.incrementAndGet() <= 25;
        gauge.decrementAndGet();
        return got;
    }

    /** A semaphore permit taken and given back: a bulkhead. */
    @Benchmark
    public boolean semaphore() {
        boolean got = semaphore.tryAcquire();
        semaphore.release();
        return got;
    }

    /** Micrometer {@code Counter.increment()} on a simple registry. */
    @Benchmark
    public void meterCounter() {
        meterCounter.increment();
    }

    /** Micrometer {@code Timer.record(long, TimeUnit)} on a simple registry. */
    @Benchmark
    public void meterTimer() {
        timer.record(1_000, TimeUnit.NANOSECONDS);
    }

    /** resilience4j's breaker: {@code tryAcquirePermission()} + {@code onSuccess(d)}, nobody listening. */
    @Benchmark
    public boolean breakerQuiet() {
        boolean ok = quietBreaker.tryAcquirePermission();
        quietBreaker.onSuccess(1_000, TimeUnit.NANOSECONDS);
        return ok;
    }

    /** The same with one state-transition listener: every success now builds an event. */
    @Benchmark
    public boolean breakerListened() {
        boolean ok = listenedBreaker.tryAcquirePermission();
        listenedBreaker.onSuccess(1_000, TimeUnit.NANOSECONDS);
        return ok;
    }
}
