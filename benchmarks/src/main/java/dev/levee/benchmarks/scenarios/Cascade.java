package dev.levee.benchmarks.scenarios;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.benchmarks.scenarios.LoopbackUpstream.Behaviour;
import dev.levee.benchmarks.scenarios.LoopbackUpstream.Path;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * Scenario 1, the cascade: 50 caller workers take an open-loop load of 200 requests/s, half to an upstream
 * that hangs for 10 s and half to a healthy one. Does the hanging upstream take the healthy feature down
 * with it? Latency is measured from each request's due time.
 */
final class Cascade {

    private static final int WORKERS = 50;
    private static final int RATE = 200;
    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    private Cascade() {
    }

    /** How the callers reach the two upstreams. */
    private interface Wiring extends AutoCloseable {
        boolean call(Path path) throws Exception;

        @Override
        default void close() {
        }
    }

    private static final class Measured {
        final String name;
        final OpenLoop.Run run;
        final int peakThreads;
        final long slowRequests;
        final long healthyRequests;

        Measured(String name, OpenLoop.Run run, int peakThreads, long slowRequests, long healthyRequests) {
            this.name = name;
            this.run = run;
            this.peakThreads = peakThreads;
            this.slowRequests = slowRequests;
            this.healthyRequests = healthyRequests;
        }
    }

    static void run(Report report, boolean quick) throws Exception {
        int seconds = quick ? 3 : 15;
        long hangMillis = quick ? 2_000 : 10_000;
        long drainMillis = quick ? 2_000 : 5_000;
        int requests = RATE * seconds;

        report.heading("1. Cascade");
        report.note("Open-loop " + RATE + " requests/s for " + seconds + " s (" + requests + " requests) on " + WORKERS
                + " caller workers; even requests go to the healthy upstream, odd ones to an upstream that hangs "
                + hangMillis / 1000 + " s (no-fault rows: both healthy). Client: `HttpURLConnection` on loopback "
                + "with no timeouts of its own, which ignores interrupts. Latency from each request's due time; a "
                + "request not answered within " + drainMillis / 1000 + " s after the last one was due counts as not "
                + "answered (and as infinite in the percentiles). Levee calls are idempotent, without fallback. "
                + "*Levee tuned*: attempt timeout 300 ms, deadline 1 s, bulkhead 10; the rest default.");

        Measured baseline = measure("unprotected, no fault", false, requests, hangMillis, drainMillis, u -> path -> LoopbackUpstream.get(path) != null);
        Measured leveeBaseline = measure("Levee defaults, no fault", false, requests, hangMillis, drainMillis,
                u -> levee(UpstreamSpec.named("healthy").build(), UpstreamSpec.named("slow").build()));
        Measured unprotected = measure("unprotected", true, requests, hangMillis, drainMillis, u -> path -> LoopbackUpstream.get(path) != null);
        Measured defaults = measure("Levee defaults", true, requests, hangMillis, drainMillis,
                u -> levee(UpstreamSpec.named("healthy").build(), UpstreamSpec.named("slow").build()));
        Measured tuned = measure("Levee tuned", true, requests, hangMillis, drainMillis,
                u -> levee(tuned("healthy"), tuned("slow")));

        long baseP99 = Stats.percentile(healthy(baseline.run), 99);
        long leveeBaseP99 = Stats.percentile(healthy(leveeBaseline.run), 99);
        Report.Table t = report.table("variant", "healthy p50", "healthy p99", "healthy answered",
                "p99 ÷ no-fault p99", "slow path: upstream answered / failed fast / not answered",
                "most workers busy", "peak JVM threads");
        for (Measured m : new Measured[] {baseline, leveeBaseline, unprotected, defaults, tuned}) {
            long[] h = healthy(m.run);
            long p99 = Stats.percentile(h, 99);
            long reference = m.name.startsWith("Levee") ? leveeBaseP99 : baseP99;
            String ratio = p99 == Long.MAX_VALUE ? "∞" : Stats.ratio((double) p99 / reference)
                    + (m.name.startsWith("Levee") ? " (vs Levee no fault)" : "");
            int slowTotal = m.run.result.length / 2;
            String slow = m.name.contains("no fault") ? "—"
                    : m.run.count(Cascade::isSlow, OpenLoop.Result.OK) + " / " + m.run.count(Cascade::isSlow, OpenLoop.Result.DEGRADED)
                    + " / " + m.run.count(Cascade::isSlow, OpenLoop.Result.INCOMPLETE) + " of " + slowTotal;
            t.row(m.name, Stats.millis(Stats.percentile(h, 50)), Stats.millis(p99),
                    Stats.percent(m.run.count(i -> !isSlow(i), OpenLoop.Result.OK), h.length), ratio, slow,
                    m.run.maxBusy + " of " + WORKERS, m.peakThreads);
        }
        t.end();
        report.note("Goal: with Levee, the healthy path's p99 at most 2× its no-fault p99, and 100% of its requests answered.");
    }

    private static boolean isSlow(int i) {
        return (i & 1) == 1;
    }

    private static long[] healthy(OpenLoop.Run run) {
        return run.latencies(i -> !isSlow(i));
    }

    private static UpstreamSpec tuned(String name) {
        return UpstreamSpec.named(name).attemptTimeout(Duration.ofMillis(300)).deadline(Duration.ofSeconds(1))
                .maxConcurrentCalls(10).build();
    }

    private static Wiring levee(UpstreamSpec healthy, UpstreamSpec slow) {
        Upstreams upstreams = Upstreams.builder().build();
        Upstream h = upstreams.register(healthy);
        Upstream s = upstreams.register(slow);
        return new Wiring() {
            @Override
            public boolean call(Path path) {
                Upstream u = path.name.equals("slow") ? s : h;
                return u.call(ctx -> LoopbackUpstream.get(path), Adapter.identity(), IDEMPOTENT) != null;
            }

            @Override
            public void close() {
                upstreams.close();
            }
        };
    }

    private interface WiringFactory {
        Wiring create(LoopbackUpstream upstream);
    }

    private static Measured measure(String name, boolean fault, int requests, long hangMillis, long drainMillis,
            WiringFactory factory) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (LoopbackUpstream upstream = new LoopbackUpstream(hangMillis, "healthy", "slow")) {
            Path healthy = upstream.path("healthy");
            Path slow = upstream.path("slow");
            slow.behaviour = fault ? Behaviour.HANG : Behaviour.HEALTHY;
            try (Wiring wiring = factory.create(upstream)) {
                // Warm the client and Levee up before measuring: a few calls to each path, not counted.
                slow.behaviour = Behaviour.HEALTHY;
                for (int i = 0; i < 500; i++) {
                    wiring.call(healthy);
                    wiring.call(slow);
                }
                slow.behaviour = fault ? Behaviour.HANG : Behaviour.HEALTHY;
                long slowBefore = slow.requests();
                long healthyBefore = healthy.requests();
                threads.resetPeakThreadCount();
                OpenLoop.Run run = OpenLoop.run(RATE, requests, WORKERS, drainMillis,
                        i -> () -> wiring.call(isSlow(i) ? slow : healthy));
                int peak = threads.getPeakThreadCount();
                System.err.println("cascade: " + name + " done");
                return new Measured(name, run, peak, slow.requests() - slowBefore, healthy.requests() - healthyBefore);
            }
        }
    }
}
