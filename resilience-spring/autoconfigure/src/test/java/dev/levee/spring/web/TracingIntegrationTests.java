package dev.levee.spring.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.levee.spring.web.TracingTestApplication.Seen;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tracing and context through Levee in a running application traced by Spring Boot (OpenTelemetry bridge): a
 * request that carries a {@code traceparent} reaches a controller whose upstream answers 503, 503, then 200. Each
 * of the three attempts must run with the request's context (trace, MDC, request attributes, security), send a
 * {@code traceparent} of the same trace with a span of its own, appear as a span under the call's, with the HTTP
 * client's span beneath it, and be counted in {@code http.client.requests} with its own status.
 */
@SpringBootTest(classes = TracingTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.tracing.sampling.probability=1.0",
        "levee.defaults.attempt-timeout=5s",
        "levee.defaults.deadline=10s",
        "levee.defaults.retry.max-attempts=3",
        "levee.defaults.retry.initial-backoff=10ms",
        "levee.defaults.retry.max-backoff=20ms",
        "levee.defaults.retry.budget-min-retries=1000",
        "levee.upstreams.catalog.owner=catalog-team",
        "levee.upstreams.pricing.owner=pricing-team" })
class TracingIntegrationTests {

    static final WireMockServer CATALOG = UpstreamsWebIntegrationTests.wireMock();
    static final WireMockServer PRICING = UpstreamsWebIntegrationTests.wireMock();

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
    private static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");

    @DynamicPropertySource
    static void upstreamUrls(DynamicPropertyRegistry registry) {
        registry.add("app.catalog-url", CATALOG::baseUrl);
        registry.add("spring.http.serviceclient.pricing.base-url", PRICING::baseUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void forget() {
        TracingTestApplication.SEEN.clear();
        TracingTestApplication.SPANS.reset();
        CATALOG.resetAll();
        PRICING.resetAll();
    }

    @AfterAll
    static void stopWireMock() {
        CATALOG.stop();
        PRICING.stop();
    }

    @Test
    void aRestClientBuilderBoundToAnUpstreamTracesAndCarriesContextThroughEveryAttempt() throws Exception {
        // "after": added to the builder after binding; "customizer": added by a RestClientCustomizer before
        assertEveryAttemptTracedInContext(CATALOG, "catalog", "/items/sku-7", "/items/{sku}", "after", "customizer");
    }

    @Test
    void anHttpServiceClientOfAnUpstreamGroupTracesAndCarriesContextThroughEveryAttempt() throws Exception {
        // "group": added by the application's own group configurer, which runs before Levee's
        assertEveryAttemptTracedInContext(PRICING, "pricing", "/prices/sku-8", "/prices/{sku}", "group", "customizer");
    }

    private void assertEveryAttemptTracedInContext(WireMockServer upstream, String name, String path, String uriTemplate,
            String... interceptors) throws Exception {
        Retried call = callRetriedTwice(upstream, path);
        call.assertContextOnEveryAttempt(interceptors);
        call.assertTraceTree(name);
        assertHttpClientRequests(uriTemplate);
    }

    /** Stubs 503, 503, 200 at {@code path} upstream, and gets {@code path} with a known trace and request id. */
    private Retried callRetriedTwice(WireMockServer upstream, String path) throws Exception {
        upstream.stubFor(get(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("failed once"));
        upstream.stubFor(get(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("failed twice"));
        upstream.stubFor(get(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs("failed twice")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        String traceId = hex(32);
        String callerSpanId = hex(16);
        String requestId = "req-" + hex(8);

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
                .header("X-Request-Id", requestId)
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).startsWith("ok ").contains("trace=" + traceId);
        String requestThread = response.body().replaceAll(".*thread=(\\S+).*", "$1");
        List<LoggedRequest> received = upstream.findAll(getRequestedFor(urlPathEqualTo(path)));
        assertThat(received).hasSize(3);
        // the server span ends just after the response is written
        await().atMost(Duration.ofSeconds(10)).until(() -> TracingTestApplication.SPANS.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(traceId)));
        return new Retried(traceId, callerSpanId, requestId, path, requestThread, received,
                TracingTestApplication.SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList(),
                TracingTestApplication.SEEN.stream().filter(s -> s.path().equals(path)).toList());
    }

    /** The http.client.requests of one URI template: one per attempt, each with its own status. */
    private void assertHttpClientRequests(String uriTemplate) {
        Map<String, Long> byOutcomeAndStatus = meters.find("http.client.requests").tag("uri", uriTemplate).timers().stream()
                .collect(Collectors.toMap(t -> t.getId().getTag("outcome") + " " + t.getId().getTag("status"), Timer::count));
        assertThat(byOutcomeAndStatus).containsOnly(Map.entry("SERVER_ERROR 503", 2L), Map.entry("SUCCESS 200", 1L));
    }

    /** One traced call retried twice: what was sent, seen and recorded. */
    private record Retried(String traceId, String callerSpanId, String requestId, String path, String requestThread,
            List<LoggedRequest> received, List<SpanData> spans, List<Seen> seen) {

        List<Seen> seenBy(String interceptor) {
            return seen.stream().filter(s -> s.interceptor().equals(interceptor)).toList();
        }

        /** The span ids of the traceparent headers the upstream received, in order; all of the caller's trace. */
        List<String> sentSpanIds() {
            List<String> ids = received.stream().map(r -> {
                String[] parts = r.getHeader("traceparent").split("-");
                assertThat(parts[1]).as("trace id of %s", r.getHeader("traceparent")).isEqualTo(traceId);
                assertThat(r.getHeaders().getHeader("traceparent").values()).hasSize(1);
                return parts[2];
            }).toList();
            assertThat(new HashSet<>(ids)).as("one span per attempt").hasSize(3);
            return ids;
        }

        void assertContextOnEveryAttempt(String... interceptors) {
            List<String> sent = sentSpanIds();
            for (String interceptor : interceptors) {
                List<Seen> attempts = seenBy(interceptor);
                assertThat(attempts).as("exchanges %s took part in", interceptor).hasSize(3);
                for (int i = 0; i < attempts.size(); i++) {
                    Seen s = attempts.get(i);
                    String what = interceptor + " on attempt " + (i + 1);
                    assertThat(s.thread()).as("%s runs on an attempt thread", what).isNotEqualTo(requestThread);
                    assertThat(s.traceId()).as("%s: MDC traceId", what).isEqualTo(traceId);
                    assertThat(s.spanId()).as("%s: MDC spanId is the exchange's", what).isEqualTo(sent.get(i));
                    assertThat(s.traceparent()).as("%s: traceparent set before the chain", what).contains(sent.get(i));
                    assertThat(s.requestId()).as("%s: the caller's MDC key", what).isEqualTo(requestId);
                    assertThat(s.requestUri()).as("%s: RequestContextHolder", what).isEqualTo(path);
                    assertThat(s.user()).as("%s: SecurityContextHolder", what).isEqualTo("alice");
                    assertThat(s.observation()).as("%s: current observation", what).isEqualTo("http.client.requests");
                    assertThat(s.parent()).as("%s: its parent", what).isEqualTo("levee.attempt");
                }
            }
            for (LoggedRequest r : received) {
                assertThat(r.getHeaders().getHeader("X-Seen-By").values()).as("headers added on an attempt stay on it")
                        .containsExactlyInAnyOrder(interceptors);
            }
        }

        /** caller → server span → call span → three attempt spans → one HTTP client span each, as sent. */
        void assertTraceTree(String upstream) {
            SpanData server = only(s -> s.getKind() == SpanKind.SERVER);
            assertThat(server.getParentSpanId()).isEqualTo(callerSpanId);
            SpanData call = only(s -> s.getName().equals("call " + upstream));
            assertThat(call.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(call.getAttributes().get(OUTCOME)).isEqualTo("success");
            List<SpanData> attempts = spans.stream().filter(s -> s.getName().equals("attempt " + upstream))
                    .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
            assertThat(attempts).hasSize(3).allSatisfy(a -> assertThat(a.getParentSpanId()).isEqualTo(call.getSpanId()));
            assertThat(attempts).extracting(a -> a.getAttributes().get(OUTCOME)).containsExactly("failure", "failure", "success");
            assertThat(attempts).extracting(a -> a.getAttributes().get(KIND)).containsExactly("first", "retry", "retry");
            List<String> sent = sentSpanIds();
            for (int i = 0; i < 3; i++) {
                int attempt = i + 1;
                String expected = sent.get(i);
                String attemptId = attempts.get(i).getSpanId();
                List<SpanData> exchanges = spans.stream().filter(s -> s.getParentSpanId().equals(attemptId)).toList();
                assertThat(exchanges).as("children of attempt %d", attempt).singleElement().satisfies(x -> {
                    assertThat(x.getKind()).isEqualTo(SpanKind.CLIENT);
                    assertThat(x.getName()).isEqualTo("http get");
                    assertThat(x.getSpanId()).as("the span of the traceparent attempt %d sent", attempt).isEqualTo(expected);
                });
            }
            assertThat(spans).as("no HTTP client span outside the attempts").filteredOn(s -> s.getKind() == SpanKind.CLIENT)
                    .extracting(s -> s.getAttributes().get(STATUS) + " " + s.getAttributes().get(OUTCOME))
                    .containsExactlyInAnyOrder("503 SERVER_ERROR", "503 SERVER_ERROR", "200 SUCCESS");
        }

        private SpanData only(java.util.function.Predicate<SpanData> which) {
            List<SpanData> found = spans.stream().filter(which).toList();
            assertThat(found).as("spans of trace %s: %s", traceId, spans).hasSize(1);
            return found.get(0);
        }
    }

    private static String hex(int length) {
        StringBuilder s = new StringBuilder(length);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (s.length() < length) {
            s.append(Character.forDigit(random.nextInt(16), 16));
        }
        return s.toString();
    }
}
