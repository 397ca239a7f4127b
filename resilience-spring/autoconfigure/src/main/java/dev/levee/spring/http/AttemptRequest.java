package dev.levee.spring.http;

import java.io.OutputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequest;

/**
 * One attempt's view of a request: its own copy of the headers and attributes, so what an attempt adds (its
 * {@code traceparent}, a header an interceptor adds) never leaks into the next attempt, each of which starts
 * from the request as the caller made it. A {@link ClientHttpRequest} only because that is the carrier an
 * HTTP client observation takes; the interceptor chain executes it, never this object itself.
 */
final class AttemptRequest implements ClientHttpRequest {

    private final HttpRequest request;
    private final HttpHeaders headers;
    private final Map<String, Object> attributes;

    AttemptRequest(HttpRequest request) {
        this.request = request;
        this.headers = HttpHeaders.copyOf(request.getHeaders());
        this.attributes = new HashMap<>(request.getAttributes());
    }

    @Override
    public HttpMethod getMethod() {
        return request.getMethod();
    }

    @Override
    public URI getURI() {
        return request.getURI();
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public OutputStream getBody() {
        throw new UnsupportedOperationException("the body of an intercepted request is passed down the chain");
    }

    @Override
    public org.springframework.http.client.ClientHttpResponse execute() {
        throw new UnsupportedOperationException("an intercepted request is executed by the interceptor chain");
    }
}
