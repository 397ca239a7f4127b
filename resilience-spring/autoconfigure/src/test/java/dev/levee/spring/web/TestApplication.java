package dev.levee.spring.web;

import dev.levee.CallerFaultException;
import dev.levee.Deadline;
import dev.levee.UpstreamException;
import dev.levee.spring.http.UpstreamRestClients;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * A small application that depends on upstreams: three through {@link UpstreamRestClients} builders, one through an
 * HTTP service interface in a group named like its upstream. Base URLs come from {@code app.*-url} and
 * {@code spring.http.serviceclient.pricing.base-url}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ImportHttpServices(group = "pricing", types = TestApplication.PricingClient.class)
@Import(TestApplication.ShopController.class)
public class TestApplication {

    /** The pricing upstream as an HTTP service interface. */
    @HttpExchange("/prices")
    public interface PricingClient {
        @GetExchange("/{sku}")
        String price(@PathVariable String sku);
    }

    @RestController
    static class ShopController {

        private final RestClient inventory;
        private final RestClient recommendations;
        private final RestClient catalog;
        private final PricingClient pricing;

        ShopController(UpstreamRestClients clients, Environment env, PricingClient pricing) {
            this.inventory = clients.builder("inventory").baseUrl(env.getRequiredProperty("app.inventory-url")).build();
            this.recommendations = clients.builder("recommendations")
                    .baseUrl(env.getRequiredProperty("app.recommendations-url")).build();
            this.catalog = clients.builder("catalog").baseUrl(env.getRequiredProperty("app.catalog-url")).build();
            this.pricing = pricing;
        }

        @GetMapping("/stock/{sku}")
        String stock(@PathVariable String sku) {
            return inventory.get().uri("/stock/{sku}", sku).retrieve().body(String.class);
        }

        @GetMapping("/recommendations")
        String recommendations() {
            return recommendations.get().uri("/recommendations").retrieve().body(String.class);
        }

        @GetMapping("/items/{id}")
        String item(@PathVariable String id) {
            return catalog.get().uri("/items/{id}", id).retrieve().body(String.class);
        }

        @PostMapping("/orders")
        String order(@RequestBody String order) {
            return catalog.post().uri("/orders").body(order).retrieve().body(String.class);
        }

        /** The deadline bound while serving this request: its remaining milliseconds, or "none". */
        @GetMapping("/deadline")
        String deadline() {
            return Deadline.current().map(d -> Long.toString(d.remaining().toMillis())).orElse("none");
        }

        @GetMapping("/prices/{sku}")
        String price(@PathVariable String sku) {
            return pricing.price(sku);
        }

        /** Levee's failures: the body names the exception and the outcome, for the tests to check. */
        @ExceptionHandler(UpstreamException.class)
        ResponseEntity<String> upstreamFailed(UpstreamException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(e.getClass().getName() + " outcome=" + e.outcome().tag());
        }

        /** Caller faults (such as a 404): passed on with the status of RestClient's exception, their cause. */
        @ExceptionHandler(CallerFaultException.class)
        ResponseEntity<String> callerFault(CallerFaultException e) {
            HttpStatusCodeException cause = (HttpStatusCodeException) e.getCause();
            return ResponseEntity.status(cause.getStatusCode())
                    .body(e.getClass().getName() + " " + e.reason() + ", caused by " + cause.getClass().getName());
        }
    }
}
