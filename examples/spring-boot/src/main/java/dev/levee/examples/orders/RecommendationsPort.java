package dev.levee.examples.orders;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Expectation;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import dev.levee.Verdict;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recommendations in the domain's own terms: a list of SKUs, never the recommendations service's JSON or
 * its errors. The call goes through the {@code recommendations} upstream with an anti-corruption adapter
 * (status classification, a named expectation, translation) and a fallback of no recommendations.
 */
@Component
public class RecommendationsPort {

    /** What the recommendations service answered, before classification. */
    record Answer(int status, String retryAfter, String body) {
    }

    private static final CallOptions<List<String>> OPTIONS = CallOptions.<List<String>>idempotent().withFallback(failure -> List.of());

    private final Upstream upstream;
    private final RestClient http;
    private final Adapter<Answer, List<String>> adapter;

    RecommendationsPort(Upstreams upstreams, RestClient.Builder builder, JsonMapper json,
            @Value("${orders.recommendations.base-url}") String baseUrl) {
        this.upstream = upstreams.get("recommendations");
        this.http = builder.baseUrl(baseUrl).build();
        this.adapter = new RecommendationsAdapter(json);
    }

    /**
     * Recommendations for a product, or none if the recommendations service cannot answer.
     *
     * @param sku the product
     * @return recommended SKUs, possibly empty
     */
    public List<String> forProduct(String sku) {
        return upstream.call(ctx -> http.get().uri("/recommendations/{sku}", sku)
                .exchange((request, response) -> new Answer(response.getStatusCode().value(),
                        response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                        new String(response.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))),
                adapter, OPTIONS);
    }

    /** Classifies the service's statuses, checks what we rely on, and translates. */
    static final class RecommendationsAdapter implements Adapter<Answer, List<String>> {

        private final JsonMapper json;
        private final List<Expectation<? super Answer>> expectations;

        RecommendationsAdapter(JsonMapper json) {
            this.json = json;
            this.expectations = List.of(Expectation.of("has-items", a -> json.readTree(a.body()).path("items").isArray()));
        }

        @Override
        public Verdict<List<String>> classify(Answer a) {
            if (a.status() == 404) {
                return Verdict.answer(List.of());
            }
            if (a.status() >= 500 || a.status() == 429 || a.status() == 408) {
                return a.retryAfter() != null && a.retryAfter().matches("[0-9]{1,6}")
                        ? Verdict.failure("http " + a.status(), Duration.ofSeconds(Long.parseLong(a.retryAfter())))
                        : Verdict.failure("http " + a.status());
            }
            return a.status() >= 400 ? Verdict.callerFault("http " + a.status()) : Verdict.proceed();
        }

        @Override
        public List<Expectation<? super Answer>> expectations() {
            return expectations;
        }

        @Override
        public List<String> translate(Answer a) {
            List<String> skus = new java.util.ArrayList<>();
            for (JsonNode item : json.readTree(a.body()).path("items")) {
                skus.add(item.asString());
            }
            return List.copyOf(skus);
        }
    }
}
