package dev.levee.examples.orders;

import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/** The loyalty upstream's fallback: no balance. Left unprotected by Levee, as a fallback is. */
@Component
class UnknownLoyaltyPoints implements LoyaltyPoints {

    @Override
    public OptionalInt balance(String customer) {
        return OptionalInt.empty();
    }
}
