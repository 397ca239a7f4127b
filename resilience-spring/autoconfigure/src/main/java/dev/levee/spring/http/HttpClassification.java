package dev.levee.spring.http;

import dev.levee.Adapter;
import dev.levee.Verdict;
import dev.levee.spring.LeveeConfigurationException;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpResponse;

/**
 * How one upstream's HTTP exchanges are classified: which statuses are upstream failures (the rest of 4xx
 * are the caller's fault; 1xx-3xx are answers) and which methods are idempotent. Immutable.
 *
 * <p>Defaults: 5xx, 408 and 429 are failures; GET, HEAD, OPTIONS, PUT and DELETE are retried.
 *
 * @since 0.1
 */
public final class HttpClassification implements Adapter<ClientHttpResponse, ClientHttpResponse> {

    /** The default failure statuses. */
    public static final List<String> DEFAULT_FAILURE_STATUSES = List.of("5xx", "408", "429");
    /** The default idempotent methods. */
    public static final List<String> DEFAULT_IDEMPOTENT_METHODS = List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH", "TRACE");

    private final BitSet failures;
    private final Set<String> idempotentMethods;

    private HttpClassification(BitSet failures, Set<String> idempotentMethods) {
        this.failures = failures;
        this.idempotentMethods = idempotentMethods;
    }

    /**
     * Parses the classification of one upstream.
     *
     * @param propertyPrefix the property path of the settings, for error messages ({@code levee.upstreams.x.http})
     * @param failureStatuses status codes ({@code 429}) or classes ({@code 5xx}); null for the defaults
     * @param idempotentMethods method names; null for the defaults
     * @return the classification
     * @throws LeveeConfigurationException naming the property and the value if an entry is not understood
     */
    public static HttpClassification of(String propertyPrefix, @Nullable List<String> failureStatuses,
            @Nullable List<String> idempotentMethods) {
        BitSet failures = new BitSet(600);
        for (String entry : failureStatuses == null ? DEFAULT_FAILURE_STATUSES : failureStatuses) {
            String s = entry.trim().toLowerCase(Locale.ROOT);
            if (s.matches("[1-5]xx")) {
                int base = (s.charAt(0) - '0') * 100;
                failures.set(base, base + 100);
            } else if (s.matches("[1-5][0-9][0-9]")) {
                failures.set(Integer.parseInt(s));
            } else {
                throw new LeveeConfigurationException(propertyPrefix + ".failure-statuses", "'" + entry + "'",
                        "a list of status codes from 100 to 599 (429) or status classes (5xx)", null);
            }
        }
        Set<String> methods = new TreeSet<>();
        for (String entry : idempotentMethods == null ? DEFAULT_IDEMPOTENT_METHODS : idempotentMethods) {
            String m = entry.trim().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(m)) {
                throw new LeveeConfigurationException(propertyPrefix + ".idempotent-methods", "'" + entry + "'",
                        "a list of HTTP methods among " + new TreeSet<>(METHODS), null);
            }
            methods.add(m);
        }
        return new HttpClassification(failures, Set.copyOf(methods));
    }

    /**
     * Whether requests with this method may be retried.
     *
     * @param method an HTTP method name
     * @return {@code true} if the method is idempotent
     */
    public boolean isIdempotent(String method) {
        return idempotentMethods.contains(method);
    }

    /**
     * Whether a status counts as an upstream failure.
     *
     * @param status the status code
     * @return {@code true} if the upstream failed
     */
    public boolean isFailure(int status) {
        return status >= 0 && status < 600 && failures.get(status);
    }

    /**
     * Whether a status is the caller's fault: a 4xx that is not one of the failure statuses.
     *
     * @param status the HTTP status code
     * @return {@code true} if the caller sent a request the upstream refused
     * @since 0.2
     */
    public boolean isCallerFault(int status) {
        return status >= 400 && status < 500 && !isFailure(status);
    }

    /**
     * Classifies a response: a failure status is {@link Verdict#failure} (its {@code Retry-After} as the retry
     * hint; the response is closed, the caller never sees it); another 4xx is {@link Verdict#callerFault} with
     * reason {@code "http <status>"} (the response is left open: {@link UpstreamHttpInterceptor} hands it back to
     * {@code RestClient}, whose status handlers decide what the caller sees); any other status proceeds.
     */
    @Override
    public Verdict<ClientHttpResponse> classify(ClientHttpResponse response) {
        int status;
        try {
            status = response.getStatusCode().value();
        } catch (IOException e) {
            return Verdict.failure("unreadable status");
        }
        return verdict(status, response, () -> response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER), response::close);
    }

    /**
     * The verdict on a response with this status, for the RestClient and WebClient integrations alike: a failure
     * status is a failure (with its {@code Retry-After} hint) whose response is discarded at once, so its
     * connection goes back; another 4xx is a caller fault (the integration still hands the response to the
     * client's own status handling); the rest proceed.
     */
    <R> Verdict<R> verdict(int status, R response, Supplier<@Nullable String> retryAfterHeader, Runnable discard) {
        if (isFailure(status)) {
            Duration retryAfter = retryAfter(retryAfterHeader.get());
            discard.run(); // the caller never sees a failed response
            String reason = "http " + status;
            return retryAfter == null ? Verdict.failure(reason) : Verdict.failure(reason, retryAfter);
        }
        if (isCallerFault(status)) {
            // The caller's fault, counted as such (not against the upstream, never retried); the integrations
            // still hand the response to the client, whose status handlers take it from there.
            return Verdict.callerFault("http " + status);
        }
        return Verdict.proceed();
    }

    @Override
    public ClientHttpResponse translate(ClientHttpResponse response) {
        return response;
    }

    /** Parses {@code Retry-After}: delta-seconds or an HTTP date; anything else is no hint. */
    static @Nullable Duration retryAfter(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.matches("[0-9]{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "HttpClassification[failures=" + failures + ", idempotentMethods=" + idempotentMethods + "]";
    }
}
