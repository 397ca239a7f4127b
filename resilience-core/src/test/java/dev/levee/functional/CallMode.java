package dev.levee.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Adapter;
import dev.levee.CallContext;
import dev.levee.CallOptions;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.reactor.ReactorUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;

/**
 * The ways a caller can make the same upstream call: synchronously (with either timeout mode) and
 * asynchronously, as a {@code CompletableFuture} and as a Reactor {@code Mono}. Every functional scenario runs
 * in each mode and must end the same way.
 */
enum CallMode {
    /** {@code call} with the attempt on a Levee thread, abandoned at its timeout. */
    SYNC_ENFORCED(TimeoutMode.ENFORCED),
    /** {@code call} on the caller's thread, trusting the client's request timeout. */
    SYNC_COOPERATIVE(TimeoutMode.COOPERATIVE),
    /** {@code callAsync} over {@link HttpClient#sendAsync}. */
    ASYNC(TimeoutMode.ENFORCED),
    /** {@link ReactorUpstream#mono} over a {@code Mono} of {@link HttpClient#sendAsync}, subscribed and awaited. */
    REACTOR(TimeoutMode.ENFORCED);

    final TimeoutMode timeoutMode;

    CallMode(TimeoutMode timeoutMode) {
        this.timeoutMode = timeoutMode;
    }

    /** What one call ended with: a value, or the failure (for async calls, the cause of the join's exception). */
    record Result<D>(@Nullable D value, @Nullable Throwable failure, Duration elapsed) { }

    /** Builds a loopback HTTP/1.1 client: no upgrade to h2c, no redirects, a short connect timeout. */
    static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** The request of one attempt: the attempt's remaining time is the client's own request timeout. */
    static HttpRequest get(URI uri, CallContext ctx) {
        return HttpRequest.newBuilder(uri).timeout(ctx.remaining()).header("Accept", "application/json").GET().build();
    }

    /** GETs {@code uri} through the upstream in this mode. */
    <D> Result<D> call(Upstream upstream, HttpClient http, URI uri, Adapter<HttpResponse<String>, D> adapter,
            CallOptions<D> options) {
        long start = System.nanoTime();
        D value = null;
        Throwable failure = null;
        if (this == REACTOR) {
            Signal<D> signal = ReactorUpstream.of(upstream)
                    .mono(ctx -> Mono.fromFuture(() -> http.sendAsync(get(uri, ctx), BodyHandlers.ofString())), adapter, options)
                    .materialize().block(); // the failure as it reached the subscriber, not as block() rethrows it
            assertThat(signal).as("the signal a Mono ends with").isNotNull();
            value = signal.get();
            failure = signal.getThrowable();
        } else if (this == ASYNC) {
            CompletableFuture<D> future = upstream.callAsync(ctx -> http.sendAsync(get(uri, ctx), BodyHandlers.ofString()),
                    adapter, options);
            try {
                value = future.join();
            } catch (Throwable t) {
                assertThat(t).as("an asynchronous failure arrives from join() wrapped").isInstanceOf(CompletionException.class);
                failure = t.getCause();
            }
        } else {
            try {
                value = upstream.call(ctx -> http.send(get(uri, ctx), BodyHandlers.ofString()), adapter, options);
            } catch (Throwable t) {
                failure = t;
            }
        }
        return new Result<>(value, failure, Duration.ofNanos(System.nanoTime() - start));
    }
}
