package dev.levee;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named expectation the consumer has of an upstream's response, checked on every live response before
 * translation (consumer-driven contracts, at run time). A violated expectation fails the call with a
 * {@link ContractViolationException} naming it, and is counted by name.
 *
 * <pre>{@code
 * static final Expectation<PriceDto> HAS_CURRENCY = Expectation.of("has-currency", dto -> dto.currency() != null);
 * }</pre>
 *
 * <p>Names are metric tag values: keep them few and fixed in code, never derived from data.
 *
 * @param <U> the upstream's response type
 * @since 0.1
 */
public final class Expectation<U> {

    private final String name;
    private final Predicate<? super U> check;

    private Expectation(String name, Predicate<? super U> check) {
        this.name = name;
        this.check = check;
    }

    /**
     * Creates an expectation.
     *
     * @param name a short, fixed name: 1 to 64 characters of letters, digits, {@code - _ .}
     * @param check returns {@code true} when the response meets the expectation
     * @param <U> the upstream's response type
     * @return the expectation
     * @throws InvalidSpecException if the name is not allowed
     */
    public static <U> Expectation<U> of(String name, Predicate<? super U> check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidSpecException("expectation.name", "'" + name + "'", "1 to 64 characters of letters, digits, '-', '_' or '.'");
        }
        return new Expectation<>(name, check);
    }

    /**
     * The expectation's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Checks a response.
     *
     * @param response the upstream's response
     * @return {@code true} if the response meets the expectation
     */
    public boolean test(U response) {
        return check.test(response);
    }

    @Override
    public String toString() {
        return "Expectation[" + name + "]";
    }
}
