package dev.levee;

import java.util.Objects;

/**
 * A specification was given a value outside what is allowed. The message names the field, the value and
 * what is allowed, for example {@code "retry.maxAttempts must be between 1 and 10, but was 0"}.
 *
 * @since 0.1
 */
public final class InvalidSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String allowed;

    /**
     * Creates the exception.
     *
     * @param field the field's path, such as {@code "retry.maxAttempts"}
     * @param value the rejected value, as text
     * @param allowed what would have been accepted
     */
    public InvalidSpecException(String field, Object value, String allowed) {
        super(field + " must be " + allowed + ", but was " + value);
        this.field = Objects.requireNonNull(field, "field");
        this.value = String.valueOf(value);
        this.allowed = Objects.requireNonNull(allowed, "allowed");
    }

    /**
     * The path of the rejected field, such as {@code "circuitBreaker.minimumCalls"}.
     *
     * @return the field's path
     */
    public String field() {
        return field;
    }

    /**
     * The rejected value, as text.
     *
     * @return the value
     */
    public String value() {
        return value;
    }

    /**
     * What would have been accepted, such as {@code "between 1 and 10"}.
     *
     * @return the allowed range or form
     */
    public String allowed() {
        return allowed;
    }
}
