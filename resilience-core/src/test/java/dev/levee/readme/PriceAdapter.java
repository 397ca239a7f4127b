package dev.levee.readme;

import dev.levee.Verdict;
import dev.levee.contract.Contract;
import dev.levee.contract.ContractAdapter;
import java.net.http.HttpResponse;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

// README:adapter:begin
/** Translates the pricing service's HTTP answer into our own Price, and classifies its statuses. */
enum PriceAdapter implements ContractAdapter<HttpResponse<String>, Quote, Price> {
    INSTANCE;

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)   // pricing may add fields
            .build();

    @Override
    public Verdict<Price> classify(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 404) {
            return Verdict.answer(Price.NOT_LISTED);          // a domain answer, not held against pricing
        }
        if (status >= 500 || status == 429 || status == 408) {
            return Verdict.failure("http " + status);         // counts against pricing, retried if idempotent
        }
        if (status >= 400) {
            return Verdict.callerFault("http " + status);     // our request was wrong: no retry, no breaker impact
        }
        return Verdict.proceed();
    }

    @Override
    public Quote read(HttpResponse<String> response) {
        return JSON.readValue(response.body(), Quote.class);  // malformed JSON: a violation named "unreadable"
    }

    @Override
    public Contract<Quote> contract() {
        return Quote.CONTRACT;                                // checked by Levee between read and toDomain
    }

    @Override
    public Price toDomain(Quote quote) {
        return new Price(quote.amount());
    }
}
// README:adapter:end
