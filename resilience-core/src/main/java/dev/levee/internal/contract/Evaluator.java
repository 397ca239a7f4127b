package dev.levee.internal.contract;

import dev.levee.contract.Violation;
import dev.levee.contract.ViolationKind;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks rules against a value through an {@link Access}. Follows only the paths the contract names, so the
 * work is bounded by the contract and the sizes of the lists it iterates, never by how deep the data is.
 * Allocates nothing when every rule holds (boxing aside), so it can run on every call.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /**
     * Checks {@code rules} against {@code root}.
     *
     * @param skipPredicates whether free predicates are skipped (JSON: the provider cannot run them)
     * @return the violations, in rule order; {@code null} if there are none
     */
    public static @Nullable List<Violation> check(List<Rule> rules, Object root, Access access, boolean skipPredicates) {
        return check(rules, root, access, skipPredicates, "", null);
    }

    private static @Nullable List<Violation> check(List<Rule> rules, Object root, Access access, boolean skipPredicates,
            String prefix, @Nullable List<Violation> out) {
        for (int i = 0, n = rules.size(); i < n; i++) {
            out = check(rules.get(i), root, access, skipPredicates, prefix, out);
        }
        return out;
    }

    @SuppressWarnings("checkstyle:CyclomaticComplexity")
    private static @Nullable List<Violation> check(Rule rule, Object root, Access access, boolean skipPredicates,
            String prefix, @Nullable List<Violation> out) {
        if (rule.type() == Rule.Type.PREDICATE) {
            if (skipPredicates || rule.predicate() == null || access != ObjectAccess.INSTANCE) {
                return out;
            }
            boolean met;
            try {
                met = rule.predicate().test(root);
            } catch (RuntimeException | StackOverflowError e) {
                met = false;
            }
            return met ? out : add(out, rule, prefix, "", ViolationKind.REJECTED);
        }
        Object value = root;
        List<String> segments = rule.segments();
        for (int i = 0, n = segments.size(); i < n; i++) {
            value = access.child(value, rule, i);
            if (value == Access.ABSENT) {
                break;
            }
            if (value == Access.NOT_A_CONTAINER) {
                return add(out, rule, prefix, rule.path(), ViolationKind.WRONG_TYPE);
            }
        }
        if (value == Access.ABSENT) {
            return rule.type() == Rule.Type.PRESENT ? add(out, rule, prefix, rule.path(), ViolationKind.MISSING) : out;
        }
        switch (rule.type()) {
            case PRESENT:
                return out;
            case ONE_OF: {
                String s = access.scalar(value);
                if (s == null) {
                    return add(out, rule, prefix, rule.path(), ViolationKind.WRONG_TYPE);
                }
                return rule.values().contains(s) ? out : add(out, rule, prefix, rule.path(), ViolationKind.NOT_ONE_OF);
            }
            case RANGE: {
                if (!access.isNumber(value)) {
                    return add(out, rule, prefix, rule.path(), ViolationKind.WRONG_TYPE);
                }
                boolean in;
                if (access.isIntegral(value)) {
                    long v = access.integral(value);
                    in = v >= rule.minLong() && v <= rule.maxLong();
                } else {
                    java.math.BigDecimal v = access.decimal(value);
                    in = v.compareTo(rule.min()) >= 0 && v.compareTo(rule.max()) <= 0;
                }
                return in ? out : add(out, rule, prefix, rule.path(), ViolationKind.OUT_OF_RANGE);
            }
            case PATTERN: {
                CharSequence text = access.text(value);
                if (text == null) {
                    return add(out, rule, prefix, rule.path(), ViolationKind.WRONG_TYPE);
                }
                return rule.matches(text) ? out : add(out, rule, prefix, rule.path(), ViolationKind.NO_MATCH);
            }
            case SIZE: {
                int size = access.size(value);
                if (size < 0) {
                    return add(out, rule, prefix, rule.path(), ViolationKind.WRONG_TYPE);
                }
                return size >= rule.minLong() && size <= rule.maxLong() ? out : add(out, rule, prefix, rule.path(), ViolationKind.WRONG_SIZE);
            }
            case EACH: {
                int n = access.elements(value);
                if (n < 0) {
                    return add(out, rule, prefix, rule.path(), ViolationKind.WRONG_TYPE);
                }
                for (int i = 0; i < n; i++) {
                    Object element = access.element(value, i);
                    if (element == Access.ABSENT) {
                        out = add(out, rule, join(prefix, rule.path()) + "[" + i + "]", "", ViolationKind.MISSING);
                        continue;
                    }
                    // Checked without a prefix: the element's path is only built for a violation.
                    List<Violation> broken = check(rule.nested(), element, access, skipPredicates, "", null);
                    if (broken != null) {
                        String at = join(prefix, rule.path()) + "[" + i + "]";
                        out = out == null ? new ArrayList<>(broken.size()) : out;
                        for (Violation v : broken) {
                            out.add(new Violation(v.expectation(), v.path().isEmpty() ? at
                                    : v.path().startsWith("[") ? at + v.path() : at + "." + v.path(), v.kind()));
                        }
                    }
                }
                return out;
            }
            default:
                throw new IllegalStateException(rule.type().name());
        }
    }

    private static List<Violation> add(@Nullable List<Violation> out, Rule rule, String prefix, String path, ViolationKind kind) {
        List<Violation> list = out == null ? new ArrayList<>(4) : out;
        list.add(new Violation(rule.expectation(), join(prefix, path), kind));
        return list;
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : prefix + "." + path;
    }
}
