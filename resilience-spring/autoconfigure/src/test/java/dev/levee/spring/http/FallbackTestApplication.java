package dev.levee.spring.http;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * An application with upstreams with a fallback bean each: {@code recommendations} through a {@code RestClient} from
 * {@link UpstreamRestClients}, {@code pricing} and {@code stock} through HTTP service interfaces in groups of those
 * names, the latter with a fallback implementation of its interface.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ImportHttpServices(group = "pricing", types = FallbackTestApplication.PricingClient.class)
@ImportHttpServices(group = "stock", types = FallbackTestApplication.StockClient.class)
class FallbackTestApplication {

    /** The stock upstream as an HTTP service interface with a fallback implementation. */
    @HttpExchange("/stock")
    interface StockClient {
        @GetExchange("/{sku}")
        String level(@PathVariable String sku);
    }

    @Bean
    UpstreamServiceFallback<StockClient> stockFallback() {
        return UpstreamServiceFallback.of("stock", StockClient.class, sku -> "unknown level of " + sku);
    }

    /** The pricing upstream as an HTTP service interface. */
    @HttpExchange("/prices")
    interface PricingClient {
        @GetExchange("/{sku}")
        String price(@PathVariable String sku);
    }

    /** The application's own status handler on the pricing group: a 410 is an empty answer, not a caller fault. */
    @Bean
    RestClientHttpServiceGroupConfigurer goneIsEmpty() {
        return groups -> groups.filterByName("pricing").forEachClient((group, builder) -> builder
                .defaultStatusHandler(status -> status.value() == 410, (request, response) -> { }));
    }

    @Bean
    UpstreamHttpFallback recommendationsFallback() {
        return UpstreamHttpFallback.json("recommendations", "[\"bestsellers\"]");
    }

    @Bean
    UpstreamHttpFallback pricingFallback() {
        return UpstreamHttpFallback.of("pricing",
                (request, failure) -> UpstreamHttpFallback.response(HttpStatus.OK, MediaType.TEXT_PLAIN, "price unknown (" + failure.outcome().tag() + ")"));
    }
}
