package dev.levee.spring.http;

import dev.levee.CallOptions;
import dev.levee.Deadline;
import dev.levee.Upstream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Routes every exchange of a {@code RestClient} through one upstream's call path: statuses classified by
 * {@link HttpClassification}, idempotent methods retried (with {@code Retry-After} honoured), and each attempt's
 * own remaining time passed on in the deadline header, so the upstream can stop when its answer would no longer
 * be awaited.
 *
 * <p>The header carries, in whole milliseconds rounded down, the smaller of what the attempt may still take (its
 * attempt timeout, clamped by the call's deadline, minus what has elapsed: {@link dev.levee.CallContext#remaining()})
 * and what remains of the {@link Deadline} bound on the calling thread, if any (an incoming request's budget, say).
 * It is sent on every attempt, with or without an incoming budget, and replaces any value already on the request.
 *
 * <p>A failed exchange surfaces as an {@link dev.levee.UpstreamException}; a caller-fault status (404, say)
 * is handed back to {@code RestClient}, whose status handlers decide as usual.
 *
 * @since 0.1
 */
public final class UpstreamHttpInterceptor implements ClientHttpRequestInterceptor {

    private static final CallOptions<ClientHttpResponse> IDEMPOTENT = CallOptions.idempotent();
    private static final CallOptions<ClientHttpResponse> NOT_IDEMPOTENT = CallOptions.defaults();

    private final Upstream upstream;
    private final HttpClassification classification;
    private final @Nullable String deadlineHeader;

    /**
     * Creates the interceptor.
     *
     * @param upstream the upstream every exchange goes through
     * @param classification how statuses and methods are classified
     * @param deadlineHeader the header that carries the remaining time budget, or {@code null} not to send it
     */
    public UpstreamHttpInterceptor(Upstream upstream, HttpClassification classification, @Nullable String deadlineHeader) {
        this.upstream = upstream;
        this.classification = classification;
        this.deadlineHeader = deadlineHeader;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        boolean idempotent = classification.isIdempotent(request.getMethod().name());
        // Read on the caller's thread: enforced timeouts run the exchange on a Levee thread.
        Deadline bound = deadlineHeader == null ? null : Deadline.current().orElse(null);
        return upstream.call(context -> {
            if (deadlineHeader != null) {
                long nanos = context.remainingNanos();
                if (bound != null) {
                    nanos = Math.min(nanos, bound.remainingNanos());
                }
                request.getHeaders().set(deadlineHeader, Long.toString(Math.max(0, TimeUnit.NANOSECONDS.toMillis(nanos))));
            }
            return execution.execute(request, body);
        }, classification, idempotent ? IDEMPOTENT : NOT_IDEMPOTENT);
    }

    /**
     * The upstream this interceptor routes through.
     *
     * @return the upstream
     */
    public Upstream upstream() {
        return upstream;
    }
}
