package dev.levee.contract;

import java.util.Objects;

/**
 * One broken expectation: its name, where (the path in the response, with list indexes such as
 * {@code items[2].sku}) and how. Never the value.
 *
 * @param expectation the expectation's name
 * @param path the path of the offending value, empty for the response as a whole
 * @param kind how it was broken
 * @since 0.2
 */
public record Violation(String expectation, String path, ViolationKind kind) {

    /**
     * Creates a violation.
     *
     * @param expectation the expectation's name
     * @param path the path of the offending value
     * @param kind how it was broken
     */
    public Violation {
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String toString() {
        return expectation + " at " + (path.isEmpty() ? "(response)" : path) + ": " + kind.label();
    }
}
