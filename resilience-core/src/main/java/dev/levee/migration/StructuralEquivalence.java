package dev.levee.migration;

import dev.levee.internal.Check;
import dev.levee.internal.StructuralComparer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A field-by-field {@link Equivalence}: walks records (by their components), maps (by key) and lists and
 * arrays (by index, or as multisets where {@linkplain Builder#unordered unordered}); compares numbers by
 * value (an {@code Integer} 3 equals a {@code Long} 3), within a tolerance where one is set, and everything
 * else with {@code equals}. Sets are compared as unordered.
 *
 * <p>Fields are named by path without list indexes: {@code total}, {@code customer.tier},
 * {@code items[].score}. Immutable and thread-safe; build one with {@link Equivalence#structural()}.
 *
 * @param <T> the domain type
 * @since 0.3
 */
public final class StructuralEquivalence<T> implements Equivalence<T> {

    private final StructuralComparer comparer;

    private StructuralEquivalence(Builder<T> b) {
        this.comparer = new StructuralComparer(Set.copyOf(b.ignored), Map.copyOf(b.tolerances), Set.copyOf(b.unordered));
    }

    @Override
    public List<Difference> compare(T primary, T candidate) {
        return comparer.compare(primary, candidate);
    }

    /**
     * Builds a {@link StructuralEquivalence}. Not thread-safe.
     *
     * @param <T> the domain type
     * @since 0.3
     */
    public static final class Builder<T> {
        private final Set<String> ignored = new HashSet<>();
        private final Map<String, Double> tolerances = new HashMap<>();
        private final Set<String> unordered = new HashSet<>();

        Builder() {
        }

        /**
         * Ignores fields that differ by nature (timestamps, request ids), with everything beneath them.
         *
         * @param fields paths such as {@code generatedAt} or {@code items[].traceId}
         * @return this builder
         */
        public Builder<T> ignoring(String... fields) {
            for (String f : fields) {
                ignored.add(path("ignoring", f));
            }
            return this;
        }

        /**
         * Accepts a numeric field whose values differ by at most {@code tolerance}.
         *
         * @param field the field's path, such as {@code items[].score}
         * @param tolerance the largest accepted absolute difference, 0 or more
         * @return this builder
         * @throws dev.levee.InvalidSpecException if the tolerance is negative or not a number
         */
        public Builder<T> tolerance(String field, double tolerance) {
            tolerances.put(path("tolerance", field), Check.range("tolerance(" + field + ")", tolerance, 0.0, Double.MAX_VALUE));
            return this;
        }

        /**
         * Compares a list as a multiset: the same elements in any order are equivalent.
         *
         * @param fields the lists' paths, such as {@code items}; {@code $} for an answer that is itself a list
         * @return this builder
         */
        public Builder<T> unordered(String... fields) {
            for (String f : fields) {
                unordered.add(path("unordered", f));
            }
            return this;
        }

        private static String path(String what, String field) {
            Objects.requireNonNull(field, what);
            if (field.isBlank()) {
                throw new dev.levee.InvalidSpecException(what, "\"" + field + "\"", "a field path such as items[].score");
            }
            return field.replaceAll("\\[\\d*]", "[]");
        }

        /**
         * Builds the equivalence.
         *
         * @return the equivalence
         */
        public StructuralEquivalence<T> build() {
            return new StructuralEquivalence<>(this);
        }
    }
}
