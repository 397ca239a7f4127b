package dev.levee.examples.orders;

import java.sql.SQLTransientConnectionException;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The loyalty database's client. In this example an in-process stand-in (a real application would query it over
 * JDBC) that the stub control endpoint can take down through its {@link Outage}: {@code POST /stubs/loyalty/down}
 * makes every query fail as a refused connection would. {@code @Primary}: the fallback implements the same
 * interface. The bean the application sees is Levee's proxy of it, typed {@link LoyaltyPoints}.
 */
@Component
@Primary
class LoyaltyDatabase implements LoyaltyPoints {

    /** Whether the stand-in database is down. */
    @Component
    static class Outage {

        private final AtomicBoolean down = new AtomicBoolean();

        void set(boolean value) {
            down.set(value);
        }
    }

    private final Outage outage;

    LoyaltyDatabase(Outage outage) {
        this.outage = outage;
    }

    @Override
    public OptionalInt balance(String customer) {
        if (outage.down.get()) {
            throw new IllegalStateException("loyalty database unreachable",
                    new SQLTransientConnectionException("Connection to 127.0.0.1:5432 refused"));
        }
        return OptionalInt.of(Math.floorMod(customer.hashCode(), 500));
    }
}
