package dev.levee.contract;

import dev.levee.Adapter;

/**
 * An {@link Adapter} that reads the upstream's response into the consumer's own type, has the call path check
 * a {@link Contract} on it under the upstream's {@link ContractPolicy}, and translates it into the domain.
 * The order for a returned response: {@link #classify}, the adapter's {@link #expectations()}, {@link #read},
 * the contract, {@link #toDomain}. The response is read once.
 *
 * <pre>{@code
 * enum QuoteAdapter implements ContractAdapter<HttpResponse<String>, Quote, Price> {
 *     INSTANCE;
 *     public Quote read(HttpResponse<String> r) throws IOException { return JSON.readValue(r.body(), Quote.class); }
 *     public Contract<Quote> contract() { return Quote.CONTRACT; }
 *     public Price toDomain(Quote q) { return new Price(q.amount()); }
 * }
 * }</pre>
 *
 * <p>An exception thrown by {@link #read} (a malformed, oversized or too deeply nested body) fails the call as
 * a contract violation named {@value Contract#UNREADABLE}, whatever the policy: there is nothing to translate.
 * For a client that already returns the consumer's type (a {@code RestClient} reading a record), {@code B} is
 * {@code U} and {@link #read} returns its argument.
 *
 * @param <U> the upstream's response type
 * @param <B> the consumer's own type of the response, the contract's type
 * @param <D> the domain type
 * @since 0.2
 */
public interface ContractAdapter<U, B, D> extends Adapter<U, D> {

    /**
     * Reads a good response into the consumer's type: deserializes its body.
     *
     * @param response the classified response
     * @return the consumer's value, not null
     * @throws Exception if it cannot be read
     */
    B read(U response) throws Exception;

    /**
     * The contract checked on what {@link #read} returned. Called once per response: return a constant.
     *
     * @return the contract
     */
    Contract<? super B> contract();

    /**
     * Translates the checked value into the domain's model. An exception thrown here is a contract
     * violation named {@value dev.levee.ContractViolationException#TRANSLATION}.
     *
     * @param value the value {@link #read} returned
     * @return the domain value
     * @throws Exception if it cannot be translated
     */
    D toDomain(B value) throws Exception;

    /**
     * Reads and translates without the contract; the call path does not use it.
     *
     * @param response the upstream's response
     * @return the domain value
     * @throws Exception if reading or translating fails
     */
    @Override
    default D translate(U response) throws Exception {
        return toDomain(read(response));
    }
}
