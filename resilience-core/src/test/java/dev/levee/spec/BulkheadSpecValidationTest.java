package dev.levee.spec;

import static dev.levee.spec.SpecAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.levee.BulkheadSpec;
import dev.levee.UpstreamSpec;
import dev.levee.spec.SpecAssertions.Accepted;
import dev.levee.spec.SpecAssertions.Rejected;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of {@link BulkheadSpec}: values just outside the range fail at build(), edges are accepted. */
class BulkheadSpecValidationTest {

    static Stream<Arguments> rejected() {
        return Stream.of(
                reject("maxConcurrentCalls 0", b -> b.maxConcurrentCalls(0),
                        "bulkhead.maxConcurrentCalls", "0", "between 1 and 10000"),
                reject("maxConcurrentCalls 10001", b -> b.maxConcurrentCalls(10_001),
                        "bulkhead.maxConcurrentCalls", "10001", "between 1 and 10000"),
                reject("maxWait negative", b -> b.maxWait(Duration.ofMillis(-1)),
                        "bulkhead.maxWait", "-1ms", "between 0ms and 1m"),
                reject("maxWait just over 1m", b -> b.maxWait(Duration.ofMinutes(1).plusMillis(1)),
                        "bulkhead.maxWait", "60001ms", "between 0ms and 1m"));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                accept("maxConcurrentCalls 1", b -> b.maxConcurrentCalls(1), BulkheadSpec::maxConcurrentCalls, 1),
                accept("maxConcurrentCalls 10000", b -> b.maxConcurrentCalls(10_000), BulkheadSpec::maxConcurrentCalls, 10_000),
                accept("maxWait 0", b -> b.maxWait(Duration.ZERO), BulkheadSpec::maxWait, Duration.ZERO),
                accept("maxWait 1m", b -> b.maxWait(Duration.ofMinutes(1)), BulkheadSpec::maxWait, Duration.ofMinutes(1)));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void valueJustOutsideTheRangeFailsAtBuild(Rejected<BulkheadSpec.Builder> r) {
        BulkheadSpec.Builder builder = r.configure().apply(BulkheadSpec.builder()); // setters do not validate
        assertInvalid(builder::build, r.field(), r.value(), r.allowed());
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void sameValueFailsAtUpstreamSpecBuildThroughTheCustomizer(Rejected<BulkheadSpec.Builder> r) {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").bulkhead(bb -> r.configure().apply(bb));
        assertInvalid(builder::build, r.field(), r.value(), r.allowed());
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void edgeValueIsAccepted(Accepted<BulkheadSpec.Builder, BulkheadSpec> a) {
        BulkheadSpec spec = a.configure().apply(BulkheadSpec.builder()).build();
        assertThat(a.getter().apply(spec)).isEqualTo(a.expected());
    }

    @Test
    void maxConcurrentCallsShortcutValidatesAtBuild() {
        UpstreamSpec.Builder low = UpstreamSpec.named("pricing").maxConcurrentCalls(0);
        assertInvalid(low::build, "bulkhead.maxConcurrentCalls", "0", "between 1 and 10000");
        UpstreamSpec.Builder high = UpstreamSpec.named("pricing").maxConcurrentCalls(10_001);
        assertInvalid(high::build, "bulkhead.maxConcurrentCalls", "10001", "between 1 and 10000");
        assertThat(UpstreamSpec.named("pricing").maxConcurrentCalls(10_000).build().bulkhead().maxConcurrentCalls())
                .isEqualTo(10_000);
    }

    @Test
    void maxConcurrentCallsShortcutKeepsTheMaxWait() {
        UpstreamSpec spec = UpstreamSpec.named("pricing").bulkhead(b -> b.maxWait(Duration.ofMillis(200)))
                .maxConcurrentCalls(7).build();
        assertThat(spec.bulkhead().maxConcurrentCalls()).isEqualTo(7);
        assertThat(spec.bulkhead().maxWait()).isEqualTo(Duration.ofMillis(200));
    }

    private static Arguments reject(String label, UnaryOperator<BulkheadSpec.Builder> configure, String field, String value,
            String allowed) {
        return argumentSet(label, new Rejected<>(configure, field, value, allowed));
    }

    private static Arguments accept(String label, UnaryOperator<BulkheadSpec.Builder> configure,
            Function<BulkheadSpec, Object> getter, Object expected) {
        return argumentSet(label, new Accepted<>(configure, getter, expected));
    }
}
