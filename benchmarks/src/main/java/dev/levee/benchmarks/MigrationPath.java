package dev.levee.benchmarks;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationSpec;
import dev.levee.migration.Stage;
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
 * What a provider migration adds to a call: the same trivial call made directly on the primary's upstream,
 * and through a migration in each stage. Both providers are {@link Stacks#leveeBreakerOnly} upstreams
 * returning the same value, no meter registry. One thread.
 *
 * <ul>
 * <li>{@code direct}: {@code primary.call(...)}, no migration.</li>
 * <li>{@code off}: stage OFF, every call to the primary.</li>
 * <li>{@code ramp}: stage RAMP at 50 %, the request's sticky key (a fixed string here) hashed into its bucket;
 *     the key routes to one provider, the same on every call.</li>
 * <li>{@code shadow}: stage SHADOW, the primary answers; within the shadow budget (50 calls per second) the
 *     candidate is called on an attempt thread and compared, beyond it the call is not shadowed. At this rate
 *     nearly every call is beyond the budget: what a busy caller pays, not a comparison's cost.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class MigrationPath {

    private static final String REQUEST = "sku-4711";

    private Upstreams upstreams;
    private Upstream primary;
    private Migration<String, String> off;
    private Migration<String, String> ramp;
    private Migration<String, String> shadow;

    @Setup(Level.Trial)
    public void setUp() {
        upstreams = Upstreams.builder().build();
        primary = upstreams.register(Stacks.leveeBreakerOnly("v1", TimeoutMode.COOPERATIVE));
        upstreams.register(Stacks.leveeBreakerOnly("v2", TimeoutMode.COOPERATIVE));
        off = upstreams.migrate(spec("off").build());
        ramp = upstreams.migrate(spec("ramp").stage(Stage.RAMP).percentage(50).build());
        shadow = upstreams.migrate(spec("shadow").stage(Stage.SHADOW).build());
    }

    private static MigrationSpec.Builder<String, String> spec(String name) {
        return MigrationSpec.<String, String>named(name)
                .primary("v1", (request, ctx) -> Stacks.VALUE, Adapter.identity())
                .candidate("v2", (request, ctx) -> Stacks.VALUE, Adapter.identity());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SuccessPath.check(primary.circuitState() == CircuitState.CLOSED, "the primary's circuit left closed");
        SuccessPath.check(shadow.report().stage() == Stage.SHADOW, "the shadow migration left in SHADOW");
        upstreams.close();
    }

    @Benchmark
    public String direct() {
        return primary.call(ctx -> Stacks.VALUE, Adapter.identity(), CallOptions.defaults());
    }

    @Benchmark
    public String off() {
        return off.call(REQUEST);
    }

    @Benchmark
    public String ramp() {
        return ramp.call(REQUEST);
    }

    @Benchmark
    public String shadow() {
        return shadow.call(REQUEST);
    }
}
