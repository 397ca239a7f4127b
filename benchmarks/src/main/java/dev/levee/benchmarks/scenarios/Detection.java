package dev.levee.benchmarks.scenarios;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.HealthState;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.benchmarks.scenarios.SocketUpstream.Fault;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 6, detection: with Levee's defaults, how long after a real fault starts does the circuit open,
 * how long after it ends does it close, and what does health say meanwhile; for each fault (refused, reset,
 * 503, hang) and traffic shape (open-loop at 1 to 1,000 calls/s, closed-loop threads). And how often does
 * the circuit open on noise (a steady share of random errors)?
 */
final class Detection {

    private static final int[] RATES = {1, 10, 100, 1_000};
    private static final int THREADS = 8;
    private static final int NOISE_RATE = 200;
    private static final double[] NOISE = {0.01, 0.05};
    private static final long SEED = 20261130L;
    private static final Fault[] FAULTS = {Fault.REFUSED, Fault.RESET, Fault.ERROR_503, Fault.HANG};
    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    /** How long each phase lasts; the caps bound a phase whose event never comes. */
    private record Phases(long healthyMillis, long openCapMillis, long holdMillis, long closeCapMillis, long noiseMillis) {
    }

    /** A traffic shape: open-loop at a rate, or closed-loop threads. */
    private record Traffic(int rate, int threads) {

        static Traffic open(int rate) {
            return new Traffic(rate, 0);
        }

        static Traffic closed(int threads) {
            return new Traffic(0, threads);
        }

        String label() {
            return rate > 0 ? String.format(Locale.ROOT, "%,d call%s/s open-loop", rate, rate == 1 ? "" : "s")
                    : threads + " threads closed-loop";
        }

        /** Light enough to run beside other light cells without disturbing them. */
        boolean light() {
            return rate > 0 && rate <= 100;
        }

        /** Starts the load; the returned action stops it. */
        Stopper start(OpenLoop.Request request, long maxMillis) {
            if (rate == 0) {
                ClosedLoop load = ClosedLoop.start(threads, request);
                return () -> load.stop(500);
            }
            AtomicBoolean stop = new AtomicBoolean();
            int requests = (int) Math.min(Integer.MAX_VALUE - 1, (long) rate * maxMillis / 1000 + rate);
            // Each call lasts at most its 3 s deadline; the bulkhead (25) rejects at once beyond its permits.
            int workers = Math.min(200, 4 * rate + 8);
            Thread schedule = new Thread(() -> {
                try {
                    OpenLoop.run(rate, requests, workers, 500, stop::get, i -> request);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "detection-schedule");
            schedule.setDaemon(true);
            schedule.start();
            return () -> {
                stop.set(true);
                schedule.join(10_000);
            };
        }
    }

    private interface Stopper {
        void stop() throws InterruptedException;
    }

    private Detection() {
    }

    static void run(Report report, boolean quick) throws Exception {
        Phases p = quick ? new Phases(1_000, 2_000, 200, 0, 2_000) : new Phases(5_000, 30_000, 1_000, 30_000, 120_000);
        report.heading("6. Detection: time to open and to close under real faults, with the defaults");
        report.note("Levee's defaults only: `UpstreamSpec.named(\"x\").build()`, calls idempotent (a GET), no fallback. "
                + "The upstream is a loopback HTTP/1.1 server on raw sockets; the client is the JDK's `HttpClient` (HTTP/1.1, "
                + "keep-alive, one client per upstream) with `ctx.remaining()` as its request timeout. Each cell: " + seconds(p.healthyMillis())
                + " of healthy traffic (200 at once), then the fault starts; it is cleared " + seconds(p.holdMillis())
                + " after the circuit opened (or after " + seconds(p.openCapMillis()) + " if it did not), and the server is healthy "
                + "again. *Refused*: the listening socket and every connection closed, nothing listening on the port. "
                + "*Reset*: the server reads each request, then closes with `SO_LINGER` 0 (RST). *503*: every request answered "
                + "503 at once. *Hang*: the server reads each request and never answers. Open-loop calls are issued at fixed "
                + "instants on a bounded pool of caller workers (up to 200), so a hang does not stop the schedule; closed-loop "
                + "threads call back to back. Times come from Levee's observer (`onCircuitStateChange`) and health listener, "
                + "so they are those of the transitions themselves. *Attempts until open*: attempts that ended between the "
                + "fault's start and the circuit opening (the one that opened it included), by outcome: failed or timed out "
                + "(always counted by the breaker) / deadline exceeded (an attempt clamped by the call's 3 s deadline that ran "
                + "out; not counted before the consecutive-failures change, counted after it when it had at least the 500 ms "
                + "slow-call threshold) / bulkhead full (never counted). *Server ÷ attempts*: requests the server read per "
                + "attempt made on it in that interval (above 1: the client sent some requests twice; not meaningful for a hang, "
                + "whose requests are still pending when the circuit opens). "
                + "Cells at up to 100 calls/s run side by side (12 cells, at most ~450 calls/s in all); the 1,000 calls/s and "
                + "closed-loop cells one at a time.");
        List<Cell> cells = new ArrayList<>();
        for (Fault f : FAULTS) {
            for (int rate : RATES) {
                cells.add(new Cell(f, Traffic.open(rate)));
            }
            cells.add(new Cell(f, Traffic.closed(THREADS)));
        }
        runAll(cells, p);
        Report.Table t = report.table("fault", "traffic", "healthy attempts before", "fault → open",
                "attempts until open: failed / deadline exceeded / bulkhead full", "server ÷ attempts", "health during the fault",
                "cleared → closed");
        for (Cell c : cells) {
            t.row(c.row);
        }
        t.end();
        noise(report, p);
    }

    /** One fault under one traffic shape, and its table row once measured. */
    private static final class Cell {
        final Fault fault;
        final Traffic traffic;
        Object[] row;

        Cell(Fault fault, Traffic traffic) {
            this.fault = fault;
            this.traffic = traffic;
        }
    }

    private static void runAll(List<Cell> cells, Phases p) throws Exception {
        List<Cell> parallel = new ArrayList<>();
        for (Cell c : cells) {
            if (c.traffic.light()) {
                parallel.add(c);
            }
        }
        ExecutorService side = Executors.newFixedThreadPool(parallel.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Cell c : parallel) {
                running.add(side.submit(() -> {
                    measure(c, p);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            side.shutdownNow();
        }
        for (Cell c : cells) {
            if (!parallel.contains(c)) {
                measure(c, p);
            }
        }
    }

    private static void measure(Cell cell, Phases p) throws Exception {
        CircuitRecorder rec = new CircuitRecorder();
        HttpClient client = client();
        try (SocketUpstream server = new SocketUpstream();
                Upstreams upstreams = Upstreams.builder().observer(rec).healthListener(rec).build()) {
            Upstream u = upstreams.register(UpstreamSpec.named("x").build());
            URI uri = server.uri();
            Stopper load = cell.traffic.start(() -> call(u, client, uri),
                    p.healthyMillis() + p.openCapMillis() + p.holdMillis() + p.closeCapMillis() + 5_000);
            long requestsAtFault;
            long requestsAtOpen;
            HealthState atStart;
            boolean opened;
            try {
                Thread.sleep(p.healthyMillis());
                atStart = u.health().state();
                requestsAtFault = server.requests();
                rec.faultStarted();
                server.fault(cell.fault);
                opened = await(rec.opened(), rec.faultAt(), p.openCapMillis(), u);
                requestsAtOpen = server.requests();
                if (opened) {
                    Thread.sleep(p.holdMillis());
                }
                u.health();
                rec.faultCleared();
                server.fault(Fault.NONE);
                if (opened && p.closeCapMillis() > 0) {
                    await(rec.closed(), rec.clearedAt(), p.closeCapMillis(), u);
                }
            } finally {
                load.stop();
            }
            long made = rec.made.sum();
            String ratio = cell.fault == Fault.REFUSED ? "— (nothing listening)"
                    : cell.fault == Fault.HANG ? "— (requests still hanging)"
                    : made == 0 ? "—" : Stats.ratio((double) (requestsAtOpen - requestsAtFault) / made);
            cell.row = new Object[] {cell.fault.label, cell.traffic.label(), rec.healthySuccesses.sum(),
                    opened ? Stats.seconds(rec.timeToOpen()) : "**not opened in " + seconds(p.openCapMillis()) + "**",
                    rec.counted.sum() + " / " + rec.deadlineExceeded.sum() + " / " + rec.bulkheadFull.sum(), ratio,
                    rec.healthDuringFault(atStart), closing(opened, rec, p)};
        }
    }

    private static String closing(boolean opened, CircuitRecorder rec, Phases p) {
        if (!opened) {
            return "— (never opened)";
        }
        if (p.closeCapMillis() == 0) {
            return "not measured in --quick";
        }
        return rec.timeToClose() < 0 ? "**not closed in " + seconds(p.closeCapMillis()) + "**" : Stats.seconds(rec.timeToClose());
    }

    private static boolean call(Upstream u, HttpClient client, URI uri) {
        return u.call(ctx -> LoopbackUpstream.send(client, uri, ctx.remaining()), Adapter.identity(), IDEMPOTENT) != null;
    }

    /**
     * Waits for the latch until {@code capMillis} after {@code from}, asking for the upstream's health every
     * 100 ms meanwhile (so that a change of health is noticed within 100 ms, not at the registry's 1 s check).
     */
    private static boolean await(CountDownLatch latch, long from, long capMillis, Upstream u) throws InterruptedException {
        long end = from + TimeUnit.MILLISECONDS.toNanos(capMillis);
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            if (latch.await(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS)) {
                return true;
            }
            u.health();
        }
        return latch.getCount() == 0;
    }

    /** A client of its own for each upstream, so that no two cells share its selector thread or its pool. */
    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static void noise(Report report, Phases p) throws Exception {
        report.note("**Noise.** The same upstream, healthy but answering 503 to a seeded random share of requests, for "
                + seconds(p.noiseMillis()) + " per row; both shares of one traffic shape run side by side, each on its own "
                + "server and registry. *Longest failure run*: the most consecutive failed attempts, in the order they ended.");
        Report.Table t = report.table("traffic", "random errors", "attempts", "failed attempts", "longest failure run",
                "circuit opened");
        for (Traffic traffic : new Traffic[] {Traffic.open(NOISE_RATE), Traffic.closed(THREADS)}) {
            List<SocketUpstream> servers = new ArrayList<>();
            List<Upstreams> registries = new ArrayList<>();
            List<CircuitRecorder> recorders = new ArrayList<>();
            List<Stopper> loads = new ArrayList<>();
            try {
                for (double share : NOISE) {
                    SocketUpstream server = new SocketUpstream();
                    servers.add(server);
                    server.errorShare(share, SEED);
                    CircuitRecorder rec = new CircuitRecorder();
                    recorders.add(rec);
                    Upstreams upstreams = Upstreams.builder().observer(rec).healthListener(rec).build();
                    registries.add(upstreams);
                    Upstream u = upstreams.register(UpstreamSpec.named("x").build());
                    URI uri = server.uri();
                    HttpClient client = client();
                    loads.add(traffic.start(() -> call(u, client, uri), p.noiseMillis() + 5_000));
                }
                Thread.sleep(p.noiseMillis());
            } finally {
                for (Stopper s : loads) {
                    s.stop();
                }
                registries.forEach(Upstreams::close);
                servers.forEach(SocketUpstream::close);
            }
            for (int i = 0; i < NOISE.length; i++) {
                CircuitRecorder rec = recorders.get(i);
                t.row(traffic.label(), String.format(Locale.ROOT, "%.0f%%", NOISE[i] * 100), rec.attempts.sum(),
                        rec.failures.sum(), rec.longestFailureRun(), opened(rec.openings.sum()));
            }
        }
        t.end();
    }

    private static String opened(long times) {
        return times == 0 ? "never" : times == 1 ? "**once**" : "**" + times + " times**";
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
