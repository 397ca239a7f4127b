package dev.levee.examples.orders;

import dev.levee.Adapter;
import dev.levee.contract.Contract;
import dev.levee.contract.ContractAdapter;
import dev.levee.migration.Equivalence;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationSpec;
import dev.levee.spring.LeveeMigrations;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Recommendations in the domain's own terms: a list of SKUs, never either recommendations service's JSON or
 * its errors. The orders service is migrating them from v1 ({@code recommendations}) to v2
 * ({@code recommendations-v2}), each behind its own upstream; the migration {@code recommendations}
 * ({@code levee.migrations.recommendations.*}) decides which one answers, shadows v2 and compares the two
 * answers after each one's adapter. Its per-call fallback answers "no recommendations, degraded", counted with
 * {@code fallback="true"}.
 */
@Component
public class RecommendationsPort {

    /** Recommended SKUs; {@code degraded} says that the recommendations service could not answer. */
    public record Recommendations(List<String> skus, boolean degraded) {

        static final Recommendations DEGRADED = new Recommendations(List.of(), true);
    }

    /** v1's own representation: stays in this class. */
    record RecommendationsDto(@Nullable List<String> items) {

        static final RecommendationsDto NONE = new RecommendationsDto(List.of());

        /**
         * What this service relies on in it, checked on every v1 response before it is translated (by
         * {@link V1Adapter} on the migration's call path): a response without {@code items} is counted as a
         * contract violation of the recommendations upstream and answered by the fallback, "none, degraded".
         */
        static final Contract<RecommendationsDto> CONTRACT = Contract.of("recommendations", RecommendationsDto.class)
                .present("has-items", "items")
                .size("at-most-50-items", "items", 0, 50)
                .build();
    }

    /** v1's adapter: the contract checked on the call path, then the translation. */
    enum V1Adapter implements ContractAdapter<RecommendationsDto, RecommendationsDto, Recommendations> {
        INSTANCE;

        @Override
        public RecommendationsDto read(RecommendationsDto response) {
            return response;
        }

        @Override
        public Contract<RecommendationsDto> contract() {
            return RecommendationsDto.CONTRACT;
        }

        @Override
        public Recommendations toDomain(RecommendationsDto dto) {
            return dto.items() == null
                    ? Recommendations.DEGRADED // not what we rely on: show none, and say so
                    : new Recommendations(List.copyOf(dto.items()), false);
        }
    }

    /** v2's own representation, scored and ordered by score: stays in this class too. */
    record RecommendationsV2Dto(@Nullable List<Item> recommendations, @Nullable String generatedAt) {

        static final RecommendationsV2Dto NONE = new RecommendationsV2Dto(List.of(), null);

        record Item(String sku, double score) {
        }
    }

    static final Adapter<RecommendationsV2Dto, Recommendations> V2 = dto -> dto.recommendations() == null
            ? Recommendations.DEGRADED
            : new Recommendations(dto.recommendations().stream().map(RecommendationsV2Dto.Item::sku).toList(), false);

    /** v2 orders by score, v1 did not promise an order: the same SKUs in any order are the same answer. */
    static final Equivalence<Recommendations> SAME_ANSWER = Equivalence.<Recommendations>structural().unordered("skus").build();

    private final Migration<String, Recommendations> migration;

    RecommendationsPort(LeveeMigrations migrations, @Value("${orders.recommendations.base-url}") String v1Url,
            @Value("${orders.recommendations-v2.base-url}") String v2Url) {
        RestClient v1 = client(v1Url);
        RestClient v2 = client(v2Url);
        this.migration = migrations.migrate(MigrationSpec.<String, Recommendations>named("recommendations")
                .primary("recommendations", (sku, ctx) -> v1(v1, sku), V1Adapter.INSTANCE)
                .candidate("recommendations-v2", (sku, ctx) -> v2(v2, sku), V2)
                .key(sku -> sku) // one product always sees one provider during the ramp
                .equivalence(SAME_ANSWER)
                .idempotent(true) // a GET: each provider's own retry settings apply (never to shadow calls)
                .build());
    }

    /**
     * Recommendations for a product, or none, degraded, if no recommendations service can answer.
     *
     * @param sku the product
     * @return recommended SKUs, possibly empty
     */
    public Recommendations forProduct(String sku) {
        return migration.call(sku, failure -> Recommendations.DEGRADED);
    }

    private static RecommendationsDto v1(RestClient http, String sku) {
        try {
            return http.get().uri("/recommendations/{sku}", sku).retrieve().body(RecommendationsDto.class);
        } catch (HttpClientErrorException.NotFound e) {
            return RecommendationsDto.NONE; // a product it knows nothing about: an answer, not a failure
        }
    }

    private static RecommendationsV2Dto v2(RestClient http, String sku) {
        try {
            return http.get().uri("/v2/recommendations/{sku}", sku).retrieve().body(RecommendationsV2Dto.class);
        } catch (HttpClientErrorException.NotFound e) {
            return RecommendationsV2Dto.NONE;
        }
    }

    /** A plain client: each provider's upstream (through the migration) applies timeouts, breaker and bulkhead. */
    private static RestClient client(String baseUrl) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
        requests.setReadTimeout(Duration.ofSeconds(2));
        return RestClient.builder().requestFactory(requests).baseUrl(baseUrl).build();
    }
}
