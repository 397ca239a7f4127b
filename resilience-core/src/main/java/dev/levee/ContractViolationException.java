package dev.levee;

import org.jspecify.annotations.Nullable;

/**
 * The upstream answered, but the answer broke a named expectation of the consumer (see
 * {@link Expectation}), or could not be translated into the domain's model. Counts as an upstream failure:
 * a breaking upstream release shows up as a named, counted violation instead of a
 * {@code NullPointerException} three layers down.
 *
 * @since 0.1
 */
public final class ContractViolationException extends UpstreamException {

    private static final long serialVersionUID = 1L;

    /** The expectation name used when the adapter's translation itself throws. */
    public static final String TRANSLATION = "translation";

    private final String expectation;

    /**
     * Creates the exception.
     *
     * @param upstream the upstream's name
     * @param expectation the name of the expectation that was violated
     * @param cause the exception thrown while checking or translating, or {@code null}
     */
    public ContractViolationException(String upstream, String expectation, @Nullable Throwable cause) {
        super(upstream, Outcome.CONTRACT_VIOLATION, cause, true);
        this.expectation = expectation;
    }

    /**
     * The name of the violated expectation, or {@value #TRANSLATION} if translation failed.
     *
     * @return the expectation's name
     */
    public String expectation() {
        return expectation;
    }

    @Override
    protected String describe() {
        return "response violates expectation '" + expectation + "'";
    }
}
