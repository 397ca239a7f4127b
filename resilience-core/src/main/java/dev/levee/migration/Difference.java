package dev.levee.migration;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One difference between the primary's and the candidate's answer, found by an {@link Equivalence}. It
 * holds the two values only for the comparison's own use: Levee never logs them, never puts them in a tag,
 * and keeps only their hashes, unless redacted samples are switched on ({@link MigrationSpec.Builder#samples}).
 *
 * @param path where the answers differ, such as {@code items[2].score}; {@code $} for the whole answer
 * @param kind the kind of difference
 * @param primary the primary's value there, or null if it has none
 * @param candidate the candidate's value there, or null if it has none
 * @since 0.3
 */
public record Difference(String path, MismatchKind kind, @Nullable Object primary, @Nullable Object candidate) {

    /**
     * Checks the references.
     *
     * @throws NullPointerException if {@code path} or {@code kind} is null
     */
    public Difference {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * The path with list indexes removed ({@code items[].score}), which groups the differences of one field
     * in the report.
     *
     * @return the path without indexes
     */
    public String field() {
        return path.replaceAll("\\[\\d+]", "[]");
    }

    /** Shows the path and kind only: a difference's values never reach a log through its string form. */
    @Override
    public String toString() {
        return "Difference[" + path + ", " + kind.tag() + "]";
    }
}
