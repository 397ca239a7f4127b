package dev.levee.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamCall;
import dev.levee.UpstreamException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The load of the abandonment tests: {@code callers} threads each make {@code callsEach} calls back to back
 * through one upstream, every call a statement that would run far longer than the attempt timeout. Each
 * call's duration is measured on its caller's thread, around {@link Upstream#call}.
 */
final class SleepStorm {

    /**
     * What the storm saw.
     *
     * @param callNanos each call's duration, measured by its caller
     * @param startNanos each call's start ({@link System#nanoTime()})
     * @param outcomeOf each call's outcome, in the same order
     * @param outcomes how many calls ended with each outcome
     */
    record Result(long[] callNanos, long[] startNanos, Outcome[] outcomeOf, Map<Outcome, Integer> outcomes) {

        /** How many calls reached the upstream call (were not rejected before it): the attempts whose work ran. */
        int ran() {
            return outcomes.entrySet().stream().filter(e -> !e.getKey().isRejection()).mapToInt(Map.Entry::getValue).sum();
        }

        /** The outcomes of the calls that started at or after {@code nanoTime}. */
        Map<Outcome, Integer> outcomesOfCallsStartedAfter(long nanoTime) {
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            for (int i = 0; i < startNanos.length; i++) {
                if (startNanos[i] - nanoTime >= 0) {
                    counts.merge(outcomeOf[i], 1, Integer::sum);
                }
            }
            return counts;
        }

        long maxMillis() {
            long max = 0;
            for (long n : callNanos) {
                max = Math.max(max, n);
            }
            return TimeUnit.NANOSECONDS.toMillis(max);
        }

        long percentileMillis(double p) {
            long[] sorted = callNanos.clone();
            Arrays.sort(sorted);
            return TimeUnit.NANOSECONDS.toMillis(sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
        }
    }

    private SleepStorm() {
    }

    static Result run(Upstream upstream, UpstreamCall<?> call, int callers, int callsEach) throws Exception {
        int total = callers * callsEach;
        AtomicLongArray nanos = new AtomicLongArray(total);
        AtomicLongArray starts = new AtomicLongArray(total);
        Outcome[] outcomes = new Outcome[total];
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        int slot = thread * callsEach + i;
                        long start = System.nanoTime();
                        Outcome outcome = Outcome.SUCCESS;
                        try {
                            upstream.call(call);
                        } catch (UpstreamException e) {
                            outcome = e.outcome();
                        }
                        nanos.set(slot, System.nanoTime() - start);
                        starts.set(slot, start);
                        synchronized (outcomes) {
                            outcomes[slot] = outcome;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long[] callNanos = new long[total];
        long[] startNanos = new long[total];
        Outcome[] outcomeOf = new Outcome[total];
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        synchronized (outcomes) {
            for (int i = 0; i < total; i++) {
                callNanos[i] = nanos.get(i);
                startNanos[i] = starts.get(i);
                outcomeOf[i] = outcomes[i];
                counts.merge(outcomes[i], 1, Integer::sum);
            }
        }
        return new Result(callNanos, startNanos, outcomeOf, counts);
    }

    /** The pool's figures, for messages. */
    static String describe(HikariDataSource ds) {
        HikariPoolMXBean p = ds.getHikariPoolMXBean();
        return "active=" + p.getActiveConnections() + " idle=" + p.getIdleConnections() + " total=" + p.getTotalConnections()
                + " waiting=" + p.getThreadsAwaitingConnection();
    }
}
