package dev.levee.internal.contract;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * How the evaluator reads one representation of a response: the consumer's objects, or a JSON tree. Every
 * method is total: what does not apply answers {@link #ABSENT}, {@link #NOT_A_CONTAINER}, {@code null} or
 * {@code -1}, never throws for data it does not like.
 */
public interface Access {

    /** A child that is not there, or is null: the two are one for a contract (a record cannot tell them apart). */
    Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "ABSENT";
        }
    };

    /** The value asked for a child is a scalar, not something with children. */
    Object NOT_A_CONTAINER = new Object() {
        @Override
        public String toString() {
            return "NOT_A_CONTAINER";
        }
    };

    /** The child named {@code segment} (a property, a key, or a list index); {@link #ABSENT} or {@link #NOT_A_CONTAINER}. */
    Object child(Object node, String segment);

    /** The child at segment {@code i} of {@code rule}'s path; an access may cache what it looked up in the rule. */
    default Object child(Object node, Rule rule, int i) {
        return child(node, rule.segments().get(i));
    }

    /** The value as a scalar's text (a string, an enum's name, a number, a boolean), or {@code null} if not a scalar. */
    @Nullable String scalar(Object node);

    /** The text of a string value, or {@code null} if not a string. */
    @Nullable CharSequence text(Object node);

    /** Whether the value is a number; then {@link #integral} or {@link #decimal} reads it. */
    boolean isNumber(Object node);

    /** Whether the number fits a long exactly. */
    boolean isIntegral(Object node);

    /** The value of an integral number. */
    long integral(Object node);

    /** The value of any number. */
    BigDecimal decimal(Object node);

    /** The size of a list, map, array or string; -1 if it has none. */
    int size(Object node);

    /** The number of elements of a list or array; -1 if not one. */
    int elements(Object node);

    /** The element at {@code index} of a list or array, {@link #ABSENT} if null. */
    Object element(Object node, int index);

    /** A path segment as a list index, or -1 if it is not one (not all digits, or too long). */
    static int index(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return -1;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(segment);
    }
}
