package dev.levee.examples.orders;

import java.util.List;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** Builds an order view from its upstreams, in the domain's own terms. */
@Service
public class OrderService {

    /**
     * The order as this service shows it. {@code degraded} says that recommendations could not be had;
     * {@code loyaltyPoints} is null when the customer's balance could not be had.
     */
    public record OrderView(String id, String sku, int available, List<String> recommendations, boolean degraded,
            @Nullable Integer loyaltyPoints) {
    }

    private final InventoryClient inventory;
    private final RecommendationsPort recommendations;
    private final LoyaltyPoints loyalty;

    OrderService(InventoryClient inventory, RecommendationsPort recommendations, LoyaltyPoints loyalty) {
        this.inventory = inventory;
        this.recommendations = recommendations;
        this.loyalty = loyalty;
    }

    /**
     * The order: stock from the critical inventory upstream (its failure fails the request), recommendations
     * from the optional one (its failure only empties them), loyalty points from the loyalty database (optional:
     * without it, no points).
     *
     * @param id the order id; the demo's orders are for product {@code sku-<id>}
     * @return the order view
     * @throws dev.levee.UpstreamException if inventory cannot answer
     */
    public OrderView order(String id) {
        String sku = "sku-" + id;
        InventoryClient.StockDto stock = inventory.stock(sku);
        RecommendationsPort.Recommendations recs = recommendations.forProduct(sku);
        OptionalInt points = loyalty.balance("customer-" + id);
        return new OrderView(id, sku, stock.available(), recs.skus(), recs.degraded(),
                points.isPresent() ? points.getAsInt() : null);
    }
}
