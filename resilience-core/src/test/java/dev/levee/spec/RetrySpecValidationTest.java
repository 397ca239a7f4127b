package dev.levee.spec;

import static dev.levee.spec.SpecAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.levee.RetrySpec;
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

/** Every field of {@link RetrySpec}: values just outside the range fail at build(), edges are accepted. */
class RetrySpecValidationTest {

    private static final Duration ONE_MS = Duration.ofMillis(1);
    private static final Duration ONE_MIN = Duration.ofMinutes(1);
    private static final Duration TEN_S = Duration.ofSeconds(10);

    static Stream<Arguments> rejected() {
        return Stream.of(
                reject("maxAttempts 0", b -> b.maxAttempts(0), "retry.maxAttempts", "0", "between 1 and 10"),
                reject("maxAttempts 11", b -> b.maxAttempts(11), "retry.maxAttempts", "11", "between 1 and 10"),
                reject("initialBackoff zero", b -> b.exponentialBackoff(Duration.ZERO, 2),
                        "retry.initialBackoff", "0ms", "between 1ms and 1m"),
                reject("initialBackoff just under 1ms", b -> b.exponentialBackoff(Duration.ofNanos(999_999), 2),
                        "retry.initialBackoff", "999999ns", "between 1ms and 1m"),
                reject("initialBackoff just over 1m", b -> b.exponentialBackoff(ONE_MIN.plusMillis(1), 2).maxBackoff(Duration.ofMinutes(5)),
                        "retry.initialBackoff", "60001ms", "between 1ms and 1m"),
                reject("multiplier just under 1", b -> b.exponentialBackoff(Duration.ofMillis(100), 0.999),
                        "retry.multiplier", "0.999", "between 1.0 and 10.0"),
                reject("multiplier just over 10", b -> b.exponentialBackoff(Duration.ofMillis(100), 10.001),
                        "retry.multiplier", "10.001", "between 1.0 and 10.0"),
                reject("multiplier NaN", b -> b.exponentialBackoff(Duration.ofMillis(100), Double.NaN),
                        "retry.multiplier", "NaN", "between 1.0 and 10.0"),
                reject("jitter just under 0", b -> b.jitter(-0.001), "retry.jitter", "-0.001", "between 0.0 and 1.0"),
                reject("jitter just over 1", b -> b.jitter(1.001), "retry.jitter", "1.001", "between 0.0 and 1.0"),
                reject("jitter NaN", b -> b.jitter(Double.NaN), "retry.jitter", "NaN", "between 0.0 and 1.0"),
                reject("maxBackoff below default initialBackoff", b -> b.maxBackoff(Duration.ofMillis(99)),
                        "retry.maxBackoff", "99ms", "between 100ms and 5m"),
                reject("maxBackoff below a custom initialBackoff",
                        b -> b.exponentialBackoff(Duration.ofSeconds(1), 2).maxBackoff(Duration.ofMillis(999)),
                        "retry.maxBackoff", "999ms", "between 1s and 5m"),
                reject("maxBackoff just over 5m", b -> b.maxBackoff(Duration.ofMinutes(5).plusMillis(1)),
                        "retry.maxBackoff", "300001ms", "between 100ms and 5m"),
                reject("budgetRatio just under 0", b -> b.budget(-0.001, 10, TEN_S),
                        "retry.budgetRatio", "-0.001", "between 0.0 and 1.0"),
                reject("budgetRatio just over 1", b -> b.budget(1.001, 10, TEN_S),
                        "retry.budgetRatio", "1.001", "between 0.0 and 1.0"),
                reject("budgetMinRetries -1", b -> b.budget(0.2, -1, TEN_S),
                        "retry.budgetMinRetries", "-1", "between 0 and 1000"),
                reject("budgetMinRetries 1001", b -> b.budget(0.2, 1_001, TEN_S),
                        "retry.budgetMinRetries", "1001", "between 0 and 1000"),
                reject("budgetWindow just under 1s", b -> b.budget(0.2, 10, Duration.ofMillis(999)),
                        "retry.budgetWindow", "999ms", "between 1s and 10m"),
                reject("budgetWindow just over 10m", b -> b.budget(0.2, 10, Duration.ofMinutes(10).plusMillis(1)),
                        "retry.budgetWindow", "600001ms", "between 1s and 10m"));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                accept("maxAttempts 1", b -> b.maxAttempts(1), RetrySpec::maxAttempts, 1),
                accept("maxAttempts 10", b -> b.maxAttempts(10), RetrySpec::maxAttempts, 10),
                accept("initialBackoff 1ms", b -> b.exponentialBackoff(ONE_MS, 2), RetrySpec::initialBackoff, ONE_MS),
                accept("initialBackoff 1m", b -> b.exponentialBackoff(ONE_MIN, 2).maxBackoff(ONE_MIN),
                        RetrySpec::initialBackoff, ONE_MIN),
                accept("multiplier 1", b -> b.exponentialBackoff(Duration.ofMillis(100), 1), RetrySpec::multiplier, 1.0),
                accept("multiplier 10", b -> b.exponentialBackoff(Duration.ofMillis(100), 10), RetrySpec::multiplier, 10.0),
                accept("jitter 0", b -> b.jitter(0), RetrySpec::jitter, 0.0),
                accept("jitter 1", b -> b.jitter(1), RetrySpec::jitter, 1.0),
                accept("maxBackoff equal to initialBackoff", b -> b.maxBackoff(Duration.ofMillis(100)),
                        RetrySpec::maxBackoff, Duration.ofMillis(100)),
                accept("maxBackoff 5m", b -> b.maxBackoff(Duration.ofMinutes(5)), RetrySpec::maxBackoff, Duration.ofMinutes(5)),
                accept("budgetRatio 0", b -> b.budget(0, 10, TEN_S), RetrySpec::budgetRatio, 0.0),
                accept("budgetRatio 1", b -> b.budget(1, 10, TEN_S), RetrySpec::budgetRatio, 1.0),
                accept("budgetMinRetries 0", b -> b.budget(0.2, 0, TEN_S), RetrySpec::budgetMinRetries, 0),
                accept("budgetMinRetries 1000", b -> b.budget(0.2, 1_000, TEN_S), RetrySpec::budgetMinRetries, 1_000),
                accept("budgetWindow 1s", b -> b.budget(0.2, 10, Duration.ofSeconds(1)), RetrySpec::budgetWindow,
                        Duration.ofSeconds(1)),
                accept("budgetWindow 10m", b -> b.budget(0.2, 10, Duration.ofMinutes(10)), RetrySpec::budgetWindow,
                        Duration.ofMinutes(10)));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void valueJustOutsideTheRangeFailsAtBuild(Rejected<RetrySpec.Builder> r) {
        RetrySpec.Builder builder = r.configure().apply(RetrySpec.builder()); // setters do not validate
        assertInvalid(builder::build, r.field(), r.value(), r.allowed());
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void sameValueFailsAtUpstreamSpecBuildThroughTheCustomizer(Rejected<RetrySpec.Builder> r) {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").retry(rb -> r.configure().apply(rb));
        assertInvalid(builder::build, r.field(), r.value(), r.allowed());
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void edgeValueIsAccepted(Accepted<RetrySpec.Builder, RetrySpec> a) {
        RetrySpec spec = a.configure().apply(RetrySpec.builder()).build();
        assertThat(a.getter().apply(spec)).isEqualTo(a.expected());
    }

    @Test
    void exactMessageOfTheDocumentedExample() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RetrySpec.builder().maxAttempts(0).build()))
                .hasMessage("retry.maxAttempts must be between 1 and 10, but was 0")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maxBackoffCheckFollowsTheInitialBackoffWhicheverOrderTheyAreSet() {
        RetrySpec spec = RetrySpec.builder().maxBackoff(Duration.ofSeconds(10))
                .exponentialBackoff(Duration.ofSeconds(3), 2).build();
        assertThat(spec.initialBackoff()).isEqualTo(Duration.ofSeconds(3));
        assertThat(spec.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    }

    private static Arguments reject(String label, UnaryOperator<RetrySpec.Builder> configure, String field, String value,
            String allowed) {
        return argumentSet(label, new Rejected<>(configure, field, value, allowed));
    }

    private static Arguments accept(String label, UnaryOperator<RetrySpec.Builder> configure,
            Function<RetrySpec, Object> getter, Object expected) {
        return argumentSet(label, new Accepted<>(configure, getter, expected));
    }
}
