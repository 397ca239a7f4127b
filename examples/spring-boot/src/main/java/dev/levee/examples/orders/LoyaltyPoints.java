package dev.levee.examples.orders;

import dev.levee.Idempotent;
import dev.levee.spring.UpstreamClient;
import java.util.OptionalInt;

/**
 * A customer's loyalty points, from the loyalty database: not an HTTP client, so it is protected by annotation.
 * Every bean implementing this interface becomes {@code upstream.protect(LoyaltyPoints.class, bean, fallback)}
 * on the {@code loyalty} upstream (attempt timeout, retries of the idempotent read, circuit, bulkhead, metrics);
 * when the database cannot answer, {@link UnknownLoyaltyPoints} does, and the order is shown without points.
 */
@UpstreamClient(value = "loyalty", fallback = UnknownLoyaltyPoints.class)
public interface LoyaltyPoints {

    /**
     * The customer's balance.
     *
     * @param customer the customer
     * @return the balance, or empty if it cannot be had
     */
    @Idempotent
    OptionalInt balance(String customer);
}
