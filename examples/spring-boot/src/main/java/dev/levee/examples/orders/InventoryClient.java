package dev.levee.examples.orders;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;

/**
 * The inventory service's HTTP interface. Its client group is named {@code inventory}, like the Levee
 * upstream, so every exchange goes through that upstream's call path.
 */
@HttpExchange("/stock")
public interface InventoryClient {

    /** The inventory service's own representation: stays behind {@link OrderService}. */
    record StockDto(String sku, int available) {
    }

    @GetExchange("/{sku}")
    StockDto stock(@PathVariable String sku);
}
