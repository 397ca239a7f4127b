package dev.levee.contract;

import java.math.BigDecimal;
import java.util.List;

/** The consumer's own type of the pricing service's quote: what the tests' contract is written on. */
public record Quote(String sku, BigDecimal amount, String currency, List<Line> lines, Shipping shipping) {

    /** One line of a quote. */
    public record Line(String sku, Integer quantity) {
    }

    /** Where it ships. */
    public record Shipping(String country) {
    }

    /** The contract of the tests: one expectation of every kind, nested paths, every element. */
    public static final Contract<Quote> CONTRACT = Contract.of("pricing-quote", Quote.class)
            .present("has-amount", "amount")
            .range("amount-in-range", "amount", BigDecimal.ZERO, new BigDecimal("100000"))
            .oneOf("known-currency", "currency", "EUR", "USD")
            .pattern("sku-format", "sku", "[A-Z]{3}-[0-9]+")
            .size("has-lines", "lines", 1, 50)
            .each("lines", line -> line
                    .present("line-has-sku", "sku")
                    .range("line-quantity", "quantity", 1, 99))
            .present("ships-to", "shipping.country")
            .build();
}
