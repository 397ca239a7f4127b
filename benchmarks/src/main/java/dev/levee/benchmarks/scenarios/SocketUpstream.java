package dev.levee.benchmarks.scenarios;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal HTTP/1.1 upstream on raw loopback sockets, for the faults that {@link LoopbackUpstream}'s
 * {@code com.sun.net.httpserver} cannot make: the listening socket closed (connections refused), a reset
 * (RST: {@code SO_LINGER} 0, then close), and an accepted request that is never answered. Answers
 * {@code GET}s with keep-alive; the fault can be switched while clients are connected, and applies to the
 * next request on every connection. Started by the scenario itself; no external network.
 */
final class SocketUpstream implements AutoCloseable {

    /** What the server does with each request. */
    enum Fault {
        /** Answers 200 at once (or 503 for the random share set by {@link #errorShare}). */
        NONE("none"),
        /** Nothing listens on the port: the listening socket and every open connection are closed. */
        REFUSED("connection refused"),
        /** Reads the request, then resets the connection (RST). */
        RESET("connection reset"),
        /** Answers 503 at once. */
        ERROR_503("HTTP 503"),
        /** Reads the request and never answers; the connection stays open until the client closes it. */
        HANG("hang");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    private static final byte[] OK = response("200 OK", "ok");
    private static final byte[] UNAVAILABLE = response("503 Service Unavailable", "unavailable");
    private static final int MAX_HEAD = 8_192;

    private final int port;
    private final URI uri;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final LongAdder requests = new LongAdder();
    private final Random random = new Random();
    private volatile Fault fault = Fault.NONE;
    private volatile double errorShare;
    private ServerSocket listener;

    SocketUpstream() throws IOException {
        AtomicInteger n = new AtomicInteger();
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "socket-upstream-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        listener = listen(0);
        port = listener.getLocalPort();
        uri = URI.create("http://127.0.0.1:" + port + "/x");
    }

    URI uri() {
        return uri;
    }

    /** Requests read so far (a refused connection sends none). */
    long requests() {
        return requests.sum();
    }

    /**
     * Makes a seeded random share of healthy answers 503 (noise).
     *
     * @param share 0 to 1
     * @param seed the random seed, so that runs draw the same sequence
     */
    void errorShare(double share, long seed) {
        random.setSeed(seed);
        errorShare = share;
    }

    /**
     * Switches the fault; {@link Fault#NONE} clears it. Leaving {@link Fault#REFUSED} listens again on the
     * same port.
     *
     * @param next the fault from now on
     * @throws IOException if the port cannot be bound again
     */
    synchronized void fault(Fault next) throws IOException {
        Fault previous = fault;
        fault = next;
        if (next == Fault.REFUSED && previous != Fault.REFUSED) {
            closeAll();
        } else if (previous == Fault.REFUSED && next != Fault.REFUSED) {
            listener = listen(port);
        }
    }

    private ServerSocket listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 1_000);
        threads.execute(() -> accept(s));
        return s;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                open.add(c);
                threads.execute(() -> serve(c));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket c) {
        try (c) {
            c.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(c.getInputStream());
            OutputStream out = c.getOutputStream();
            while (readHead(in)) {
                requests.increment();
                Fault f = fault;
                if (f == Fault.RESET) {
                    c.setSoLinger(true, 0);
                    return;
                }
                if (f == Fault.HANG) {
                    while (in.read() != -1) {
                        // never answer; wait for the client to give up and close
                    }
                    return;
                }
                boolean error = f == Fault.ERROR_503 || (errorShare > 0 && random.nextDouble() < errorShare);
                out.write(error ? UNAVAILABLE : OK);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed or reset the connection, or the server was closed under it
        } finally {
            open.remove(c);
        }
    }

    /** Reads one request head (a GET has no body); {@code false} at the end of the stream. */
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        for (int n = 0; n < MAX_HEAD; n++) {
            int b = in.read();
            if (b == -1) {
                return false;
            }
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        throw new IOException("request head longer than " + MAX_HEAD + " bytes");
    }

    private static byte[] response(String status, String body) {
        return ("HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private void closeAll() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public synchronized void close() {
        closeAll();
        threads.shutdownNow();
    }
}
