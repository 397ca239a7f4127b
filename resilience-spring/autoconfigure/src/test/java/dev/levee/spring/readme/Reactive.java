package dev.levee.spring.readme;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Upstreams;
import dev.levee.reactor.ReactorUpstream;
import dev.levee.spring.http.UpstreamWebClients;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

// README:webclient:begin
@Service
class StockService {

    private final WebClient inventory;

    StockService(UpstreamWebClients webClients, @Value("${inventory.url}") String url) {
        this.inventory = webClients.builder("inventory").baseUrl(url).build();
    }

    Mono<Stock> stock(String sku) {
        return inventory.get().uri("/stock/{sku}", sku).retrieve().bodyToMono(Stock.class);
    }
}
// README:webclient:end

/** A reactive repository, such as Spring Data R2DBC's. */
interface ReactiveOrders {
    Mono<Order> findById(long id);
}

// README:mono:begin
@Service
class OrderLookup {

    private final ReactorUpstream ordersDb;
    private final ReactiveOrders orders;

    OrderLookup(Upstreams upstreams, ReactiveOrders orders) {
        this.ordersDb = ReactorUpstream.of(upstreams.get("orders-db"));
        this.orders = orders;
    }

    Mono<Order> find(long id) {
        return ordersDb.mono(ctx -> orders.findById(id), Adapter.identity(),    // each subscription is one call
                CallOptions.<Order>idempotent().withFallback(failure -> new Order(id, "unavailable")));
    }
}
// README:mono:end
