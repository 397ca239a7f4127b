package dev.levee;

import java.util.List;

/**
 * The anti-corruption adapter between an upstream and the domain: it classifies what the upstream returned
 * or threw, checks the consumer's expectations of the response, and translates it into the domain's own
 * model, so business code never sees the upstream's DTOs or its client's exceptions.
 *
 * <pre>{@code
 * enum PriceAdapter implements Adapter<PriceDto, Price> {
 *     INSTANCE;
 *     static final List<Expectation<? super PriceDto>> EXPECTATIONS =
 *             List.of(Expectation.of("has-amount", dto -> dto.amount() != null));
 *
 *     public Price translate(PriceDto dto) { return new Price(dto.amount(), Currency.getInstance(dto.currency())); }
 *
 *     public Verdict<Price> classifyError(Throwable e) {
 *         return e instanceof NotFoundException ? Verdict.answer(Price.NOT_LISTED) : Verdict.unclassified();
 *     }
 *
 *     public List<Expectation<? super PriceDto>> expectations() { return EXPECTATIONS; }
 * }
 * }</pre>
 *
 * <p>Adapters are called concurrently and should be stateless. The order for a returned response is
 * {@link #classify}, then every expectation in order, then {@link #translate}; a thrown error goes to
 * {@link #classifyError}, then to the upstream's {@link ClassificationRules}.
 *
 * @param <U> the upstream's response type
 * @param <D> the domain type
 * @since 0.1
 */
@FunctionalInterface
public interface Adapter<U, D> {

    /**
     * Translates a good response into the domain's model. An exception thrown here is a contract
     * violation named {@value ContractViolationException#TRANSLATION} (a malformed body, say).
     *
     * @param response the upstream's response, already classified and checked
     * @return the domain value
     * @throws Exception if the response cannot be translated
     */
    D translate(U response) throws Exception;

    /**
     * Classifies a returned response before translation, such as an HTTP status code.
     *
     * @param response the upstream's response
     * @return the verdict; {@link Verdict#proceed()} by default
     */
    default Verdict<D> classify(U response) {
        return Verdict.proceed();
    }

    /**
     * Classifies what the upstream call threw (already unwrapped from {@code CompletionException}).
     *
     * @param error the client's exception
     * @return the verdict; {@link Verdict#unclassified()} by default, so the spec's rules decide
     */
    default Verdict<D> classifyError(Throwable error) {
        return Verdict.unclassified();
    }

    /**
     * The expectations to check on every good response. Called once per response: return a constant list.
     *
     * @return the expectations, empty by default
     */
    default List<Expectation<? super U>> expectations() {
        return List.of();
    }

    /**
     * An adapter that returns the upstream's value unchanged: for calls whose client already speaks the
     * domain's language, such as a port implementation.
     *
     * @param <T> the value type
     * @return the shared identity adapter
     */
    @SuppressWarnings("unchecked")
    static <T> Adapter<T, T> identity() {
        return (Adapter<T, T>) IdentityAdapter.INSTANCE;
    }
}

/** The identity adapter. */
enum IdentityAdapter implements Adapter<Object, Object> {
    INSTANCE;

    @Override
    public Object translate(Object response) {
        return response;
    }
}
