package dev.levee.benchmarks.scenarios;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP upstream on the loopback interface, started by the scenario itself (the JDK's
 * {@code com.sun.net.httpserver}): no external network. Each path behaves as its {@link Behaviour} says, and
 * can be switched while the scenario runs; every request that reaches it is counted.
 *
 * <p>The client ({@link #get}) is {@link HttpURLConnection} with no timeouts, on purpose: a blocking client
 * that ignores interrupts and has no timeout of its own is the case that cascades. {@link #send} is the
 * opposite, a client that takes the remaining time as its own timeout (the JDK's {@link HttpClient}).
 */
final class LoopbackUpstream implements AutoCloseable {

    /** What one path does with a request. */
    enum Behaviour {
        /** Answers 200 at once. */
        HEALTHY,
        /** Answers 200 after {@link #hangMillis}. */
        HANG,
        /** Answers 503 at once: a total outage that still answers. */
        FAIL
    }

    /** The client's view of a 5xx answer. */
    static final class ServerError extends IOException {
        private static final long serialVersionUID = 1L;

        ServerError(int status) {
            super("HTTP " + status, null);
        }
    }

    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
    private static final Duration ONE_MILLI = Duration.ofMillis(1);

    static {
        // Without TCP_NODELAY the server's two writes (headers, body) meet the client's delayed ACK: 40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService handlers;
    private final long hangMillis;
    private final Path[] paths;

    /** One endpoint. */
    static final class Path {
        final String name;
        volatile Behaviour behaviour;
        final LongAdder requests = new LongAdder();
        final URL url;

        Path(String name, Behaviour behaviour, URL url) {
            this.name = name;
            this.behaviour = behaviour;
            this.url = url;
        }

        long requests() {
            return requests.sum();
        }
    }

    LoopbackUpstream(long hangMillis, String... names) throws IOException {
        this.hangMillis = hangMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1_000);
        AtomicInteger n = new AtomicInteger();
        handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopback-upstream-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        paths = new Path[names.length];
        for (int i = 0; i < names.length; i++) {
            URL url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + names[i]).toURL();
            Path p = new Path(names[i], Behaviour.HEALTHY, url);
            paths[i] = p;
            server.createContext("/" + names[i], exchange -> handle(p, exchange));
        }
        server.start();
    }

    Path path(String name) {
        for (Path p : paths) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private void handle(Path p, HttpExchange exchange) throws IOException {
        p.requests.increment();
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            Behaviour b = p.behaviour;
            if (b == Behaviour.HANG) {
                try {
                    Thread.sleep(hangMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            int status = b == Behaviour.FAIL ? 503 : 200;
            exchange.sendResponseHeaders(status, OK.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(OK);
            }
        }
    }

    /**
     * One blocking GET with no timeouts: returns the body, or throws {@link ServerError} for a 5xx.
     *
     * @param p the path
     * @return the body
     * @throws IOException on a 5xx or a connection failure
     */
    static String get(Path p) throws IOException {
        HttpURLConnection c = (HttpURLConnection) p.url.openConnection();
        c.setUseCaches(false);
        int status = c.getResponseCode();
        if (status >= 500) {
            try (InputStream err = c.getErrorStream()) {
                if (err != null) {
                    err.readAllBytes();
                }
            }
            throw new ServerError(status);
        }
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * One GET through the JDK's {@link HttpClient} with {@code timeout} as its request timeout (a client that
     * honours the time Levee hands it): returns the body, or throws {@link ServerError} for a 5xx.
     *
     * @param client the client
     * @param uri what to get
     * @param timeout the request timeout, such as {@code ctx.remaining()}; raised to 1 ms if shorter
     * @return the body
     * @throws IOException on a 5xx, a connection failure or the client's timeout
     * @throws InterruptedException if the calling thread was interrupted
     */
    static String send(HttpClient client, URI uri, Duration timeout) throws IOException, InterruptedException {
        Duration t = timeout.compareTo(ONE_MILLI) < 0 ? ONE_MILLI : timeout;
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(t).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) {
            throw new ServerError(r.statusCode());
        }
        return r.body();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
