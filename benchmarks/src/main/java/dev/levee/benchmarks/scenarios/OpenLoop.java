package dev.levee.benchmarks.scenarios;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * An open-loop load: request {@code i} is due at {@code start + i / rate}, whether or not earlier requests
 * have finished, and is queued for a fixed pool of caller workers (an application's request threads).
 * Latency is measured from the request's due time, so time spent queued behind busy workers counts (no
 * coordinated omission). Requests still queued or running when the scenario's bound is reached are counted
 * as incomplete.
 */
final class OpenLoop {

    /** What one request did. */
    enum Result {
        /** The upstream's answer. */
        OK,
        /** A fallback or a fast failure (rejection, timeout): the caller got an answer, not the upstream's. */
        DEGRADED,
        /** Not finished within the scenario's bound. */
        INCOMPLETE
    }

    /** One request of the load: what it does, by its index. */
    interface Request {
        /** Runs the request on a worker; {@code true} if the upstream answered, {@code false} if degraded. */
        boolean run() throws Exception;
    }

    /** The outcome of every request, by index. */
    static final class Run {
        final long[] due;
        final long[] latency;
        final Result[] result;
        final int maxBusy;

        Run(long[] due, long[] latency, Result[] result, int maxBusy) {
            this.due = due;
            this.latency = latency;
            this.result = result;
            this.maxBusy = maxBusy;
        }

        /** The latencies (ns) of the requests selected, incomplete ones as {@code Long.MAX_VALUE}. */
        long[] latencies(IntPredicate which) {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < latency.length; i++) {
                if (which.test(i)) {
                    out.add(result[i] == Result.INCOMPLETE ? Long.MAX_VALUE : latency[i]);
                }
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }

        int count(IntPredicate which, Result r) {
            int n = 0;
            for (int i = 0; i < result.length; i++) {
                if (which.test(i) && result[i] == r) {
                    n++;
                }
            }
            return n;
        }
    }

    /** A predicate on request indices. */
    interface IntPredicate {
        boolean test(int i);
    }

    private OpenLoop() {
    }

    /**
     * Runs the load.
     *
     * @param ratePerSecond requests per second
     * @param requests how many requests
     * @param workers the caller workers
     * @param drainMillis how long after the last request is due the scenario still waits for answers
     * @param request what request {@code i} does
     * @return what every request did
     */
    static Run run(int ratePerSecond, int requests, int workers, long drainMillis, IntFunction<Request> request)
            throws InterruptedException {
        return run(ratePerSecond, requests, workers, drainMillis, () -> false, request);
    }

    /**
     * Runs the load until {@code stop} says so (checked at least every 50 ms) or {@code requests} have been
     * issued, whichever comes first. Only the requests issued are in the result.
     *
     * @param ratePerSecond requests per second
     * @param requests the most requests
     * @param workers the caller workers
     * @param drainMillis how long after the last request is due the scenario still waits for answers
     * @param stop ends the schedule early when it returns {@code true}
     * @param request what request {@code i} does
     * @return what every issued request did
     */
    static Run run(int ratePerSecond, int requests, int workers, long drainMillis, BooleanSupplier stop,
            IntFunction<Request> request) throws InterruptedException {
        long[] due = new long[requests];
        long[] latency = new long[requests];
        Result[] result = new Result[requests];
        Arrays.fill(result, Result.INCOMPLETE);
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger maxBusy = new AtomicInteger();
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "caller-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) pool).prestartAllCoreThreads();
        long period = 1_000_000_000L / ratePerSecond;
        long start = System.nanoTime() + 10_000_000L;
        int issued = 0;
        for (int i = 0; i < requests && !stop.getAsBoolean(); i++) {
            int index = i;
            due[i] = start + i * period;
            if (!waitUntil(due[i], stop)) {
                break;
            }
            issued++;
            Request r = request.apply(i);
            pool.execute(() -> {
                int b = busy.incrementAndGet();
                maxBusy.accumulateAndGet(b, Math::max);
                try {
                    boolean ok;
                    try {
                        ok = r.run();
                    } catch (InterruptedException e) {
                        return; // the bound was reached: incomplete
                    } catch (Exception e) {
                        ok = false;
                    }
                    latency[index] = System.nanoTime() - due[index];
                    result[index] = ok ? Result.OK : Result.DEGRADED;
                } finally {
                    busy.decrementAndGet();
                }
            });
        }
        pool.shutdown();
        long lastDue = issued == 0 ? System.nanoTime() : due[issued - 1];
        long remaining = lastDue + TimeUnit.MILLISECONDS.toNanos(drainMillis) - System.nanoTime();
        if (!pool.awaitTermination(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        // A request that finished after the bound but before the interrupt landed is still incomplete.
        long bound = lastDue + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        for (int i = 0; i < issued; i++) {
            if (result[i] != Result.INCOMPLETE && due[i] + latency[i] > bound) {
                result[i] = Result.INCOMPLETE;
            }
        }
        return new Run(Arrays.copyOf(due, issued), Arrays.copyOf(latency, issued), Arrays.copyOf(result, issued), maxBusy.get());
    }

    /** Parks until {@code due}, in slices of at most 50 ms; {@code false} if {@code stop} said so first. */
    private static boolean waitUntil(long due, BooleanSupplier stop) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 50_000_000L));
            if (stop.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }
}
