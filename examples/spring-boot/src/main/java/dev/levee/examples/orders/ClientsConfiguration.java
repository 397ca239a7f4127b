package dev.levee.examples.orders;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.service.registry.ImportHttpServices;

/** Registers the inventory HTTP service client in the group {@code inventory} (base URL: spring.http.serviceclient.inventory). */
@Configuration(proxyBeanMethods = false)
@ImportHttpServices(group = "inventory", types = InventoryClient.class)
class ClientsConfiguration {
}
