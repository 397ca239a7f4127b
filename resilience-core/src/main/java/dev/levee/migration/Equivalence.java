package dev.levee.migration;

import java.util.List;
import java.util.Objects;

/**
 * Decides whether the candidate's answer is equivalent to the primary's, after each provider's adapter,
 * so at the domain level. Supply your own, or build one with {@link #structural()}:
 *
 * <pre>{@code
 * Equivalence<Recommendations> same = Equivalence.<Recommendations>structural()
 *         .ignoring("generatedAt")            // differs by nature
 *         .tolerance("items[].score", 0.01)   // v2 rounds differently
 *         .unordered("items")                 // v2 sorts by id
 *         .build();
 * }</pre>
 *
 * <p>Implementations must be thread-safe and must not throw for any pair of answers the adapters produce; a
 * throw is counted as a shadow call outcome {@code comparison_failed}.
 *
 * @param <T> the domain type both providers answer with
 * @since 0.3
 */
@FunctionalInterface
public interface Equivalence<T> {

    /**
     * Compares two answers.
     *
     * @param primary the primary's answer
     * @param candidate the candidate's answer
     * @return the differences found, empty when the answers are equivalent
     */
    List<Difference> compare(T primary, T candidate);

    /**
     * {@link Object#equals}: the whole answer, one {@link MismatchKind#VALUE} difference at {@code $}.
     *
     * @param <T> the domain type
     * @return the equivalence
     */
    static <T> Equivalence<T> equality() {
        return (p, c) -> Objects.equals(p, c) ? List.of() : List.of(new Difference("$", MismatchKind.VALUE, p, c));
    }

    /**
     * A builder of a field-by-field comparison that walks records, maps and lists (and compares everything
     * else with {@code equals}, numbers by value), with ignored fields, numeric tolerances and
     * order-insensitive lists.
     *
     * @param <T> the domain type
     * @return a new builder
     */
    static <T> StructuralEquivalence.Builder<T> structural() {
        return new StructuralEquivalence.Builder<>();
    }
}
