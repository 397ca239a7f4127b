package dev.levee.contract;

import java.util.Locale;

/**
 * How a response broke an expectation. Never carries the value: payloads stay out of logs and metrics.
 *
 * @since 0.2
 */
public enum ViolationKind {
    /** The value is absent or null (one kind: a deserialized record cannot tell the two apart). */
    MISSING,
    /** The value, or a value on its path, has another type than the expectation needs (a string where a number is expected). */
    WRONG_TYPE,
    /** The value is not one of the allowed values. */
    NOT_ONE_OF,
    /** The number is outside the allowed range. */
    OUT_OF_RANGE,
    /** The text does not match the pattern. */
    NO_MATCH,
    /** The list, map or text has a size outside the allowed range. */
    WRONG_SIZE,
    /** A free predicate returned {@code false} or threw. */
    REJECTED,
    /** The response could not be read at all: not JSON, too large, too deeply nested. */
    UNREADABLE;

    /**
     * The kind as written in reports and contract files: lowercase with dashes ({@code out-of-range}).
     *
     * @return the label
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
