package dev.levee.spec;

import static dev.levee.spec.SpecAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.levee.BreakerSpec;
import dev.levee.BreakerSpec.WindowType;
import dev.levee.InvalidSpecException;
import dev.levee.UpstreamSpec;
import dev.levee.spec.SpecAssertions.Accepted;
import dev.levee.spec.SpecAssertions.Rejected;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of {@link BreakerSpec}: values just outside the range fail at build(), edges are accepted. */
class BreakerSpecValidationTest {

    private static final String PERCENT = "between 1.0 and 100.0";
    private static final Duration ONE_MS = Duration.ofMillis(1);
    private static final Duration ONE_HOUR = Duration.ofHours(1);

    static Stream<Arguments> rejected() {
        return Stream.of(
                reject("failureRateThreshold below 1", b -> b.failureRateThreshold(0.99f),
                        "circuitBreaker.failureRateThreshold", "0.99", PERCENT),
                reject("failureRateThreshold above 100", b -> b.failureRateThreshold(100.01f),
                        "circuitBreaker.failureRateThreshold", "100.01", PERCENT),
                reject("failureRateThreshold NaN", b -> b.failureRateThreshold(Float.NaN),
                        "circuitBreaker.failureRateThreshold", "NaN", PERCENT),
                reject("slowCallRateThreshold below 1", b -> b.slowCallRateThreshold(0.99f),
                        "circuitBreaker.slowCallRateThreshold", "0.99", PERCENT),
                reject("slowCallRateThreshold above 100", b -> b.slowCallRateThreshold(100.01f),
                        "circuitBreaker.slowCallRateThreshold", "100.01", PERCENT),
                reject("slowCallThreshold zero", b -> b.slowCallThreshold(Duration.ZERO),
                        "circuitBreaker.slowCallThreshold", "0ms", "between 1ms and 60m"),
                reject("slowCallThreshold just under 1ms", b -> b.slowCallThreshold(Duration.ofNanos(999_999)),
                        "circuitBreaker.slowCallThreshold", "999999ns", "between 1ms and 60m"),
                reject("slowCallThreshold negative", b -> b.slowCallThreshold(Duration.ofMillis(-1)),
                        "circuitBreaker.slowCallThreshold", "-1ms", "between 1ms and 60m"),
                reject("slowCallThreshold just over 1h", b -> b.slowCallThreshold(ONE_HOUR.plusMillis(1)),
                        "circuitBreaker.slowCallThreshold", "3600001ms", "between 1ms and 60m"),
                reject("countWindow 0", b -> b.countWindow(0).minimumCalls(1),
                        "circuitBreaker.countWindow", "0", "between 1 and 10000"),
                reject("countWindow 10001", b -> b.countWindow(10_001).minimumCalls(1),
                        "circuitBreaker.countWindow", "10001", "between 1 and 10000"),
                reject("timeWindow 0s", b -> b.timeWindow(Duration.ZERO),
                        "circuitBreaker.timeWindow", "0ms", "between 1s and 60m"),
                reject("timeWindow negative", b -> b.timeWindow(Duration.ofSeconds(-1)),
                        "circuitBreaker.timeWindow", "-1s", "between 1s and 60m"),
                reject("timeWindow 3601s", b -> b.timeWindow(Duration.ofSeconds(3_601)),
                        "circuitBreaker.timeWindow", "3601s", "between 1s and 60m"),
                reject("minimumCalls 0, count window", b -> b.countWindow(10).minimumCalls(0),
                        "circuitBreaker.minimumCalls", "0", "between 1 and 10"),
                reject("minimumCalls above count window", b -> b.countWindow(10).minimumCalls(11),
                        "circuitBreaker.minimumCalls", "11", "between 1 and 10"),
                reject("default minimumCalls (20) above count window", b -> b.countWindow(19),
                        "circuitBreaker.minimumCalls", "20", "between 1 and 19"),
                reject("minimumCalls 0, time window", b -> b.minimumCalls(0),
                        "circuitBreaker.minimumCalls", "0", "between 1 and 10000"),
                reject("minimumCalls 10001, time window", b -> b.minimumCalls(10_001),
                        "circuitBreaker.minimumCalls", "10001", "between 1 and 10000"),
                reject("waitInOpenState zero", b -> b.waitInOpenState(Duration.ZERO),
                        "circuitBreaker.waitInOpenState", "0ms", "between 1ms and 60m"),
                reject("waitInOpenState just under 1ms", b -> b.waitInOpenState(Duration.ofNanos(999_999)),
                        "circuitBreaker.waitInOpenState", "999999ns", "between 1ms and 60m"),
                reject("waitInOpenState just over 1h", b -> b.waitInOpenState(ONE_HOUR.plusMillis(1)),
                        "circuitBreaker.waitInOpenState", "3600001ms", "between 1ms and 60m"),
                reject("halfOpenProbes 0", b -> b.halfOpenProbes(0),
                        "circuitBreaker.halfOpenProbes", "0", "between 1 and 1000"),
                reject("halfOpenProbes 1001", b -> b.halfOpenProbes(1_001),
                        "circuitBreaker.halfOpenProbes", "1001", "between 1 and 1000"));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                accept("failureRateThreshold 1", b -> b.failureRateThreshold(1), BreakerSpec::failureRateThreshold, 1f),
                accept("failureRateThreshold 100", b -> b.failureRateThreshold(100), BreakerSpec::failureRateThreshold, 100f),
                accept("slowCallRateThreshold 1", b -> b.slowCallRateThreshold(1), BreakerSpec::slowCallRateThreshold, 1f),
                accept("slowCallRateThreshold 100", b -> b.slowCallRateThreshold(100), BreakerSpec::slowCallRateThreshold, 100f),
                accept("slowCallThreshold 1ms", b -> b.slowCallThreshold(ONE_MS), BreakerSpec::slowCallThreshold, Optional.of(ONE_MS)),
                accept("slowCallThreshold 1h", b -> b.slowCallThreshold(ONE_HOUR), BreakerSpec::slowCallThreshold,
                        Optional.of(ONE_HOUR)),
                accept("countWindow 1", b -> b.countWindow(1).minimumCalls(1), s -> s.windowType() + "/" + s.windowSize(),
                        "COUNT_BASED/1"),
                accept("countWindow 10000", b -> b.countWindow(10_000), s -> s.windowType() + "/" + s.windowSize(),
                        "COUNT_BASED/10000"),
                accept("timeWindow 1s", b -> b.timeWindow(Duration.ofSeconds(1)), s -> s.windowType() + "/" + s.windowSize(),
                        "TIME_BASED/1"),
                accept("timeWindow 1h", b -> b.timeWindow(ONE_HOUR), s -> s.windowType() + "/" + s.windowSize(),
                        "TIME_BASED/3600"),
                accept("minimumCalls 1, count window", b -> b.countWindow(10).minimumCalls(1), BreakerSpec::minimumCalls, 1),
                accept("minimumCalls equal to count window", b -> b.countWindow(10).minimumCalls(10), BreakerSpec::minimumCalls, 10),
                accept("minimumCalls 1, time window", b -> b.minimumCalls(1), BreakerSpec::minimumCalls, 1),
                accept("minimumCalls 10000, time window", b -> b.minimumCalls(10_000), BreakerSpec::minimumCalls, 10_000),
                accept("waitInOpenState 1ms", b -> b.waitInOpenState(ONE_MS), BreakerSpec::waitInOpenState, ONE_MS),
                accept("waitInOpenState 1h", b -> b.waitInOpenState(ONE_HOUR), BreakerSpec::waitInOpenState, ONE_HOUR),
                accept("halfOpenProbes 1", b -> b.halfOpenProbes(1), BreakerSpec::halfOpenProbes, 1),
                accept("halfOpenProbes 1000", b -> b.halfOpenProbes(1_000), BreakerSpec::halfOpenProbes, 1_000));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void valueJustOutsideTheRangeFailsAtBuild(Rejected<BreakerSpec.Builder> r) {
        BreakerSpec.Builder builder = r.configure().apply(BreakerSpec.builder()); // setters do not validate
        assertInvalid(builder::build, r.field(), r.value(), r.allowed());
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void sameValueFailsAtUpstreamSpecBuildThroughTheCustomizer(Rejected<BreakerSpec.Builder> r) {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").circuitBreaker(cb -> r.configure().apply(cb));
        assertInvalid(builder::build, r.field(), r.value(), r.allowed());
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void edgeValueIsAccepted(Accepted<BreakerSpec.Builder, BreakerSpec> a) {
        BreakerSpec spec = a.configure().apply(BreakerSpec.builder()).build();
        assertThat(a.getter().apply(spec)).isEqualTo(a.expected());
    }

    @Test
    void timeWindowNotInWholeSecondsIsRejectedBySetter() {
        assertInvalid(() -> BreakerSpec.builder().timeWindow(Duration.ofMillis(1_500)),
                "circuitBreaker.timeWindow", "1500ms", "a whole number of seconds");
        assertInvalid(() -> BreakerSpec.builder().timeWindow(Duration.ofSeconds(30).plusNanos(1)),
                "circuitBreaker.timeWindow", "30000000001ns", "a whole number of seconds");
        assertInvalid(() -> BreakerSpec.builder().timeWindow(Duration.ofMillis(-500)),
                "circuitBreaker.timeWindow", "-500ms", "a whole number of seconds");
    }

    @Test
    void rejectedTimeWindowLeavesTheBuilderUnchanged() {
        BreakerSpec.Builder builder = BreakerSpec.builder().countWindow(50);
        assertThatCode(() -> builder.timeWindow(Duration.ofMillis(1_500))).isInstanceOf(InvalidSpecException.class);
        BreakerSpec spec = builder.build();
        assertThat(spec.windowType()).isEqualTo(WindowType.COUNT_BASED);
        assertThat(spec.windowSize()).isEqualTo(50);
    }

    @Test
    void absurdlyLongDurationsFailAsInvalidSpecNotArithmetic() {
        Duration forever = ChronoUnit.FOREVER.getDuration();
        assertThatCode(() -> BreakerSpec.builder().timeWindow(forever).build())
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("circuitBreaker.timeWindow"));
        assertThatCode(() -> BreakerSpec.builder().timeWindow(Duration.ofSeconds(Long.MAX_VALUE)).build())
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("circuitBreaker.timeWindow"));
        assertThatCode(() -> BreakerSpec.builder().timeWindow(Duration.ofSeconds(Long.MIN_VALUE)).build())
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("circuitBreaker.timeWindow"));
        assertThatCode(() -> BreakerSpec.builder().waitInOpenState(forever).build())
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("circuitBreaker.waitInOpenState"));
    }

    @Test
    void negativeTimeWindowThatWrapsToAValidIntIsStillRejected() {
        // -4294967266 s wraps to +30 when narrowed to an int: it must not become a 30 s window
        assertThatCode(() -> BreakerSpec.builder().timeWindow(Duration.ofSeconds(-4_294_967_266L)).build())
                .isInstanceOf(InvalidSpecException.class);
        assertThatCode(() -> BreakerSpec.builder().timeWindow(Duration.ofSeconds(4_294_967_326L)).build())
                .isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void lastWindowSetterWins() {
        BreakerSpec count = BreakerSpec.builder().timeWindow(Duration.ofSeconds(60)).countWindow(40).build();
        assertThat(count.windowType()).isEqualTo(WindowType.COUNT_BASED);
        assertThat(count.windowSize()).isEqualTo(40);
        BreakerSpec time = BreakerSpec.builder().countWindow(40).timeWindow(Duration.ofSeconds(60)).build();
        assertThat(time.windowType()).isEqualTo(WindowType.TIME_BASED);
        assertThat(time.windowSize()).isEqualTo(60);
    }

    private static Arguments reject(String label, UnaryOperator<BreakerSpec.Builder> configure, String field, String value,
            String allowed) {
        return argumentSet(label, new Rejected<>(configure, field, value, allowed));
    }

    private static Arguments accept(String label, UnaryOperator<BreakerSpec.Builder> configure,
            Function<BreakerSpec, Object> getter, Object expected) {
        return argumentSet(label, new Accepted<>(configure, getter, expected));
    }
}
