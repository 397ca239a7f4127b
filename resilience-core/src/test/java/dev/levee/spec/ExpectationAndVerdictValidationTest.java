package dev.levee.spec;

import static dev.levee.spec.SpecAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.levee.Expectation;
import dev.levee.Verdict;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The names of {@link Expectation}s and the retry-after hint of {@link Verdict#failure(String, Duration)}. */
class ExpectationAndVerdictValidationTest {

    private static final String EXPECTATION_RULE = "1 to 64 characters of letters, digits, '-', '_' or '.'";

    @ParameterizedTest
    @ValueSource(strings = {"a", "has-currency", "HasCurrency", "price_positive", "v2.amount", "0",
            "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" /* 64 */})
    void acceptedExpectationNames(String name) {
        Expectation<String> e = Expectation.of(name, s -> !s.isEmpty());
        assertThat(e.name()).isEqualTo(name);
        assertThat(e.test("x")).isTrue();
        assertThat(e.test("")).isFalse();
    }

    static Stream<Arguments> rejectedExpectationNames() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("space", "has currency"),
                argumentSet("65 characters", "e".repeat(65)),
                argumentSet("unicode letter", "prix-é"),
                argumentSet("euro sign", "in-€"),
                argumentSet("newline", "has-currency\n"),
                argumentSet("slash", "dto/currency"),
                argumentSet("tag injection", "x,env=prod"));
    }

    @ParameterizedTest
    @MethodSource("rejectedExpectationNames")
    void rejectedExpectationNames(String name) {
        assertInvalid(() -> Expectation.of(name, s -> true), "expectation.name", "'" + name + "'", EXPECTATION_RULE);
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -1_000_000, -1_000_000_000})
    void negativeRetryAfterIsRejected(long nanos) {
        Duration negative = Duration.ofNanos(nanos);
        String expected = nanos == -1 ? "-1ns" : nanos == -1_000_000 ? "-1ms" : "-1s";
        assertInvalid(() -> Verdict.failure("http 429", negative), "verdict.retryAfter", expected, "zero or more");
    }

    @Test
    void zeroRetryAfterIsAccepted() {
        Verdict<Object> v = Verdict.failure("http 503", Duration.ZERO);
        assertThat(v.kind()).isEqualTo(Verdict.Kind.FAILURE);
        assertThat(v.retryable()).isTrue();
        assertThat(v.retryAfterNanos()).isZero();
        assertThat(v.reason()).isEqualTo("http 503");
    }

    @Test
    void retryAfterIsKeptInNanosAndSaturatesInsteadOfOverflowing() {
        assertThat(Verdict.failure("http 429", Duration.ofSeconds(2)).retryAfterNanos()).isEqualTo(2_000_000_000L);
        assertThat(Verdict.failure("http 429", ChronoUnit.FOREVER.getDuration()).retryAfterNanos()).isEqualTo(Long.MAX_VALUE);
    }
}
