package dev.levee.examples.orders;

import dev.levee.CallerFaultException;
import dev.levee.contract.Contract;
import dev.levee.spring.http.UpstreamHttpContract;
import dev.levee.spring.http.UpstreamRestClients;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Recommendations in the domain's own terms: a list of SKUs, never the recommendations service's JSON or its
 * errors. The {@code RestClient} comes from the {@link UpstreamRestClients} bean, bound to the
 * {@code recommendations} upstream (timeouts, retries, circuit, bulkhead, 5xx/408/429 as failures); this port is
 * the anti-corruption layer over it, and its per-call fallback answers "no recommendations, degraded", counted
 * with {@code fallback="true"}.
 */
@Component
public class RecommendationsPort {

    /** Recommended SKUs; {@code degraded} says that the recommendations service could not answer. */
    public record Recommendations(List<String> skus, boolean degraded) {

        static final Recommendations DEGRADED = new Recommendations(List.of(), true);
    }

    /** The recommendations service's own representation: stays in this class. */
    record RecommendationsDto(@Nullable List<String> items) {

        /**
         * What this service relies on in it, checked on every response before it is decoded (the
         * {@link UpstreamHttpContract} bean below): a response without {@code items} is counted as a contract
         * violation of the recommendations upstream and answered by the fallback, "none, degraded".
         */
        static final Contract<RecommendationsDto> CONTRACT = Contract.of("recommendations", RecommendationsDto.class)
                .present("has-items", "items")
                .size("at-most-50-items", "items", 0, 50)
                .build();
    }

    /** The contract of the recommendations upstream, checked by Levee on every good response. */
    @Bean
    static UpstreamHttpContract recommendationsContract() {
        return UpstreamHttpContract.of("recommendations", RecommendationsDto.CONTRACT);
    }

    private final UpstreamRestClients restClients;
    private final RestClient http;

    RecommendationsPort(UpstreamRestClients restClients, @Value("${orders.recommendations.base-url}") String baseUrl) {
        this.restClients = restClients;
        this.http = restClients.builder("recommendations").baseUrl(baseUrl).build();
    }

    /**
     * Recommendations for a product, or none, degraded, if the recommendations service cannot answer.
     *
     * @param sku the product
     * @return recommended SKUs, possibly empty
     */
    public Recommendations forProduct(String sku) {
        try {
            return restClients.call("recommendations",
                    () -> translate(http.get().uri("/recommendations/{sku}", sku).retrieve().body(RecommendationsDto.class)),
                    failure -> Recommendations.DEGRADED);
        } catch (CallerFaultException e) {
            if ("http 404".equals(e.reason())) {
                return new Recommendations(List.of(), false); // a product it knows nothing about
            }
            throw e;
        }
    }

    private static Recommendations translate(@Nullable RecommendationsDto dto) {
        if (dto == null || dto.items() == null) {
            return Recommendations.DEGRADED; // not what we rely on: show none, and say so
        }
        return new Recommendations(List.copyOf(dto.items()), false);
    }
}
