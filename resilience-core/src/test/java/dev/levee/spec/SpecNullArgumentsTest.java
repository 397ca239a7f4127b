package dev.levee.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.levee.BreakerSpec;
import dev.levee.BulkheadSpec;
import dev.levee.CallOptions;
import dev.levee.ClassificationRules;
import dev.levee.Expectation;
import dev.levee.RetrySpec;
import dev.levee.UpstreamSpec;
import dev.levee.Verdict;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A null argument fails at once with a NullPointerException whose message is the parameter's name. */
class SpecNullArgumentsTest {

    static Stream<Arguments> nullArguments() {
        return Stream.of(
                row("UpstreamSpec.named", () -> UpstreamSpec.named(null), "name"),
                row("UpstreamSpec.Builder.name", () -> spec().name(null), "name"),
                row("owner", () -> spec().owner(null), "owner"),
                row("criticality", () -> spec().criticality(null), "criticality"),
                row("attemptTimeout", () -> spec().attemptTimeout(null), "attemptTimeout"),
                row("timeoutMode", () -> spec().timeoutMode(null), "timeoutMode"),
                row("deadline", () -> spec().deadline(null), "deadline"),
                row("circuitBreaker spec", () -> spec().circuitBreaker((BreakerSpec) null), "circuitBreaker"),
                row("circuitBreaker customizer", () -> spec().circuitBreaker((Consumer<BreakerSpec.Builder>) null), "customizer"),
                row("retry spec", () -> spec().retry((RetrySpec) null), "retry"),
                row("retry customizer", () -> spec().retry((Consumer<RetrySpec.Builder>) null), "customizer"),
                row("bulkhead spec", () -> spec().bulkhead((BulkheadSpec) null), "bulkhead"),
                row("bulkhead customizer", () -> spec().bulkhead((Consumer<BulkheadSpec.Builder>) null), "customizer"),
                row("classification rules", () -> spec().classification((ClassificationRules) null), "classification"),
                row("classification customizer",
                        () -> spec().classification((Consumer<ClassificationRules.Builder>) null), "customizer"),
                row("timeSource", () -> spec().timeSource(null), "timeSource"),
                row("slowCallThreshold", () -> BreakerSpec.builder().slowCallThreshold(null), "slowCallThreshold"),
                row("timeWindow", () -> BreakerSpec.builder().timeWindow(null), "timeWindow"),
                row("waitInOpenState", () -> BreakerSpec.builder().waitInOpenState(null), "waitInOpenState"),
                row("initialBackoff", () -> RetrySpec.builder().exponentialBackoff(null, 2), "initialBackoff"),
                row("maxBackoff", () -> RetrySpec.builder().maxBackoff(null), "maxBackoff"),
                row("budgetWindow", () -> RetrySpec.builder().budget(0.2, 10, null), "budgetWindow"),
                row("maxWait", () -> BulkheadSpec.builder().maxWait(null), "maxWait"),
                row("passThrough type", () -> ClassificationRules.builder().passThrough((Class<? extends Throwable>) null), "type"),
                row("callerFault type", () -> ClassificationRules.builder().callerFault((Class<? extends Throwable>) null), "type"),
                row("timeout type", () -> ClassificationRules.builder().timeout((Class<? extends Throwable>) null), "type"),
                row("notRetryable type", () -> ClassificationRules.builder().notRetryable((Class<? extends Throwable>) null), "type"),
                row("Expectation name", () -> Expectation.of(null, x -> true), "name"),
                row("Expectation check", () -> Expectation.of("ok", null), "check"),
                row("Verdict.callerFault reason", () -> Verdict.callerFault(null), "reason"),
                row("Verdict.failure reason", () -> Verdict.failure(null), "reason"),
                row("Verdict.failure retryAfter", () -> Verdict.failure("http 429", null), "retryAfter"),
                row("Verdict.failure reason with retryAfter", () -> Verdict.failure(null, Duration.ZERO), "reason"),
                row("Verdict.permanentFailure reason", () -> Verdict.permanentFailure(null), "reason"),
                row("CallOptions.withFallback", () -> CallOptions.defaults().withFallback(null), "fallback"));
    }

    @ParameterizedTest
    @MethodSource("nullArguments")
    void nullArgumentIsNamed(ThrowingCallable call, String parameter) {
        assertThatThrownBy(call).isInstanceOf(NullPointerException.class).hasMessage(parameter);
    }

    private static UpstreamSpec.Builder spec() {
        return UpstreamSpec.named("pricing");
    }

    private static Arguments row(String label, ThrowingCallable call, String parameter) {
        return argumentSet(label, call, parameter);
    }
}
