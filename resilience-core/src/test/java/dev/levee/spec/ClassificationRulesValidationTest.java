package dev.levee.spec;

import static dev.levee.spec.SpecAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.levee.CallerFaultException;
import dev.levee.ClassificationRules;
import dev.levee.ContractViolationException;
import dev.levee.DeadlineExceededException;
import dev.levee.UpstreamException;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamRejectedException;
import dev.levee.UpstreamSpec;
import dev.levee.UpstreamTimeoutException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ClassificationRules}: Levee's own exceptions and a type in two rules are rejected at build(). */
class ClassificationRulesValidationTest {

    private static final String NOT_LEVEE = "a client or domain exception type, not one of Levee's own";

    /** The rules in the order they are checked, with the setter that adds to each. */
    private static final List<String> RULES = List.of("passThrough", "callerFault", "timeout", "notRetryable");

    private static final List<Class<? extends UpstreamException>> LEVEE_TYPES = List.of(UpstreamException.class,
            UpstreamFailureException.class, UpstreamTimeoutException.class, UpstreamRejectedException.class,
            DeadlineExceededException.class, CallerFaultException.class, ContractViolationException.class);

    private static ClassificationRules.Builder add(ClassificationRules.Builder b, String rule, Class<? extends Throwable> type) {
        switch (rule) {
            case "passThrough":
                return b.passThrough(type);
            case "callerFault":
                return b.callerFault(type);
            case "timeout":
                return b.timeout(type);
            case "notRetryable":
                return b.notRetryable(type);
            default:
                throw new AssertionError(rule);
        }
    }

    static Stream<Arguments> leveeTypeInEachRule() {
        List<Arguments> rows = new ArrayList<>();
        for (String rule : RULES) {
            for (Class<? extends UpstreamException> type : LEVEE_TYPES) {
                rows.add(arguments(rule, type));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("leveeTypeInEachRule")
    void leveeOwnExceptionTypesAreRejected(String rule, Class<? extends Throwable> type) {
        ClassificationRules.Builder builder = add(ClassificationRules.builder(), rule, type); // adding does not validate
        assertInvalid(builder::build, "classification." + rule, type.getName(), NOT_LEVEE);
    }

    @ParameterizedTest(name = "{0}({1}) through UpstreamSpec")
    @MethodSource("leveeTypeInEachRule")
    void leveeOwnExceptionTypesAreRejectedAtUpstreamSpecBuild(String rule, Class<? extends Throwable> type) {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").classification(c -> add(c, rule, type));
        assertInvalid(builder::build, "classification." + rule, type.getName(), NOT_LEVEE);
    }

    static Stream<Arguments> sameTypeInTwoRules() {
        List<Arguments> rows = new ArrayList<>();
        for (int first = 0; first < RULES.size(); first++) {
            for (int second = 0; second < RULES.size(); second++) {
                if (first != second) {
                    rows.add(arguments(RULES.get(first), RULES.get(second)));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} and {1}")
    @MethodSource("sameTypeInTwoRules")
    void aTypeInTwoRulesIsRejected(String firstAdded, String secondAdded) {
        ClassificationRules.Builder builder = add(add(ClassificationRules.builder(), firstAdded, IOException.class),
                secondAdded, IOException.class);
        // reported on the rule checked later, naming the rule checked earlier
        String earlier = RULES.indexOf(firstAdded) < RULES.indexOf(secondAdded) ? firstAdded : secondAdded;
        String later = earlier.equals(firstAdded) ? secondAdded : firstAdded;
        assertInvalid(builder::build, "classification." + later, "java.io.IOException",
                "a type not already in classification." + earlier);
    }

    @Test
    void aDefaultTimeoutTypeAddedToAnotherRuleIsRejected() {
        ClassificationRules.Builder builder = ClassificationRules.builder().callerFault(SocketTimeoutException.class);
        assertInvalid(builder::build, "classification.timeout", "java.net.SocketTimeoutException",
                "a type not already in classification.callerFault");
    }

    @Test
    void theSameTypeTwiceInOneRuleIsAccepted() {
        ClassificationRules rules = ClassificationRules.builder().notRetryable(IOException.class, IOException.class).build();
        assertThat(rules.notRetryable()).containsOnly(IOException.class);
    }

    @Test
    void aSubtypeAndItsSupertypeInDifferentRulesAreAccepted() {
        // order of the rules decides: a SocketTimeoutException (an IOException) stays a timeout
        ClassificationRules rules = ClassificationRules.builder().notRetryable(IOException.class)
                .callerFault(FileNotFoundException.class).build();
        assertThat(rules.notRetryable()).containsExactly(IOException.class);
        assertThat(rules.callerFault()).containsExactly(FileNotFoundException.class);
        assertThat(rules.timeout()).containsExactly(SocketTimeoutException.class, HttpTimeoutException.class);
    }

    @Test
    void typesAreKeptInTheOrderAdded() {
        ClassificationRules rules = ClassificationRules.builder().passThrough(IllegalStateException.class)
                .passThrough(IllegalArgumentException.class, UnsupportedOperationException.class).build();
        assertThat(rules.passThrough()).containsExactly(IllegalStateException.class, IllegalArgumentException.class,
                UnsupportedOperationException.class);
    }
}
