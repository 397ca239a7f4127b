package dev.levee;

import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one upstream, mixing successes, failures, retries, caller faults and fallbacks: nothing
 * deadlocks, and the observer counts every call and every attempt exactly once, exactly as the calling
 * threads tallied them.
 */
class ConcurrencyTest {

    private static final int KINDS = 5;

    private final CountingObserver observer = new CountingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();
    private final Upstream u = upstreams.register(spec("shared")
            .attemptTimeout(Duration.ofSeconds(10)).deadline(Duration.ofSeconds(20))
            .retry(r -> r.maxAttempts(2).exponentialBackoff(Duration.ofMillis(1), 1.0).jitter(0)
                    .budget(1.0, 1_000, Duration.ofSeconds(10)))
            .classification(c -> c.callerFault(IllegalArgumentException.class))
            .build());
    private final CallOptions<String> idempotent = CallOptions.idempotent();
    private final CallOptions<String> withFallback = CallOptions.<String>defaults().withFallback(e -> "fallback");

    /** What one thread saw: calls by their outcome, attempts by what the upstream did, fallbacks used. */
    private static final class Tally {
        final Map<Outcome, Long> calls = new EnumMap<>(Outcome.class);
        final Map<Outcome, Long> attempts = new EnumMap<>(Outcome.class);
        long fallbacks;

        void call(Outcome o) {
            calls.merge(o, 1L, Long::sum);
        }

        void attempts(List<Outcome> outcomes) {
            outcomes.forEach(o -> attempts.merge(o, 1L, Long::sum));
        }

        void addTo(Tally total) {
            calls.forEach((o, n) -> total.calls.merge(o, n, Long::sum));
            attempts.forEach((o, n) -> total.attempts.merge(o, n, Long::sum));
            total.fallbacks += fallbacks;
        }
    }

    @AfterEach
    void close() {
        upstreams.close();
    }

    @Test
    void eightThreadsTimesTwoThousandSyncCallsAreEachCountedExactlyOnce() {
        int threads = 8;
        int callsEach = 2_000;
        Tally total = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runThreads(threads, t -> {
            Tally tally = new Tally();
            for (int i = 0; i < callsEach; i++) {
                syncCall((i + t) % KINDS, tally);
            }
            return tally;
        }), "the sync calls deadlocked or crawled");

        assertThat(sum(total.calls)).isEqualTo(threads * callsEach);
        assertMatchesObserver(total);
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void fourThreadsTimesThousandAsyncCallsAreEachCountedExactlyOnce() {
        int threads = 4;
        int callsEach = 1_000;
        ExecutorService completers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "completer");
            t.setDaemon(true);
            return t;
        });
        try {
            Tally total = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runThreads(threads, t -> {
                Tally tally = new Tally();
                for (int i = 0; i < callsEach; i++) {
                    asyncCall((i + t) % KINDS, tally, completers);
                }
                return tally;
            }), "the async calls deadlocked or crawled");

            assertThat(sum(total.calls)).isEqualTo(threads * callsEach);
            assertMatchesObserver(total);
            assertThat(u.inFlight()).isZero();
        } finally {
            completers.shutdownNow();
        }
    }

    private void syncCall(int kind, Tally tally) {
        List<Outcome> attempts = new ArrayList<>(2); // written by the attempt thread, read after the call returned
        try {
            String v;
            switch (kind) {
                case 0:
                    v = u.call(ctx -> {
                        attempts.add(Outcome.SUCCESS);
                        return "ok";
                    });
                    break;
                case 1:
                    v = u.call(ctx -> {
                        attempts.add(Outcome.FAILURE);
                        throw new IOException("down");
                    });
                    break;
                case 2:
                    v = u.call(ctx -> {
                        if (ctx.attempt() == 1) {
                            attempts.add(Outcome.FAILURE);
                            throw new IOException("blip");
                        }
                        attempts.add(Outcome.SUCCESS);
                        return "ok after retry";
                    }, Adapter.identity(), idempotent);
                    break;
                case 3:
                    v = u.call(ctx -> {
                        attempts.add(Outcome.CALLER_FAULT);
                        throw new IllegalArgumentException("bad request");
                    });
                    break;
                default:
                    v = u.call(ctx -> {
                        attempts.add(Outcome.FAILURE);
                        throw new IOException("down");
                    }, Adapter.identity(), withFallback);
                    break;
            }
            if ("fallback".equals(v)) {
                tally.call(Outcome.FAILURE);
                tally.fallbacks++;
            } else {
                tally.call(Outcome.SUCCESS);
            }
        } catch (UpstreamException e) {
            tally.call(e.outcome());
        }
        tally.attempts(attempts);
    }

    private void asyncCall(int kind, Tally tally, ExecutorService completers) {
        List<Outcome> attempts = new CopyOnWriteArrayList<>();
        CompletableFuture<String> f;
        switch (kind) {
            case 0:
                f = u.callAsync(ctx -> {
                    attempts.add(Outcome.SUCCESS);
                    return CompletableFuture.supplyAsync(() -> "ok", completers); // completed on another thread
                });
                break;
            case 1:
                f = u.callAsync(ctx -> {
                    attempts.add(Outcome.FAILURE);
                    return CompletableFuture.supplyAsync(() -> {
                        throw new IllegalStateException("down");
                    }, completers);
                });
                break;
            case 2:
                f = u.callAsync(ctx -> {
                    if (ctx.attempt() == 1) {
                        attempts.add(Outcome.FAILURE);
                        return CompletableFuture.failedFuture(new IOException("blip"));
                    }
                    attempts.add(Outcome.SUCCESS);
                    return CompletableFuture.completedFuture("ok after retry");
                }, Adapter.identity(), idempotent);
                break;
            case 3:
                f = u.callAsync(ctx -> {
                    attempts.add(Outcome.CALLER_FAULT);
                    return CompletableFuture.failedFuture(new IllegalArgumentException("bad request"));
                });
                break;
            default:
                f = u.callAsync(ctx -> {
                    attempts.add(Outcome.FAILURE);
                    throw new IOException("could not start");
                }, Adapter.identity(), withFallback);
                break;
        }
        try {
            String v = f.get(Behaviour.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if ("fallback".equals(v)) {
                tally.call(Outcome.FAILURE);
                tally.fallbacks++;
            } else {
                tally.call(Outcome.SUCCESS);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
            assertThat(cause).isInstanceOf(UpstreamException.class);
            tally.call(((UpstreamException) cause).outcome());
        } catch (Exception e) {
            throw new AssertionError("async call did not end in time", e);
        }
        tally.attempts(attempts);
    }

    private void assertMatchesObserver(Tally total) {
        for (Outcome o : Outcome.values()) {
            assertThat(observer.calls(o)).as("calls reported as %s", o).isEqualTo(total.calls.getOrDefault(o, 0L));
            assertThat(observer.attempts(o)).as("attempts reported as %s", o).isEqualTo(total.attempts.getOrDefault(o, 0L));
        }
        assertThat(observer.totalFallbackCalls()).isEqualTo(total.fallbacks);
        assertThat(observer.fallbackCalls(Outcome.FAILURE)).isEqualTo(total.fallbacks);
        assertThat(observer.attemptsReportedByCalls()).as("attempts per call, summed")
                .isEqualTo(sum(total.attempts));
        assertThat(total.calls).as("every kind of outcome was exercised")
                .containsKeys(Outcome.SUCCESS, Outcome.FAILURE, Outcome.CALLER_FAULT);
        assertThat(total.fallbacks).isPositive();
        assertThat(total.attempts.get(Outcome.FAILURE)).as("failed first attempts were retried into successes")
                .isGreaterThan(total.calls.get(Outcome.FAILURE));
        assertThat(observer.totalAttempts() - observer.attempts(Outcome.BULKHEAD_FULL) - observer.attempts(Outcome.CIRCUIT_OPEN))
                .isEqualTo(sum(total.attempts));
        assertThat(observer.attempts(Outcome.BULKHEAD_FULL) + observer.attempts(Outcome.CIRCUIT_OPEN)).isZero();
    }

    private static long sum(Map<Outcome, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private interface Worker {
        Tally run(int thread) throws Exception;
    }

    /** Runs the workers on their own threads, started together; every thread is bounded by the caller's timeout. */
    private static Tally runThreads(int n, Worker worker) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Tally> tallies = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    tallies.add(worker.run(id));
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "worker-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(); // bounded by assertTimeoutPreemptively around this method
        }
        assertThat(errors).isEmpty();
        assertThat(tallies).hasSize(n);
        Tally total = new Tally();
        tallies.forEach(t -> t.addTo(total));
        return total;
    }
}
