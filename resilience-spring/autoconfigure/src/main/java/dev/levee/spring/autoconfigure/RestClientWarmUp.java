package dev.levee.spring.autoconfigure;

import com.sun.net.httpserver.HttpServer;
import dev.levee.spring.http.HttpClassification;
import dev.levee.spring.http.UpstreamRestClients;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Warms the RestClient path before the application reports ready: a client built as the application's are (its
 * {@code RestClient.Builder}, its client library and settings, Levee's interceptor, per-attempt observation, the
 * deadline header) makes an exchange answered 503 and retried, then one answered 200 with a JSON body, against a
 * server of its own on the loopback interface. Nothing leaves the host and the application's upstreams see
 * nothing of it ({@link WarmUp}).
 */
final class RestClientWarmUp implements SmartInitializingSingleton {

    private final Supplier<RestClient.Builder> builders;
    private final BiFunction<Duration, Duration, ClientHttpRequestFactory> requestFactories;
    private final @Nullable String deadlineHeader;

    RestClientWarmUp(Supplier<RestClient.Builder> builders, BiFunction<Duration, Duration, ClientHttpRequestFactory> requestFactories,
            @Nullable String deadlineHeader) {
        this.builders = builders;
        this.requestFactories = requestFactories;
        this.deadlineHeader = deadlineHeader;
    }

    @Override
    public void afterSingletonsInstantiated() {
        WarmUp.run("the RestClient path", upstreams -> {
            HttpServer server = loopbackServer();
            try {
                UpstreamRestClients clients = new UpstreamRestClients(upstreams, Map.of(),
                        HttpClassification.of("levee.defaults.http", null, null), deadlineHeader, builders, requestFactories)
                        .observedBy(WarmUp.observations(), null);
                RestClient client = clients.builder(WarmUp.NAME)
                        .baseUrl("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort()).build();
                client.get().uri("/warm-up").retrieve().body(Map.class);
            } finally {
                server.stop(0);
            }
        });
    }

    /** Answers 503 once, then 200 with a small JSON body. */
    private static HttpServer loopbackServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            AtomicInteger exchanges = new AtomicInteger();
            server.createContext("/", exchange -> {
                byte[] body = "{\"warm\":true}".getBytes(StandardCharsets.UTF_8);
                boolean first = exchanges.incrementAndGet() == 1;
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(first ? 503 : 200, first ? -1 : body.length);
                if (!first) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
