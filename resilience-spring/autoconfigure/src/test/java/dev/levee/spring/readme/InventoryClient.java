package dev.levee.spring.readme;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.ImportHttpServices;

// README:http-service:begin
@HttpExchange("/stock")
interface InventoryClient {

    @GetExchange("/{sku}")
    Stock stock(@PathVariable String sku);
}

@Configuration
@ImportHttpServices(group = "inventory", types = InventoryClient.class)
class InventoryClients {
}
// README:http-service:end

record Stock(String sku, int available) {
}
