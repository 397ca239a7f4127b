package dev.levee.migration;

/**
 * What kind of difference an {@link Equivalence} found between the primary's and the candidate's answer.
 * Used as the {@code kind} tag of {@code levee.migration.mismatches}, so the set is closed.
 *
 * @since 0.3
 */
public enum MismatchKind {
    /** Both answers have the field, with different values (beyond any tolerance). */
    VALUE,
    /** The primary's answer has the field (or element), the candidate's does not, or has it null. */
    MISSING,
    /** The candidate's answer has a field (or element) the primary's does not. */
    UNEXPECTED,
    /** A list or map of a different size. */
    SIZE,
    /** Values of different types at the same place (a number against a text, a list against a record). */
    TYPE;

    /**
     * The value of the {@code kind} tag.
     *
     * @return the lowercase name
     */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
