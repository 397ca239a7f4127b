package dev.levee.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.InvalidSpecException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions shared by the validation tables. */
public final class SpecAssertions {

    private SpecAssertions() {
    }

    /**
     * Asserts that {@code action} fails with an {@link InvalidSpecException} naming {@code field}, {@code value}
     * and {@code allowed}, both in its accessors and in its message.
     */
    public static void assertInvalid(ThrowingCallable action, String field, String value, String allowed) {
        assertThatThrownBy(action).isInstanceOfSatisfying(InvalidSpecException.class, e -> {
            assertThat(e.field()).as("field()").isEqualTo(field);
            assertThat(e.value()).as("value()").isEqualTo(value);
            assertThat(e.allowed()).as("allowed()").isEqualTo(allowed);
            assertThat(e.getMessage()).as("message").isEqualTo(field + " must be " + allowed + ", but was " + value);
        });
    }

    /** A rejected value: what the builder is given, and what the exception must say. */
    record Rejected<B>(java.util.function.UnaryOperator<B> configure, String field, String value, String allowed) {
    }

    /** An accepted edge value: what the builder is given, and the getter that must return it. */
    record Accepted<B, S>(java.util.function.UnaryOperator<B> configure, java.util.function.Function<S, Object> getter,
            Object expected) {
    }
}
