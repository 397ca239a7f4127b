package dev.levee.internal.contract;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One expectation of a contract, as data: what it checks, at which path, with which parameters. Evaluated
 * the same way on the consumer's own objects ({@link ObjectAccess}) and on JSON (the contract's JSON side),
 * so a contract means the same at run time, in the consumer's tests and in the provider's build.
 *
 * @param expectation the expectation's name (a metric tag value)
 * @param path the path as written, relative to the enclosing element ("" for the root)
 * @param segments the path split at dots
 * @param type what is checked
 * @param values the allowed values of {@link Type#ONE_OF}
 * @param min the lower bound of {@link Type#RANGE} or {@link Type#SIZE}
 * @param max the upper bound of {@link Type#RANGE} or {@link Type#SIZE}
 * @param pattern the pattern of {@link Type#PATTERN}
 * @param nested the rules every element must meet, for {@link Type#EACH}
 * @param predicate the free check of {@link Type#PREDICATE}; not exportable
 * @param minLong {@code min} rounded up to a long, for integral values
 * @param maxLong {@code max} rounded down to a long
 * @param matchers a matcher per thread for {@link Type#PATTERN}
 * @param getters per segment, the last class read there and its getter ({@link ObjectAccess}'s inline cache)
 */
public record Rule(String expectation, String path, List<String> segments, Type type, Set<String> values,
        @Nullable BigDecimal min, @Nullable BigDecimal max, @Nullable Pattern pattern, List<Rule> nested,
        @Nullable Predicate<Object> predicate, long minLong, long maxLong, @Nullable ThreadLocal<Matcher> matchers, @Nullable Object[] getters) {

    /** What a rule checks. The lowercase names are the contract file's. */
    public enum Type {
        PRESENT, ONE_OF, RANGE, PATTERN, SIZE, EACH, PREDICATE;

        /** The name in contract files. */
        public String fileName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Creates a rule; the integral bounds are derived from {@code min} and {@code max}. */
    public static Rule of(String expectation, String path, Type type, Set<String> values, @Nullable BigDecimal min,
            @Nullable BigDecimal max, @Nullable Pattern pattern, List<Rule> nested, @Nullable Predicate<Object> predicate) {
        List<String> segments = path.isEmpty() ? List.of() : List.of(path.split("\\.", -1));
        return new Rule(expectation, path, segments, type, Set.copyOf(values), min, max, pattern, List.copyOf(nested),
                predicate, ceil(min), floor(max), pattern == null ? null : ThreadLocal.withInitial(() -> pattern.matcher("")),
                new Object[segments.size()]);
    }

    /**
     * Whether the whole text matches the pattern, with this thread's matcher: a check that holds allocates
     * nothing. A matcher is used from {@code reset} to {@code matches} with no user code in between, so a
     * nested check on the same thread cannot disturb it.
     */
    public boolean matches(CharSequence text) {
        return matchers.get().reset(text).matches();
    }

    private static long ceil(@Nullable BigDecimal v) {
        if (v == null) {
            return Long.MIN_VALUE;
        }
        return saturate(v.setScale(0, RoundingMode.CEILING));
    }

    private static long floor(@Nullable BigDecimal v) {
        if (v == null) {
            return Long.MAX_VALUE;
        }
        return saturate(v.setScale(0, RoundingMode.FLOOR));
    }

    private static long saturate(BigDecimal integral) {
        if (integral.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) {
            return Long.MAX_VALUE;
        }
        if (integral.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) <= 0) {
            return Long.MIN_VALUE;
        }
        return integral.longValueExact();
    }
}
