package dev.levee.benchmarks;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import dev.levee.internal.HandOffCost;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * The timed hand-off measured in turns: Levee's enforced call, resilience4j's {@code TimeLimiter} on an
 * executor of the same kind (see {@link TimedCall}), and the same {@code TimeLimiter} inside a
 * {@code CircuitBreaker} and a {@code Bulkhead} (what Levee's call also runs), called one after the other,
 * round after round, in the same JVM. Each call is timed on its own ({@code System.nanoTime}, about 25 ns
 * against tens of microseconds).
 *
 * <p>Why not JMH alone: on this 2-core virtual machine, handing a task to a thread that has to be woken
 * costs about 20 µs or about 55 µs, and a JVM switches between the two from one second to the next (visible
 * in the iterations of {@code TimedCall}), so two benchmarks run in separate forks compare the machine's
 * moods more than the code: the same {@code TimeLimiter} call measured a median fork of 31.6 µs in one run
 * and 49.6 µs in the next. Calls taken in turns share the same moments, so their ratio in each fork is
 * about the code.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.HandOffPaired [--forks 5] [--warmup 5] [--seconds 10] [--bisect]
 * </pre>
 *
 * Each fork is a fresh JVM ({@code -Xms1g -Xmx1g}, as the JMH benchmarks). The parent prints, per side, the
 * fork means and the ratio of each fork's mean and median to {@code TimeLimiter}'s in the same fork.
 * {@code --bisect} adds Levee's call with context propagation off and the stages of {@link HandOffCost}: Levee's
 * attempt task alone on its executor, a plain {@code FutureTask} on Levee's executor and on a plain one, and a
 * {@code submit} to the plain one.
 */
public final class HandOffPaired {

    private static final String FORK = "--fork";
    private static final String LIMITER = "TimeLimiter";

    private HandOffPaired() {
    }

    public static void main(String[] args) throws Exception {
        int forks = 5;
        int warmupSeconds = 5;
        int seconds = 10;
        boolean child = false;
        boolean bisect = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--forks" -> forks = positive(args, ++i);
                case "--warmup" -> warmupSeconds = positive(args, ++i);
                case "--seconds" -> seconds = positive(args, ++i);
                case "--bisect" -> bisect = true;
                case FORK -> child = true;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; allowed: --forks N, --warmup SECONDS, --seconds SECONDS, --bisect");
            }
        }
        if (child) {
            measure(warmupSeconds, seconds, bisect);
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        System.out.printf(Locale.ROOT, "Timed hand-off in turns, %s %s, %d forks, %d s warm-up + %d s each%n%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), forks, warmupSeconds, seconds);
        Map<String, List<double[]>> bySide = new LinkedHashMap<>(); // per fork: mean, median, ratio of means, of medians
        long calls = Long.MAX_VALUE;
        for (int f = 1; f <= forks; f++) {
            List<String> command = new ArrayList<>(List.of(java, "-Xms1g", "-Xmx1g", "-cp",
                    System.getProperty("java.class.path"), HandOffPaired.class.getName(), FORK,
                    "--warmup", String.valueOf(warmupSeconds), "--seconds", String.valueOf(seconds)));
            if (bisect) {
                command.add("--bisect");
            }
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String[]> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    lines.add(line.split("\t"));
                }
            }
            if (p.waitFor() != 0 || lines.isEmpty()) {
                throw new IllegalStateException("fork " + f + " failed (exit " + p.exitValue() + ")");
            }
            double[] limiter = null;
            for (String[] l : lines) {
                if (l[0].equals(LIMITER)) {
                    limiter = new double[] {Double.parseDouble(l[2]), Double.parseDouble(l[3])};
                }
            }
            for (String[] l : lines) {
                calls = Math.min(calls, Long.parseLong(l[1]));
                double mean = Double.parseDouble(l[2]);
                double median = Double.parseDouble(l[3]);
                bySide.computeIfAbsent(l[0], k -> new ArrayList<>())
                        .add(new double[] {mean, median, mean / limiter[0], median / limiter[1]});
            }
        }
        System.out.printf(Locale.ROOT, "At least %,d calls per side per fork.%n%n", calls);
        System.out.println("| side | fork means (µs), sorted | ÷ TimeLimiter in the same fork, means: min / median / max | medians: min / median / max |");
        System.out.println("|---|---|---|---|");
        for (Map.Entry<String, List<double[]>> side : bySide.entrySet()) {
            List<double[]> f = side.getValue();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", side.getKey(),
                    String.join(", ", Arrays.stream(sorted(f, 0)).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v / 1e3)).toList()),
                    spread(sorted(f, 2)), spread(sorted(f, 3)));
        }
    }

    private static double[] sorted(List<double[]> forks, int column) {
        return forks.stream().mapToDouble(r -> r[column]).sorted().toArray();
    }

    private static String spread(double[] sorted) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
    }

    private static int positive(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("'" + args[i - 1] + "' needs a positive whole number after it");
        }
        try {
            int n = Integer.parseInt(args[i]);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + args[i - 1] + "' needs a positive whole number, got '" + args[i] + "'");
    }

    /**
     * One fork: warms every side up, then calls them in turn; prints a line per side: name, calls, mean and
     * median in nanoseconds, separated by tabs.
     */
    private static void measure(int warmupSeconds, int seconds, boolean bisect) throws Exception {
        Trivial trivial = new Trivial();
        CallOptions<String> idempotent = CallOptions.idempotent();
        ExecutorService pool = TimedCall.timeLimiterExecutor();
        TimeLimiter limiter = TimeLimiter.of("paired", TimeLimiterConfig.custom()
                .timeoutDuration(Duration.ofSeconds(1)).cancelRunningFuture(true).build());
        CircuitBreaker breaker = CircuitBreaker.of("paired", Stacks.r4jBreakerConfig(Duration.ofSeconds(30)));
        Bulkhead bulkhead = Bulkhead.of("paired", BulkheadConfig.custom().maxConcurrentCalls(10_000)
                .maxWaitDuration(Duration.ZERO).build());
        HandOffCost stages = new HandOffCost();
        try (Upstreams upstreams = Upstreams.builder().build();
                Upstreams withoutPropagation = Upstreams.builder().contextPropagation(false).build()) {
            Upstream levee = upstreams.register(Stacks.leveeBreakerOnly("paired", TimeoutMode.ENFORCED));
            Upstream leveeNoPropagation = withoutPropagation.register(Stacks.leveeBreakerOnly("paired", TimeoutMode.ENFORCED));
            Callable<String> limited = () -> limiter.executeFutureSupplier(() -> pool.submit((Callable<String>) trivial));
            Map<String, Callable<String>> sides = new LinkedHashMap<>();
            sides.put("Levee", () -> levee.call(trivial, Adapter.identity(), idempotent));
            sides.put(LIMITER, limited);
            sides.put("TimeLimiter in CircuitBreaker + Bulkhead",
                    CircuitBreaker.decorateCallable(breaker, Bulkhead.decorateCallable(bulkhead, limited)));
            if (bisect) {
                stages.setUp();
                sides.put("Levee without context propagation", () -> leveeNoPropagation.call(trivial, Adapter.identity(), idempotent));
                sides.put("Levee's attempt task alone", stages::attemptTask);
                sides.put("FutureTask, execute on Levee's executor", stages::leveeExecutor);
                sides.put("FutureTask, execute on a plain executor", stages::plainExecutor);
                sides.put("submit to a plain executor", stages::plainSubmit);
            }
            List<Callable<String>> calls = List.copyOf(sides.values());
            long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
            while (System.nanoTime() < warmupEnd) {
                for (Callable<String> side : calls) {
                    side.call();
                }
            }
            long[][] times = new long[calls.size()][1 << 20];
            int n = 0;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long now = System.nanoTime();
            while (n < times[0].length && now < end) {
                for (int k = 0; k < calls.size(); k++) {
                    check(calls.get(k).call());
                    long after = System.nanoTime();
                    times[k][n] = after - now;
                    now = after;
                }
                n++;
            }
            int k = 0;
            for (String name : sides.keySet()) {
                long[] t = Arrays.copyOf(times[k++], n);
                System.out.printf(Locale.ROOT, "%s\t%d\t%.0f\t%d%n", name, n, mean(t), median(t));
            }
        } finally {
            if (bisect) {
                stages.tearDown();
            }
            pool.shutdownNow();
        }
    }

    private static void check(String answer) {
        if (answer == null) {
            throw new IllegalStateException("a side answered null");
        }
    }

    private static double mean(long[] values) {
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
