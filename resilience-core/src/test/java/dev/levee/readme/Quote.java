package dev.levee.readme;

import dev.levee.contract.Contract;
import java.math.BigDecimal;

// README:quote:begin
/** The pricing service's answer as we read it: only the fields we use. */
record Quote(BigDecimal amount, String currency) {

    /** What we rely on in it: checked on live responses, against our stubs, and in the pricing team's build. */
    static final Contract<Quote> CONTRACT = Contract.of("pricing-quote", Quote.class)
            .present("has-amount", "amount")
            .range("amount-not-negative", "amount", BigDecimal.ZERO, new BigDecimal("1000000"))
            .oneOf("known-currency", "currency", "EUR", "USD")
            .build();
}
// README:quote:end
