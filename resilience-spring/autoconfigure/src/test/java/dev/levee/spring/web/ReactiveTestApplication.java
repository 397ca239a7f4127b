package dev.levee.spring.web;

import dev.levee.Deadline;
import dev.levee.UpstreamException;
import dev.levee.reactor.ReactorUpstream;
import dev.levee.spring.http.UpstreamHttpFallback;
import dev.levee.spring.http.UpstreamWebClients;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;
import reactor.core.publisher.Mono;

/**
 * A small WebFlux application that depends on upstreams: two through {@link UpstreamWebClients} builders (the
 * optional one with an {@link UpstreamHttpFallback}), one through an HTTP service interface backed by a
 * {@code WebClient} in a group named like its upstream. Base URLs come from {@code app.*-url} and
 * {@code spring.http.serviceclient.pricing.base-url}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ImportHttpServices(group = "pricing", types = ReactiveTestApplication.PricingClient.class,
        clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
@Import(ReactiveTestApplication.ShopController.class)
public class ReactiveTestApplication {

    /** The pricing upstream as an HTTP service interface. */
    @HttpExchange("/prices")
    public interface PricingClient {
        @GetExchange("/{sku}")
        Mono<String> price(@PathVariable String sku);
    }

    /** Recommendations are optional: an empty list when the upstream cannot answer. */
    @Bean
    UpstreamHttpFallback recommendationsFallback() {
        return UpstreamHttpFallback.json("recommendations", "[]");
    }

    @RestController
    static class ShopController {

        private final WebClient inventory;
        private final WebClient recommendations;
        private final PricingClient pricing;

        ShopController(UpstreamWebClients clients, Environment env, PricingClient pricing) {
            this.inventory = clients.builder("inventory").baseUrl(env.getRequiredProperty("app.inventory-url")).build();
            this.recommendations = clients.builder("recommendations").baseUrl(env.getRequiredProperty("app.recommendations-url")).build();
            this.pricing = pricing;
        }

        @GetMapping("/stock/{sku}")
        Mono<String> stock(@PathVariable String sku) {
            return inventory.get().uri("/stock/{sku}", sku).retrieve().bodyToMono(String.class);
        }

        @GetMapping("/recommendations")
        Mono<String> recommendations() {
            return recommendations.get().uri("/recommendations").retrieve().bodyToMono(String.class);
        }

        @GetMapping("/prices/{sku}")
        Mono<String> price(@PathVariable String sku) {
            return pricing.price(sku);
        }

        /** The deadline in the Reactor context of this request's handling: its remaining milliseconds, or "none". */
        @GetMapping("/deadline")
        Mono<String> deadline() {
            return Mono.deferContextual(ctx -> Mono.just(ReactorUpstream.deadline(ctx).map(Deadline::remaining)
                    .map(d -> Long.toString(d.toMillis())).orElse("none")));
        }

        /** Levee's failures: the body names the exception and the outcome, for the tests to check. */
        @ExceptionHandler(UpstreamException.class)
        ResponseEntity<String> upstreamFailed(UpstreamException e) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(e.getClass().getName() + " outcome=" + e.outcome().tag());
        }
    }
}
