package dev.levee.reactor;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.UpstreamSpec;
import dev.levee.UpstreamTimeoutException;
import dev.levee.Upstreams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

/**
 * Errors an attempt's publisher drops: one that follows Levee's giving up on the attempt (its timeout, the
 * caller's cancel) is Levee's doing and is logged at DEBUG, not handed to Reactor's dropped-error hook (whose
 * default logs every such error at ERROR: the JDK's {@code HttpClient} produces one per request cancelled at a
 * timeout); any other dropped error still reaches the hook.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReactorDroppedErrorsTest {

    private final List<Throwable> droppedToReactor = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger leveeLog = (Logger) LoggerFactory.getLogger("dev.levee.health");
    private Level leveeLevel;
    private final Upstreams upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).build();

    @BeforeEach
    void setUp() {
        Hooks.onErrorDropped(droppedToReactor::add);
        log.start();
        leveeLog.addAppender(log);
        leveeLevel = leveeLog.getLevel();
        leveeLog.setLevel(Level.DEBUG);
    }

    @AfterEach
    void tearDown() {
        Hooks.resetOnErrorDropped();
        leveeLog.detachAppender(log);
        leveeLog.setLevel(leveeLevel);
        upstreams.close();
    }

    private ReactorUpstream upstream(String name, Duration attemptTimeout) {
        return ReactorUpstream.of(upstreams.register(UpstreamSpec.named(name).attemptTimeout(attemptTimeout)
                .retry(r -> r.maxAttempts(1)).build()));
    }

    private List<ILoggingEvent> droppedAfterGivingUp() {
        return log.list.stream().filter(e -> e.getFormattedMessage().contains("failed after Levee had given up on it")).toList();
    }

    @Test
    void aRealHttpRequestCancelledAtTheTimeoutIsLoggedAtDebugAndNotDroppedToReactor() throws Exception {
        WireMockServer wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().jettyStopTimeout(500L));
        wm.start();
        try {
            wm.stubFor(get(urlEqualTo("/prices/1")).willReturn(aResponse().withStatus(200).withFixedDelay(5_000).withBody("{}")));
            wm.stubFor(get(urlEqualTo("/ping")).willReturn(aResponse().withStatus(200).withBody("{}")));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // a connection open and the server warm, so the timed-out request is waiting for its response, as a
            // hanging upstream's are (cancelled while still connecting, the client fails it unwrapped)
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + wm.port() + "/ping")).GET().build(), BodyHandlers.ofString());
            URI uri = URI.create("http://127.0.0.1:" + wm.port() + "/prices/1");
            AtomicReference<CompletableFuture<HttpResponse<String>>> request = new AtomicReference<>();
            ReactorUpstream pricing = upstream("pricing", Duration.ofMillis(500));
            Adapter<HttpResponse<String>, String> body = HttpResponse::body;

            Mono<String> price = pricing.mono(ctx -> Mono.fromFuture(() -> {
                request.set(http.sendAsync(HttpRequest.newBuilder(uri).GET().build(), BodyHandlers.ofString()));
                return request.get();
            }), body, CallOptions.idempotent());

            // Whether the client fails a cancelled request with a wrapped cancellation (which Reactor drops) or
            // plainly (which it ignores) depends on how far the exchange got; three requests, each counted.
            int wrapped = 0;
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(price::block).isInstanceOf(UpstreamTimeoutException.class);
                waitFor(() -> request.get().isDone());
                assertThat(request.get()).isCompletedExceptionally();
                if (!request.get().isCancelled()) {
                    wrapped++;
                    assertThatThrownBy(() -> request.get().join()).isInstanceOf(CompletionException.class);
                }
            }
            int expected = wrapped;
            waitFor(() -> droppedAfterGivingUp().size() == expected);

            assertThat(droppedToReactor).isEmpty();
            for (ILoggingEvent debug : droppedAfterGivingUp()) {
                assertThat(debug.getLevel()).isEqualTo(Level.DEBUG);
                assertThat(debug.getFormattedMessage()).isEqualTo("Upstream 'pricing': attempt 1 failed after Levee had given up on it; its error is dropped");
                assertThat(debug.getThrowableProxy().getCause().getClassName()).isEqualTo(CancellationException.class.getName());
            }
        } finally {
            wm.stop();
        }
    }

    @Test
    void anErrorAfterTheCallersCancelIsLoggedAtDebug() throws Exception {
        CompletableFuture<String> pending = failsWhenCancelled();
        ReactorUpstream stock = upstream("stock", Duration.ofSeconds(1));

        stock.mono(ctx -> Mono.fromFuture(pending), Adapter.<String>identity(), CallOptions.idempotent())
                .subscribe().dispose();

        assertThat(pending).isCompletedExceptionally();
        waitFor(() -> !droppedAfterGivingUp().isEmpty());
        assertThat(droppedToReactor).isEmpty();
    }

    @Test
    void anErrorDroppedWithoutLeveeGivingUpStillReachesReactorsHook() {
        ReactorUpstream stock = upstream("stock", Duration.ofSeconds(1));
        IllegalStateException late = new IllegalStateException("an error after the value");

        String value = stock.mono(ctx -> valueThenError("in stock", late), Adapter.<String>identity(), CallOptions.idempotent())
                .block();

        assertThat(value).isEqualTo("in stock");
        assertThat(droppedToReactor).containsExactly(late);
        assertThat(droppedAfterGivingUp()).isEmpty();
    }

    @Test
    void aSubscribersOwnDroppedErrorHookStillGetsWhatLeveeDidNotCause() {
        ReactorUpstream stock = upstream("stock", Duration.ofSeconds(1));
        IllegalStateException late = new IllegalStateException("an error after the value");
        List<Throwable> subscribersHook = new CopyOnWriteArrayList<>();

        String value = stock.mono(ctx -> valueThenError("in stock", late), Adapter.<String>identity(), CallOptions.idempotent())
                .contextWrite(c -> c.put("reactor.onErrorDropped.local", (java.util.function.Consumer<Throwable>) subscribersHook::add))
                .block();

        assertThat(value).isEqualTo("in stock");
        assertThat(subscribersHook).containsExactly(late);
        assertThat(droppedToReactor).isEmpty();
    }

    /**
     * A publisher that breaks the protocol: asked for a value, it sends one and then an error, which Reactor
     * drops (the value already ended the attempt). Levee did not cause that error.
     */
    private static org.reactivestreams.Publisher<String> valueThenError(String value, Throwable error) {
        return subscriber -> subscriber.onSubscribe(new org.reactivestreams.Subscription() {
            private final java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public void request(long n) {
                if (sent.compareAndSet(false, true)) {
                    subscriber.onNext(value);
                    subscriber.onError(error);
                }
            }

            @Override
            public void cancel() {
            }
        });
    }

    /** A future that, like the JDK HttpClient's, fails with a wrapped cancellation when it is cancelled. */
    private static CompletableFuture<String> failsWhenCancelled() {
        return new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return completeExceptionally(new CompletionException(new CancellationException("Request cancelled")));
            }
        };
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
