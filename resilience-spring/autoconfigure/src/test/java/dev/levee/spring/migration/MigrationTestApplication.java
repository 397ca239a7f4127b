package dev.levee.spring.migration;

import dev.levee.Adapter;
import dev.levee.migration.Equivalence;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationSpec;
import dev.levee.spring.LeveeMigrations;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * An application migrating its recommendations from v1 to v2 over real HTTP (base URL {@code app.recs-url}):
 * two plain RestClients, each provider protected by its own upstream through the migration.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class MigrationTestApplication {

    /** The domain's recommendations. */
    public record Recommendations(List<String> skus) {
    }

    @SuppressWarnings("unchecked")
    static final Adapter<Map<String, Object>, Recommendations> V1 = dto -> new Recommendations((List<String>) dto.get("items"));

    @SuppressWarnings("unchecked")
    static final Adapter<Map<String, Object>, Recommendations> V2 = dto -> new Recommendations(
            ((List<Map<String, Object>>) dto.get("recommendations")).stream().map(r -> (String) r.get("sku")).toList());

    @Bean
    Migration<String, Recommendations> recommendationsMigration(LeveeMigrations migrations, Environment env) {
        RestClient http = RestClient.builder().baseUrl(env.getRequiredProperty("app.recs-url")).build();
        return migrations.migrate(MigrationSpec.<String, Recommendations>named("recommendations")
                .primary("recs-v1", (sku, ctx) -> http.get().uri("/v1/recommendations/{sku}", sku).retrieve()
                        .body(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { }), V1)
                .candidate("recs-v2", (sku, ctx) -> http.get().uri("/v2/recommendations?sku={sku}", sku).retrieve()
                        .body(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { }), V2)
                .key(sku -> sku)
                .equivalence(Equivalence.<Recommendations>structural().unordered("skus").build())
                .build());
    }

    @RestController
    static class RecommendationsController {

        private final Migration<String, Recommendations> recommendations;

        RecommendationsController(Migration<String, Recommendations> recommendations) {
            this.recommendations = recommendations;
        }

        @GetMapping("/recommendations/{sku}")
        List<String> recommendations(@PathVariable String sku) {
            return recommendations.call(sku, e -> new Recommendations(List.of())).skus();
        }
    }
}
