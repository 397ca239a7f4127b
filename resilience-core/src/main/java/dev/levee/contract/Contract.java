package dev.levee.contract;

import dev.levee.InvalidSpecException;
import dev.levee.internal.contract.ContractInternals;
import dev.levee.internal.contract.Evaluator;
import dev.levee.internal.contract.JsonAccess;
import dev.levee.internal.contract.ObjectAccess;
import dev.levee.internal.contract.PathTypes;
import dev.levee.internal.contract.Rule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * What a consumer relies on in an upstream's response, written once as named expectations on the consumer's
 * own type (a record or DTO after deserialization) and used in three places: checked on live responses by
 * the call path ({@link ContractAdapter}, under the upstream's {@link ContractPolicy}), verified against
 * stubs in the consumer's tests ({@code dev.levee.contract.testkit}), and exported to a file the provider
 * verifies in its own build ({@code dev.levee.contract.json}, {@code dev.levee.contract.verifier}).
 *
 * <pre>{@code
 * static final Contract<Quote> QUOTE = Contract.of("pricing-quote", Quote.class)
 *         .present("has-amount", "amount")
 *         .range("amount-in-range", "amount", BigDecimal.ZERO, new BigDecimal("100000"))
 *         .oneOf("known-currency", "currency", "EUR", "USD")
 *         .each("lines", line -> line.present("line-has-sku", "sku"))
 *         .build();
 * }</pre>
 *
 * <p><b>Paths</b> name what the consumer reads, separated by dots: record components, bean properties
 * ({@code getX()}, {@code isX()}, {@code x()}), map keys, list indexes ({@code lines.0.sku}). On JSON they
 * are field names, so they are the JSON names (the record's components, unless renamed for Jackson).
 *
 * <p><b>Meaning</b>: fields the contract does not name never break it (a provider may add anything). Absent
 * and null are one: {@link ViolationKind#MISSING}, reported only by {@link Builder#present}; every other
 * expectation is checked only when its value is there (combine it with {@code present} to require the
 * value). A value of the wrong type for an expectation is {@link ViolationKind#WRONG_TYPE}. A result names
 * the expectation, the path and the kind, never the value.
 *
 * <p>A free predicate ({@link Builder#satisfies}) is the last resort: it cannot be exported, so a provider
 * cannot verify it; contract files list it as {@code unverifiable}, and provider reports show it as
 * unverified.
 *
 * <p>Contracts are immutable and thread-safe; builders are not thread-safe.
 *
 * @param <T> the consumer's type the contract is written on
 * @since 0.2
 */
public final class Contract<T> {

    /** The expectation name of a response that could not be read at all (not JSON, too large, too deep). */
    public static final String UNREADABLE = "unreadable";

    /** The longest path accepted, in segments. */
    public static final int MAX_PATH_SEGMENTS = 32;

    /** How deeply {@link Builder#each} may nest. */
    public static final int MAX_NESTING = 8;

    /** Jackson 3's tree nodes: checked as JSON, so a client that reads a JsonNode can be checked too. */
    private static final String JSON_TREES = "tools.jackson.databind.node.";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_$@-][A-Za-z0-9_$@:-]{0,127}");

    static {
        ContractInternals.bind(new ContractInternals.Hooks() {
            @Override
            public List<Rule> rules(Contract<?> contract) {
                return contract.rules;
            }

            @Override
            public Contract<Object> create(String name, List<Rule> rules) {
                return new Contract<>(name, rules);
            }

            @Override
            public ContractResult result(Contract<?> contract, @Nullable List<Violation> violations, boolean json) {
                return contract.result(violations, json);
            }
        });
    }

    private final String name;
    private final List<Rule> rules;
    private final List<String> expectations;
    private final List<String> predicates;
    private final ContractResult holds;
    private final ContractResult holdsOnJson;

    private Contract(String name, List<Rule> rules) {
        this.name = name;
        this.rules = List.copyOf(rules);
        List<String> names = new ArrayList<>();
        List<String> free = new ArrayList<>();
        collect(this.rules, names, free);
        this.expectations = List.copyOf(new LinkedHashSet<>(names));
        this.predicates = List.copyOf(free);
        this.holds = new ContractResult(expectations, List.of(), List.of());
        this.holdsOnJson = new ContractResult(expectations, List.of(), predicates);
    }

    private static void collect(List<Rule> rules, List<String> names, List<String> free) {
        for (Rule r : rules) {
            if (r.type() == Rule.Type.EACH) {
                collect(r.nested(), names, free);
            } else {
                names.add(r.expectation());
                if (r.type() == Rule.Type.PREDICATE) {
                    free.add(r.expectation());
                }
            }
        }
    }

    /**
     * Starts a contract on the consumer's type.
     *
     * @param name the contract's name: 1 to 64 characters of letters, digits, {@code - _ .}
     * @param type the consumer's type the expectations are written on (for type inference and documentation)
     * @param <T> the type
     * @return a new builder
     * @throws InvalidSpecException if the name is not allowed
     */
    public static <T> Builder<T> of(String name, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new Builder<>(checkName("contract.name", name), type);
    }

    /**
     * The contract's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The names of the contract's expectations, in order (those inside {@link Builder#each} included).
     *
     * @return the names
     */
    public List<String> expectations() {
        return expectations;
    }

    /**
     * The names of the free predicates, which a provider cannot verify.
     *
     * @return the names, empty if every expectation can be exported
     */
    public List<String> unverifiable() {
        return predicates;
    }

    /**
     * Checks a value of the consumer's type. Follows only the paths the contract names; allocates nothing
     * when the contract holds. A Jackson 3 {@code JsonNode} is read as JSON, as a provider reads it: field
     * names for paths, free predicates listed as {@link ContractResult#unverified()}.
     *
     * @param value the deserialized response
     * @return the result
     */
    public ContractResult check(T value) {
        Objects.requireNonNull(value, "value");
        if (value.getClass().getName().startsWith(JSON_TREES)) { // a Jackson 3 tree: read as JSON, predicates unverified
            return result(Evaluator.check(rules, value, JsonAccess.INSTANCE, true), true);
        }
        return result(Evaluator.check(rules, value, ObjectAccess.INSTANCE, false), false);
    }

    private ContractResult result(@Nullable List<Violation> violations, boolean json) {
        if (violations == null || violations.isEmpty()) {
            return json ? holdsOnJson : holds;
        }
        return new ContractResult(expectations, violations, json ? predicates : List.of());
    }

    @Override
    public String toString() {
        return "Contract[" + name + ", " + expectations + "]";
    }

    static String checkName(String field, String name) {
        Objects.requireNonNull(name, field);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidSpecException(field, "'" + name + "'", "1 to 64 characters of letters, digits, '-', '_' or '.'");
        }
        return name;
    }

    /**
     * Expectations on a value, shared by the contract's builder and the builder of list elements
     * ({@link Builder#each}). Paths are relative to the value.
     *
     * @param <B> the concrete builder
     * @since 0.2
     */
    public abstract static class Expectations<B extends Expectations<B>> {

        final List<Rule> rules = new ArrayList<>();
        final Set<String> names;
        final int depth;

        Expectations(Set<String> names, int depth) {
            this.names = names;
            this.depth = depth;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * Expects the value at {@code path} to be there and not null.
         *
         * @param name the expectation's name (a metric tag value: fixed in code)
         * @param path the path
         * @return this builder
         * @throws InvalidSpecException if the name is taken or not allowed, or the path is not allowed
         */
        public B present(String name, String path) {
            return add(name, path, Rule.Type.PRESENT, Set.of(), null, null, null, List.of());
        }

        /**
         * Expects the value at {@code path}, when there, to be one of {@code values}: compared as text (an
         * enum's name, a number without trailing zeros, {@code true}/{@code false}).
         *
         * @param name the expectation's name
         * @param path the path
         * @param values the allowed values, at least one
         * @return this builder
         * @throws InvalidSpecException if no value is given, or as for {@link #present}
         */
        public B oneOf(String name, String path, String... values) {
            Objects.requireNonNull(values, "values");
            if (values.length == 0) {
                throw new InvalidSpecException("contract." + name + ".values", "none", "at least one value");
            }
            return add(name, path, Rule.Type.ONE_OF, Set.of(values), null, null, null, List.of());
        }

        /**
         * Expects the number at {@code path}, when there, to lie in {@code [min, max]}.
         *
         * @param name the expectation's name
         * @param path the path
         * @param min the least allowed value
         * @param max the greatest allowed value, at least {@code min}
         * @return this builder
         * @throws InvalidSpecException if {@code min > max}, or as for {@link #present}
         */
        public B range(String name, String path, BigDecimal min, BigDecimal max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.compareTo(max) > 0) {
                throw new InvalidSpecException("contract." + name + ".max", max.toPlainString(), "at least min (" + min.toPlainString() + ")");
            }
            return add(name, path, Rule.Type.RANGE, Set.of(), min, max, null, List.of());
        }

        /**
         * Expects the number at {@code path}, when there, to lie in {@code [min, max]}.
         *
         * @param name the expectation's name
         * @param path the path
         * @param min the least allowed value
         * @param max the greatest allowed value, at least {@code min}
         * @return this builder
         * @throws InvalidSpecException if {@code min > max}, or as for {@link #present}
         */
        public B range(String name, String path, long min, long max) {
            return range(name, path, BigDecimal.valueOf(min), BigDecimal.valueOf(max));
        }

        /**
         * Expects the text at {@code path}, when there, to match {@code regex} as a whole.
         *
         * @param name the expectation's name
         * @param path the path
         * @param regex a {@link Pattern} that the whole text must match
         * @return this builder
         * @throws InvalidSpecException if the pattern does not compile, or as for {@link #present}
         */
        public B pattern(String name, String path, String regex) {
            Objects.requireNonNull(regex, "regex");
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new InvalidSpecException("contract." + name + ".pattern", "'" + regex + "'", "a java.util.regex pattern: " + e.getDescription());
            }
            return add(name, path, Rule.Type.PATTERN, Set.of(), null, null, p, List.of());
        }

        /**
         * Expects the list, map or text at {@code path}, when there, to have between {@code min} and
         * {@code max} elements (characters for a text).
         *
         * @param name the expectation's name
         * @param path the path
         * @param min the least size, zero or more
         * @param max the greatest size, at least {@code min}
         * @return this builder
         * @throws InvalidSpecException if the bounds are not allowed, or as for {@link #present}
         */
        public B size(String name, String path, int min, int max) {
            if (min < 0 || max < min) {
                throw new InvalidSpecException("contract." + name + ".size", "[" + min + ", " + max + "]", "0 <= min <= max");
            }
            return add(name, path, Rule.Type.SIZE, Set.of(), BigDecimal.valueOf(min), BigDecimal.valueOf(max), null, List.of());
        }

        /**
         * Expects every element of the list at {@code path}, when there, to meet the expectations given to
         * {@code element}, whose paths are relative to the element. A null element is reported as
         * {@link ViolationKind#MISSING} under the first nested expectation. Violation paths carry the index:
         * {@code lines[2].sku}.
         *
         * @param path the path of the list
         * @param element adds the expectations of each element
         * @return this builder
         * @throws InvalidSpecException if nested deeper than {@link #MAX_NESTING} or given no expectation
         */
        public B each(String path, Consumer<Elements> element) {
            Objects.requireNonNull(element, "element");
            checkPath(path);
            if (depth + 1 > MAX_NESTING) {
                throw new InvalidSpecException("contract.each(" + path + ")", depth + 1, "at most " + MAX_NESTING + " levels of each");
            }
            Elements nested = new Elements(names, depth + 1);
            element.accept(nested);
            if (nested.rules.isEmpty()) {
                throw new InvalidSpecException("contract.each(" + path + ")", "no expectation", "at least one expectation on the elements");
            }
            rules.add(Rule.of(nested.rules.get(0).expectation(), path, Rule.Type.EACH, Set.of(), null, null, null,
                    nested.rules, null));
            return self();
        }

        B add(String name, String path, Rule.Type type, Set<String> values, @Nullable BigDecimal min,
                @Nullable BigDecimal max, @Nullable Pattern pattern, List<Rule> nested) {
            claim(name);
            checkPath(path);
            rules.add(Rule.of(name, path, type, values, min, max, pattern, nested, null));
            return self();
        }

        void claim(String name) {
            checkName("contract.expectation", name);
            if (!names.add(name)) {
                throw new InvalidSpecException("contract.expectation", "'" + name + "'", "a name not used before in this contract");
            }
        }

        static void checkPath(String path) {
            Objects.requireNonNull(path, "path");
            String[] segments = path.split("\\.", -1);
            if (path.isEmpty() || segments.length > MAX_PATH_SEGMENTS) {
                throw new InvalidSpecException("contract.path", "'" + abbreviate(path) + "'",
                        "1 to " + MAX_PATH_SEGMENTS + " dot-separated names (record components, properties, map keys or list indexes)");
            }
            for (String s : segments) {
                if (!SEGMENT.matcher(s).matches()) {
                    throw new InvalidSpecException("contract.path", "'" + abbreviate(path) + "'",
                            "dot-separated names of letters, digits, '_', '$', '@', ':' or '-'");
                }
            }
        }

        private static String abbreviate(String path) {
            return path.length() <= 80 ? path : path.substring(0, 77) + "...";
        }
    }

    /**
     * Expectations on every element of a list ({@link Builder#each}).
     *
     * @since 0.2
     */
    public static final class Elements extends Expectations<Elements> {
        Elements(Set<String> names, int depth) {
            super(names, depth);
        }
    }

    /**
     * Builds a {@link Contract}. Not thread-safe.
     *
     * @param <T> the consumer's type
     * @since 0.2
     */
    public static final class Builder<T> extends Expectations<Builder<T>> {

        private final String name;
        private final Class<T> type;

        Builder(String name, Class<T> type) {
            super(new HashSet<>(), 0);
            this.name = name;
            this.type = type;
        }

        /**
         * The last resort: expects {@code check} to return {@code true} on the whole response. It cannot be
         * exported: a provider cannot run the consumer's code, so contract files list it as
         * {@code unverifiable} and provider reports show it as unverified. Prefer the declarative expectations.
         *
         * @param name the expectation's name
         * @param check the predicate; an exception it throws counts as {@code false}
         * @return this builder
         * @throws InvalidSpecException as for {@link #present}
         */
        @SuppressWarnings("unchecked")
        public Builder<T> satisfies(String name, Predicate<? super T> check) {
            Objects.requireNonNull(check, "check");
            claim(name);
            rules.add(Rule.of(name, "", Rule.Type.PREDICATE, Set.of(), null, null, null, List.of(), (Predicate<Object>) check));
            return this;
        }

        /**
         * Builds the contract.
         *
         * @return the contract
         * @throws InvalidSpecException if it has no expectation, or a path leads nowhere in the type (a name that
         *     is no record component or getter of the type reached, a property after a scalar, {@code each} on
         *     something that is not a list); where the type cannot tell (a map, {@code Object}, an interface),
         *     the rest of the path is taken on trust
         */
        public Contract<T> build() {
            if (rules.isEmpty()) {
                throw new InvalidSpecException("contract." + name, "no expectation", "at least one expectation");
            }
            PathTypes.check(type, rules);
            return new Contract<>(name, rules);
        }
    }
}
