package dev.levee.spring.readme;

import dev.levee.Idempotent;
import dev.levee.spring.UpstreamClient;
import java.util.Optional;

// README:upstream-client:begin
@UpstreamClient(value = "orders-db", fallback = CachedOrders.class)
interface Orders {

    @Idempotent
    Optional<Order> find(long id);   // retried

    void save(Order order);          // never retried
}
// README:upstream-client:end

record Order(long id, String item) {
}

/** The README's fallback: answers reads from nothing cached, refuses writes. */
class CachedOrders implements Orders {

    @Override
    public Optional<Order> find(long id) {
        return Optional.empty();
    }

    @Override
    public void save(Order order) {
        throw new UnsupportedOperationException("orders-db is down: try again later");
    }
}
