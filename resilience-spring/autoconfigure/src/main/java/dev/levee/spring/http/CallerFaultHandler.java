package dev.levee.spring.http;

import dev.levee.CallerFaultException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.client.DefaultResponseErrorHandler;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * The default status handler of a bound {@code RestClient} for caller faults: a 4xx that is not one of the
 * upstream's failure statuses becomes a {@link CallerFaultException} with reason {@code "http <status>"} and
 * Spring's own exception ({@code HttpClientErrorException.NotFound}, say, with the status, headers and body) as
 * its cause. A status handler of the request ({@code retrieve().onStatus(...)}), one of the builder's registered
 * before Levee's, or {@code exchange(...)} still sees the response first, so a 404 can still become a domain answer.
 */
final class CallerFaultHandler implements RestClient.ResponseSpec.ErrorHandler {

    private static final DefaultResponseErrorHandler SPRING = new SpringErrors();

    private final String upstream;
    private final HttpClassification classification;

    CallerFaultHandler(String upstream, HttpClassification classification) {
        this.upstream = upstream;
        this.classification = classification;
    }

    /** Whether this handler takes a response of that status. */
    boolean handles(HttpStatusCode status) {
        return status.is4xxClientError() && !classification.isFailure(status.value());
    }

    @Override
    public void handle(HttpRequest request, ClientHttpResponse response) throws IOException {
        String reason = "http " + response.getStatusCode().value();
        try {
            SPRING.handleError(request.getURI(), request.getMethod(), response);
        } catch (RestClientResponseException e) {
            throw new CallerFaultException(upstream, reason, e);
        }
        throw new CallerFaultException(upstream, reason, null); // Spring throws for every 4xx; kept for safety
    }

    /** Spring's handler with the client's default converters, so that the cause's {@code getResponseBodyAs} works. */
    private static final class SpringErrors extends DefaultResponseErrorHandler {

        SpringErrors() {
            List<HttpMessageConverter<?>> converters = new ArrayList<>();
            HttpMessageConverters.forClient().registerDefaults().build().forEach(converters::add);
            setMessageConverters(converters);
        }
    }
}
