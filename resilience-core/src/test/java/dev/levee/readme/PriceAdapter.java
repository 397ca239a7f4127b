package dev.levee.readme;

import dev.levee.Adapter;
import dev.levee.Expectation;
import dev.levee.Verdict;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// README:adapter:begin
/** Translates the pricing service's HTTP answer into our own Price, and classifies its statuses. */
enum PriceAdapter implements Adapter<HttpResponse<String>, Price> {
    INSTANCE;

    private static final Pattern AMOUNT = Pattern.compile("\"amount\"\\s*:\\s*([0-9]+(\\.[0-9]+)?)");
    private static final List<Expectation<? super HttpResponse<String>>> EXPECTATIONS =
            List.of(Expectation.of("has-amount", response -> AMOUNT.matcher(response.body()).find()));

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
    public List<Expectation<? super HttpResponse<String>>> expectations() {
        return EXPECTATIONS;
    }

    @Override
    public Price translate(HttpResponse<String> response) {
        Matcher amount = AMOUNT.matcher(response.body());
        amount.find();
        return new Price(new BigDecimal(amount.group(1)));
    }
}
// README:adapter:end
