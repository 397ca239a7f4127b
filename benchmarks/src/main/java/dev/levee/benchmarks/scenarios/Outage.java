package dev.levee.benchmarks.scenarios;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.benchmarks.Stacks;
import dev.levee.benchmarks.scenarios.LoopbackUpstream.Behaviour;
import dev.levee.benchmarks.scenarios.LoopbackUpstream.Path;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;

/**
 * Scenario 2, the total outage: every request fails at once (HTTP 503). How many requests does the upstream
 * receive per call the application offers? Retries multiply the load on an upstream that is already down.
 */
final class Outage {

    private static final int RATE = 100;
    private static final int WORKERS = 100;
    private static final CallOptions<String> IDEMPOTENT = CallOptions.idempotent();

    private Outage() {
    }

    /** One way of calling the failing upstream. */
    private interface Caller extends AutoCloseable {
        boolean call() throws Exception;

        @Override
        default void close() {
        }
    }

    private interface CallerFactory {
        Caller create(Path path);
    }

    static void run(Report report, boolean quick) throws Exception {
        int seconds = quick ? 2 : 15;
        int calls = RATE * seconds;
        report.heading("2. Total outage: retry amplification");
        report.note("Open-loop " + RATE + " calls/s for " + seconds + " s (" + calls + " calls) on " + WORKERS
                + " caller workers; the upstream answers every request with 503 at once. Amplification = requests "
                + "the upstream received ÷ calls offered. Every retrying variant makes at most 3 attempts with the "
                + "same exponential backoff (100 ms × 2, ±50%). *Levee, budget only*: Levee's defaults with a breaker "
                + "that cannot open in the run (minimum calls 10,000), to show the retry budget alone.");
        Report.Table t = report.table("variant", "calls", "upstream requests", "amplification", "calls answered by the upstream");
        row(t, "no retries", calls, p -> () -> LoopbackUpstream.get(p) != null);
        row(t, "resilience4j Retry (3 attempts)", calls, p -> {
            Retry retry = Retry.of("outage", Stacks.r4jRetryConfig(3));
            CheckedSupplier<String> s = Retry.decorateCheckedSupplier(retry, () -> LoopbackUpstream.get(p));
            return () -> get(s);
        });
        row(t, "resilience4j Retry(CircuitBreaker)", calls, p -> {
            Retry retry = Retry.of("outage", Stacks.r4jRetryConfig(3));
            CircuitBreaker breaker = CircuitBreaker.of("outage", Stacks.r4jBreakerConfig(Duration.ofSeconds(10)));
            CheckedSupplier<String> s = Retry.decorateCheckedSupplier(retry,
                    CircuitBreaker.decorateCheckedSupplier(breaker, () -> LoopbackUpstream.get(p)));
            return () -> get(s);
        });
        row(t, "Levee defaults (retry within budget + breaker)", calls, p -> levee(p, UpstreamSpec.named("outage").build()));
        row(t, "Levee, budget only (breaker kept closed)", calls, p -> levee(p, UpstreamSpec.named("outage")
                .circuitBreaker(b -> b.minimumCalls(10_000)).build()));
        t.end();
        report.note("Goal: amplification ≤ 1.2. Levee's budget allows retries up to 20% of calls plus 10 per 10 s window, "
                + "so over a run of N calls the bound is 1.2 + 10 × windows ÷ N.");
    }

    /** Calls a resilience4j checked supplier, rethrowing what it throws as an exception. */
    static boolean get(CheckedSupplier<String> s) throws Exception {
        try {
            return s.get() != null;
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static Caller levee(Path p, UpstreamSpec spec) {
        Upstreams upstreams = Upstreams.builder().build();
        Upstream u = upstreams.register(spec);
        return new Caller() {
            @Override
            public boolean call() {
                return u.call(ctx -> LoopbackUpstream.get(p), Adapter.identity(), IDEMPOTENT) != null;
            }

            @Override
            public void close() {
                upstreams.close();
            }
        };
    }

    private static void row(Report.Table t, String name, int calls, CallerFactory factory) throws Exception {
        try (LoopbackUpstream upstream = new LoopbackUpstream(0, "down")) {
            Path p = upstream.path("down");
            p.behaviour = Behaviour.FAIL;
            try (Caller caller = factory.create(p)) {
                OpenLoop.Run run = OpenLoop.run(RATE, calls, WORKERS, 5_000, i -> caller::call);
                long requests = p.requests();
                int ok = run.count(i -> true, OpenLoop.Result.OK);
                int incomplete = run.count(i -> true, OpenLoop.Result.INCOMPLETE);
                t.row(name, calls, requests, Stats.ratio((double) requests / calls),
                        ok + (incomplete > 0 ? " (" + incomplete + " not finished)" : ""));
            }
        }
    }
}
