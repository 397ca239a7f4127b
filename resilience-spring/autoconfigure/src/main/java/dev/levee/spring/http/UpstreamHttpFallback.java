package dev.levee.spring.http;

import dev.levee.UpstreamException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BiFunction;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;

/**
 * One upstream's fallback over HTTP: the response its {@code RestClient}s, {@code WebClient}s and HTTP service
 * clients decode, as if the upstream had sent it, when a call to it fails or is rejected. Declare it as a bean and
 * the auto-configuration gives it to {@link UpstreamRestClients} and {@link UpstreamWebClients}; it answers every exchange of the upstream that has no per-call fallback
 * ({@link UpstreamRestClients#call(String, java.util.function.Supplier, dev.levee.Fallback)}, which wins).
 *
 * <pre>{@code
 * @Bean
 * UpstreamHttpFallback recommendationsFallback() {
 *     return UpstreamHttpFallback.json("recommendations", "[]");
 * }
 * }</pre>
 *
 * <p>It answers only outcomes that allow a fallback ({@link dev.levee.Outcome#isFallbackEligible()}: failures
 * after the retries, timeouts, contract violations, an open circuit, a full bulkhead, a passed deadline), never a
 * caller fault, through the core's {@link dev.levee.CallOptions#withFallback}: the call is counted with
 * {@code fallback=true}. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class UpstreamHttpFallback {

    private final String upstream;
    private final BiFunction<HttpRequest, UpstreamException, ClientHttpResponse> respond;

    private UpstreamHttpFallback(String upstream, BiFunction<HttpRequest, UpstreamException, ClientHttpResponse> respond) {
        this.upstream = upstream;
        this.respond = respond;
    }

    /**
     * A fallback that makes its response from the request and the failure.
     *
     * @param upstream the upstream's name
     * @param respond makes the response; {@link #response(HttpStatusCode, MediaType, String)} makes a simple one.
     *     Whatever it throws reaches the caller instead of the failure.
     * @return the fallback
     */
    public static UpstreamHttpFallback of(String upstream, BiFunction<HttpRequest, UpstreamException, ClientHttpResponse> respond) {
        return new UpstreamHttpFallback(Objects.requireNonNull(upstream, "upstream"), Objects.requireNonNull(respond, "respond"));
    }

    /**
     * A fallback that answers {@code 200 OK} with a JSON body, the same for every request.
     *
     * @param upstream the upstream's name
     * @param json the body, such as {@code "[]"}
     * @return the fallback
     */
    public static UpstreamHttpFallback json(String upstream, String json) {
        Objects.requireNonNull(json, "json");
        return of(upstream, (request, failure) -> response(HttpStatus.OK, MediaType.APPLICATION_JSON, json));
    }

    /**
     * A response to fall back to, decoded by the client like the upstream's own.
     *
     * @param status the status; a failure status is treated as the caller would treat one from the upstream
     * @param contentType the body's content type
     * @param body the body, encoded in UTF-8
     * @return a new response
     */
    public static ClientHttpResponse response(HttpStatusCode status, MediaType contentType, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(contentType);
        return new Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The name of the upstream this fallback answers for.
     *
     * @return the upstream's name
     */
    public String upstream() {
        return upstream;
    }

    /**
     * Makes the response to fall back to.
     *
     * @param request the request that failed
     * @param failure why it failed; {@link UpstreamException#outcome()} tells which way
     * @return the response the client decodes instead of the upstream's
     */
    public ClientHttpResponse respond(HttpRequest request, UpstreamException failure) {
        return Objects.requireNonNull(respond.apply(request, failure), "the fallback of upstream '" + upstream + "' returned null");
    }

    @Override
    public String toString() {
        return "UpstreamHttpFallback[" + upstream + "]";
    }

    /** A response made in memory; also what a contract-checked upstream response is buffered into. */
    static final class Response implements ClientHttpResponse {

        private final HttpStatusCode status;
        private final HttpHeaders headers;
        private final byte[] body;

        Response(HttpStatusCode status, HttpHeaders headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        @Override
        public HttpStatusCode getStatusCode() {
            return status;
        }

        @Override
        public String getStatusText() {
            return status instanceof HttpStatus s ? s.getReasonPhrase() : "";
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public void close() {
        }
    }
}
