package dev.levee.functional;

import dev.levee.Adapter;
import dev.levee.Expectation;
import dev.levee.Verdict;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A test-side anti-corruption adapter for a JSON-over-HTTP upstream, classifying statuses the way the Spring
 * integration will: 5xx, 429 and 408 are upstream failures (429 and 503 carry their {@code Retry-After}
 * seconds as the retry hint), 404 is a domain answer, other 4xx are the caller's fault, 2xx proceeds to the
 * expectations and the translation of the (flat) JSON body.
 *
 * @param <D> the domain type
 */
final class HttpJsonAdapter<D> implements Adapter<HttpResponse<String>, D> {

    /** Turns a parsed JSON object into the domain type; throws if the object does not fit. */
    @FunctionalInterface
    interface Translation<D> {
        D from(Map<String, Object> json) throws Exception;
    }

    private final D notFound;
    private final Translation<D> translation;
    private final List<Expectation<? super HttpResponse<String>>> expectations;

    HttpJsonAdapter(D notFound, Translation<D> translation, List<Expectation<? super HttpResponse<String>>> expectations) {
        this.notFound = Objects.requireNonNull(notFound, "notFound");
        this.translation = Objects.requireNonNull(translation, "translation");
        this.expectations = List.copyOf(expectations);
    }

    @Override
    public Verdict<D> classify(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 404) {
            return Verdict.answer(notFound);
        }
        if (status >= 500 || status == 429 || status == 408) {
            String reason = "http " + status;
            Optional<Duration> hint = status == 429 || status == 503 ? retryAfter(response) : Optional.empty();
            return hint.<Verdict<D>>map(d -> Verdict.failure(reason, d)).orElseGet(() -> Verdict.failure(reason));
        }
        if (status >= 400) {
            return Verdict.callerFault("http " + status);
        }
        if (status >= 200 && status < 300) {
            return Verdict.proceed();
        }
        return Verdict.permanentFailure("unexpected http " + status); // 1xx, 3xx: redirects are not followed
    }

    @Override
    public D translate(HttpResponse<String> response) throws Exception {
        return translation.from(TinyJson.parseObject(response.body()));
    }

    @Override
    public List<Expectation<? super HttpResponse<String>>> expectations() {
        return expectations;
    }

    /** The {@code Retry-After} header in delta-seconds; an HTTP date or garbage gives no hint. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
                .map(String::trim)
                .filter(v -> !v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9'))
                .map(v -> {
                    try {
                        return Duration.ofSeconds(Long.parseLong(v));
                    } catch (NumberFormatException e) {
                        return Duration.ofSeconds(Long.MAX_VALUE); // more digits than a long: forever
                    }
                });
    }
}
