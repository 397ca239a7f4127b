package dev.levee.spring.readme;

import dev.levee.spring.http.UpstreamHttpFallback;
import dev.levee.spring.http.UpstreamRestClients;
import dev.levee.spring.http.UpstreamServiceFallback;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;

/** The README's three forms of HTTP fallback ("Fallbacks and exceptions over HTTP"), as compiled code. */
final class Fallbacks {

    private Fallbacks() {
    }

    record Price(String sku, BigDecimal amount) {
        static final Price UNKNOWN = new Price("unknown", BigDecimal.ZERO);
    }

    record Item(String sku) {
    }

    /** An HTTP service interface of the pricing upstream. */
    interface PricingClient {
        @GetExchange("/prices/{sku}")
        Price price(String sku);
    }

    static final ParameterizedTypeReference<List<Item>> ITEMS = new ParameterizedTypeReference<>() { };

    @Configuration(proxyBeanMethods = false)
    static class Beans {
// README:fallback-beans:begin
// per upstream: a bean; the client decodes its response as if the upstream had sent it
@Bean
UpstreamHttpFallback recommendationsFallback() {
    return UpstreamHttpFallback.json("recommendations", "[]");   // or UpstreamHttpFallback.of(name, (request, failure) -> ...)
}

// per HTTP service interface: an implementation whose same method answers, with the same arguments;
// the @ImportHttpServices client bean falls back to it, so the code that uses the client stays as it is
@Bean
UpstreamServiceFallback<PricingClient> pricingFallback() {
    return UpstreamServiceFallback.of("pricing", PricingClient.class, sku -> Price.UNKNOWN);
}
// README:fallback-beans:end
    }

    static List<Item> topItems(UpstreamRestClients restClients, RestClient recommendations) {
// README:fallback-call:begin
// per call: a domain value; it wins over both beans
List<Item> items = restClients.call("recommendations",
        () -> recommendations.get().uri("/top").retrieve().body(ITEMS),   // or an HTTP service client's method
        failure -> List.of());
// README:fallback-call:end
        return items;
    }
}
