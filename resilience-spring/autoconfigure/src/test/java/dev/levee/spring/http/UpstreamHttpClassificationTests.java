package dev.levee.spring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.method;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withStatus;

import dev.levee.CallerFaultException;
import dev.levee.CircuitState;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.client.ExpectedCount;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The default HTTP classification of a RestClient bound to an upstream, without a Spring context: which statuses
 * are failures, which methods are retried, how {@code Retry-After} is read.
 */
class UpstreamHttpClassificationTests {

    private final Upstreams upstreams = Upstreams.builder().build();
    private final UpstreamRestClients clients;

    UpstreamHttpClassificationTests() {
        upstreams.register(UpstreamSpec.named("shop")
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(1), 1.0).maxBackoff(Duration.ofMillis(1))
                        .budget(1.0, 1000, Duration.ofSeconds(10)))
                .circuitBreaker(cb -> cb.countWindow(10).minimumCalls(10))
                .build());
        clients = new UpstreamRestClients(upstreams, Map.of(), null, RestClient::builder);
    }

    @AfterEach
    void close() {
        upstreams.close();
    }

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 503, 504, 408, 429 })
    void aFailureStatusIsRetriedForGetAndSurfacesAsALeveeException(int status) {
        RestClient.Builder builder = clients.builder("shop");
        MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
        server.expect(ExpectedCount.times(3), requestTo("http://shop.test/a")).andRespond(withStatus(HttpStatus.valueOf(status)));
        assertThatExceptionOfType(UpstreamFailureException.class)
                .isThrownBy(() -> builder.build().get().uri("http://shop.test/a").retrieve().toBodilessEntity())
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo("http " + status);
                    assertThat(e.attempts()).isEqualTo(3);
                });
        server.verify();
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 403, 404, 409, 422 })
    void anotherClientErrorIsTheCallersFaultNeitherRetriedNorCounted(int status) {
        RestClient.Builder builder = clients.builder("shop");
        MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
        server.expect(ExpectedCount.times(10), requestTo("http://shop.test/a")).andRespond(withStatus(HttpStatus.valueOf(status)));
        RestClient client = builder.build();
        for (int i = 0; i < 10; i++) {
            assertThatExceptionOfType(CallerFaultException.class)
                    .isThrownBy(() -> client.get().uri("http://shop.test/a").retrieve().toBodilessEntity())
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo("http " + status);
                        assertThat(e.getCause()).isInstanceOfSatisfying(HttpClientErrorException.class,
                                cause -> assertThat(cause.getStatusCode().value()).isEqualTo(status));
                    });
        }
        server.verify();
        assertThat(upstreams.get("shop").circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(upstreams.get("shop").health().failureRate()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "GET", "HEAD", "OPTIONS", "PUT", "DELETE" })
    void anIdempotentMethodIsRetried(String name) {
        assertAttempts(HttpMethod.valueOf(name), 3);
    }

    @ParameterizedTest
    @ValueSource(strings = { "POST", "PATCH" })
    void aNonIdempotentMethodIsNotRetried(String name) {
        assertAttempts(HttpMethod.valueOf(name), 1);
    }

    private void assertAttempts(HttpMethod method, int attempts) {
        RestClient.Builder builder = clients.builder("shop");
        MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
        server.expect(ExpectedCount.times(attempts), requestTo("http://shop.test/a")).andExpect(method(method))
                .andRespond(withStatus(HttpStatus.SERVICE_UNAVAILABLE));
        assertThatExceptionOfType(UpstreamFailureException.class)
                .isThrownBy(() -> builder.build().method(method).uri("http://shop.test/a").retrieve().toBodilessEntity());
        server.verify();
    }

    @Test
    void aSuccessfulAnswerPassesThrough() {
        RestClient.Builder builder = clients.builder("shop");
        MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
        server.expect(requestTo("http://shop.test/a"))
                .andRespond(withStatus(HttpStatus.OK).body("fine").contentType(MediaType.TEXT_PLAIN));
        assertThat(builder.build().get().uri("http://shop.test/a").retrieve().body(String.class)).isEqualTo("fine");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(HttpClassification.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(HttpClassification.retryAfter(" 0 ")).isEqualTo(Duration.ZERO);
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(HttpClassification.retryAfter(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusSeconds(10));
        assertThat(HttpClassification.retryAfter(past)).isEqualTo(Duration.ZERO);
        assertThat(HttpClassification.retryAfter("soon")).isNull();
        assertThat(HttpClassification.retryAfter("-1")).isNull();
        assertThat(HttpClassification.retryAfter("")).isNull();
        assertThat(HttpClassification.retryAfter(null)).isNull();
    }

    @Test
    void statusClassesAndCodesAreParsed() {
        HttpClassification c = HttpClassification.of("levee.upstreams.x.http", List.of("5xx", " 404 ", "4XX"),
                List.of("get", "Post"));
        assertThat(c.isFailure(500)).isTrue();
        assertThat(c.isFailure(599)).isTrue();
        assertThat(c.isFailure(404)).isTrue();
        assertThat(c.isFailure(418)).isTrue();
        assertThat(c.isFailure(200)).isFalse();
        assertThat(c.isFailure(600)).isFalse();
        assertThat(c.isIdempotent("GET")).isTrue();
        assertThat(c.isIdempotent("POST")).isTrue();
        assertThat(c.isIdempotent("PUT")).isFalse();
    }
}
