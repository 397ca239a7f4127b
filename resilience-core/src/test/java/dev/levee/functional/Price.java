package dev.levee.functional;

import dev.levee.Expectation;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;

/** The domain's price, and the adapter that reads it from the pricing upstream's JSON. */
record Price(String sku, BigDecimal amount) {

    /** The domain answer for an item the upstream does not list (its 404). */
    static final Price NOT_LISTED = new Price("not-listed", BigDecimal.ZERO);

    /** What callers fall back to when pricing cannot answer. */
    static final Price UNKNOWN = new Price("unknown", BigDecimal.ZERO);

    /**
     * The consumer's one named expectation: a parseable response carries a numeric price. An unparseable
     * body is left to the translation, which names it {@code translation}.
     */
    static final Expectation<HttpResponse<String>> HAS_PRICE = Expectation.of("has-price",
            r -> TinyJson.tryParseObject(r.body()).map(json -> json.get("price") instanceof BigDecimal).orElse(true));

    static final HttpJsonAdapter<Price> ADAPTER = new HttpJsonAdapter<>(NOT_LISTED, Price::fromJson, List.of(HAS_PRICE));

    Price {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(amount, "amount");
    }

    static Price fromJson(java.util.Map<String, Object> json) {
        if (!(json.get("sku") instanceof String sku)) {
            throw new IllegalArgumentException("sku is not a string");
        }
        if (!(json.get("price") instanceof BigDecimal amount)) {
            throw new IllegalArgumentException("price is not a number");
        }
        return new Price(sku, amount);
    }
}
