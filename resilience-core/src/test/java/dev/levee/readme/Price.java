package dev.levee.readme;

import java.math.BigDecimal;

/** The domain's own price: business code never sees the pricing service's DTOs. */
record Price(BigDecimal amount) {
    static final Price UNKNOWN = new Price(BigDecimal.valueOf(-1));
    static final Price NOT_LISTED = new Price(BigDecimal.ZERO);
}
