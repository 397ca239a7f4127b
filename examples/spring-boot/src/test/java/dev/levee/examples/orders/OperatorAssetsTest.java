package dev.levee.examples.orders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Expectation;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard and the alert rules are code: every metric and label they query must appear in a real
 * Prometheus scrape of this application. A dashboard that queries a metric nobody emits is a bug.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OperatorAssetsTest {

    private static final Path OPERATIONS = Path.of("..", "operations");
    private static final Pattern METRIC = Pattern.compile("\\b(levee_[a-z_]+)\\b");
    private static final Pattern SELECTOR = Pattern.compile("\\b(levee_[a-z_]+)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|on|group_left|group_right|without)\\s*\\(([^)]*)\\)");

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        StubbedUpstreams.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Upstreams upstreams;

    private final HttpClient http = HttpClient.newHttpClient();

    private String fetch(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void everyMetricAndLabelTheDashboardAndAlertsQueryIsInARealScrape() throws Exception {
        StubbedUpstreams.warmedAndHealthy(upstreams, () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/warm-up")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                return -1;
            }
        });
        fetch("/orders/1"); // successes
        // A contract violation, answered by a fallback. The example's RestClient and HTTP service clients check no
        // expectations (the starter has no expectation hook over HTTP yet), so it comes through the core's API, an
        // Adapter whose expectation fails, on the example's own upstream and registry.
        upstreams.get("recommendations").call(ctx -> "{\"unexpected\": true}", new Adapter<String, String>() {
            @Override
            public List<Expectation<? super String>> expectations() {
                return List.of(Expectation.of("has-items", body -> body.contains("\"items\"")));
            }

            @Override
            public String translate(String body) {
                return body;
            }
        }, CallOptions.<String>idempotent().withFallback(failure -> ""));
        StubbedUpstreams.INVENTORY.stubFor(get(urlPathMatching("/stock/.*")).willReturn(aResponse().withStatus(503)));
        for (int i = 0; i < 12; i++) {
            fetch("/orders/" + i); // failures, retries, then rejections
        }
        Map<String, Set<String>> scraped = labelsByFamily(fetch("/actuator/prometheus"));

        List<String> queries = new ArrayList<>();
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(OPERATIONS.resolve("grafana-dashboard.json")));
        collectExprs(dashboard, queries);
        Map<String, Object> rules = new Yaml().load(Files.readString(OPERATIONS.resolve("prometheus-alerts.yml")));
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                queries.add((String) ((Map<?, ?>) rule).get("expr"));
            }
        }
        assertThat(queries).as("queries found in the assets").hasSizeGreaterThan(15);

        Set<String> allLeveeLabels = new HashSet<>();
        scraped.values().forEach(allLeveeLabels::addAll);
        Set<String> metricsQueried = new HashSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                metricsQueried.add(m.group(1));
                assertThat(scraped).as("metric %s queried by: %s", m.group(1), q).containsKey(m.group(1));
            }
            Matcher s = SELECTOR.matcher(q);
            while (s.find()) {
                Matcher l = MATCHER_LABEL.matcher(s.group(2));
                while (l.find()) {
                    assertThat(scraped.get(s.group(1))).as("label %s of %s queried by: %s", l.group(1), s.group(1), q)
                            .contains(l.group(1));
                }
            }
            Matcher g = GROUPING.matcher(q);
            while (g.find()) {
                for (String label : g.group(1).split(",")) {
                    assertThat(allLeveeLabels).as("label %s grouped by in: %s", label.trim(), q).contains(label.trim());
                }
            }
        }
        // The assets cover what operators must see.
        assertThat(metricsQueried).contains("levee_health", "levee_calls_seconds_count", "levee_calls_seconds_bucket",
                "levee_attempts_total", "levee_circuit_state", "levee_inflight", "levee_bulkhead_limit",
                "levee_contract_violations_total", "levee_retries_refused_total", "levee_upstream_info");
        assertThat(scraped.get("levee_calls_seconds_count")).contains(LeveeMeters.TAG_UPSTREAM, LeveeMeters.TAG_OUTCOME,
                LeveeMeters.TAG_FALLBACK);
    }

    private static void collectExprs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("expr") || (e.getKey().equals("query") && e.getValue().isString())) {
                    out.add(e.getValue().asString());
                } else if (e.getKey().equals("query") && e.getValue().has("query")) {
                    out.add(e.getValue().get("query").asString());
                } else {
                    collectExprs(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExprs(child, out));
        }
    }

    /** Series name (with _count, _bucket, ... as scraped) to the label names seen on it. */
    private static Map<String, Set<String>> labelsByFamily(String scrape) {
        Map<String, Set<String>> labels = new HashMap<>();
        Pattern series = Pattern.compile("^(levee_[a-z_]+)(?:\\{([^}]*)})?\\s", Pattern.MULTILINE);
        Matcher m = series.matcher(scrape);
        while (m.find()) {
            Set<String> names = labels.computeIfAbsent(m.group(1), k -> new HashSet<>());
            if (m.group(2) != null) {
                Matcher l = Pattern.compile("([a-zA-Z_]+)=\"").matcher(m.group(2));
                while (l.find()) {
                    names.add(l.group(1));
                }
            }
        }
        return labels;
    }
}
