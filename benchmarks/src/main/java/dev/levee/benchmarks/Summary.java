package dev.levee.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file (as written by {@code -rf json}) into the Markdown tables of
 * {@code benchmarks/README.md}, with the ratios the targets are stated in, so that no number in the report is
 * typed by hand.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.Summary benchmarks/results/jmh-DATE.json
 * </pre>
 */
public final class Summary {

    /**
     * One benchmark's score and allocation, with the mean of each fork (JMH's raw data: one list of
     * iteration scores per fork), so that the spread between JVMs shows and not only the average.
     */
    record Result(String name, int threads, double score, double error, String unit, double bytes,
            double[] forkMeans, double[] forkBytes) {

        double min() {
            return forkMeans.length == 0 ? score : java.util.Arrays.stream(forkMeans).min().getAsDouble();
        }

        double max() {
            return forkMeans.length == 0 ? score : java.util.Arrays.stream(forkMeans).max().getAsDouble();
        }

        /** The median of the fork means (the mean of the middle two for an even count). */
        double median() {
            if (forkMeans.length == 0) {
                return score;
            }
            double[] sorted = forkMeans.clone();
            java.util.Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    private final Map<String, Result> results = new LinkedHashMap<>();
    private final StringBuilder out = new StringBuilder();

    private Summary(List<Object> json) {
        for (Object o : json) {
            @SuppressWarnings("unchecked")
            Map<String, Object> b = (Map<String, Object>) o;
            String name = shortName((String) b.get("benchmark"));
            @SuppressWarnings("unchecked")
            Map<String, Object> primary = (Map<String, Object>) b.get("primaryMetric");
            @SuppressWarnings("unchecked")
            Map<String, Object> secondary = (Map<String, Object>) b.get("secondaryMetrics");
            double bytes = Double.NaN;
            double[] forkBytes = new double[0];
            if (secondary != null && secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm) {
                bytes = number(norm.get("score"));
                forkBytes = forkMeans(norm.get("rawData"));
            }
            results.put(name, new Result(name, (int) number(b.get("threads")), number(primary.get("score")),
                    number(primary.get("scoreError")), (String) primary.get("scoreUnit"), bytes,
                    forkMeans(primary.get("rawData")), forkBytes));
        }
    }

    /** The mean of each fork's iterations, in fork order; empty if the file has no raw data. */
    private static double[] forkMeans(Object rawData) {
        if (!(rawData instanceof List<?> forks)) {
            return new double[0];
        }
        double[] means = new double[forks.size()];
        for (int f = 0; f < means.length; f++) {
            List<?> iterations = (List<?>) forks.get(f);
            double sum = 0;
            for (Object v : iterations) {
                sum += number(v);
            }
            means[f] = sum / iterations.size();
        }
        return means;
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 2 && args[0].equals("--compare")) {
            compare(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length == 2 && args[0].equals("--spread")) {
            @SuppressWarnings("unchecked")
            List<Object> json = (List<Object>) new Json(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8)).value();
            Summary s = new Summary(json);
            s.spread(args[1]);
            System.out.print(s.out);
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: Summary <jmh-result.json> | Summary --spread <jmh-result.json> | Summary --compare <a.json> <b.json>...");
            System.exit(2);
        }
        @SuppressWarnings("unchecked")
        List<Object> json = (List<Object>) new Json(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)).value();
        Summary s = new Summary(json);
        s.write(args[0]);
        System.out.print(s.out);
    }

    /** One row per benchmark, one column pair (ns/op, B/op) per result file: builds of the core compared. */
    private static void compare(String[] files) throws IOException {
        List<Summary> runs = new ArrayList<>();
        for (String f : files) {
            @SuppressWarnings("unchecked")
            List<Object> json = (List<Object>) new Json(Files.readString(Path.of(f), StandardCharsets.UTF_8)).value();
            runs.add(new Summary(json));
        }
        StringBuilder out = new StringBuilder();
        out.append("Generated by `java -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.Summary --compare ")
                .append(String.join(" ", files)).append("`.\n\n");
        StringBuilder head = new StringBuilder("| benchmark |");
        StringBuilder sep = new StringBuilder("|---|");
        for (String f : files) {
            String name = Path.of(f).getFileName().toString().replace(".json", "");
            head.append(' ').append(name).append(" ns/op | B/op |");
            sep.append("---:|---:|");
        }
        out.append(head).append('\n').append(sep).append('\n');
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Summary s : runs) {
            names.addAll(s.results.keySet());
        }
        for (String b : names) {
            StringBuilder row = new StringBuilder("| " + b + " |");
            for (Summary s : runs) {
                Result r = s.results.get(b);
                row.append(' ').append(r == null ? "—" : fmt(r.score) + " ± " + fmt(r.error)).append(" | ")
                        .append(r == null ? "—" : bytes(r)).append(" |");
            }
            out.append(row).append('\n');
        }
        System.out.print(out);
    }

    private void write(String file) {
        line("Generated by `java -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.Summary " + file + "`.");
        line("");
        for (String t : new String[] {"SuccessPathT1", "SuccessPathT2"}) {
            boolean one = t.endsWith("T1");
            line("#### Success path, " + (one ? "1 thread" : "2 threads sharing one upstream per library"));
            line("");
            line("| benchmark | what it is | ns/op | ± (99.9%) | B/op | ÷ resilience4j full | ÷ Failsafe |");
            line("|---|---|---:|---:|---:|---:|---:|");
            Result r4j = results.get(t + ".r4jFull");
            Result fs = results.get(t + ".failsafeFull");
            row(t + ".baseline", "direct call", r4j, fs);
            row(t + ".leveeFull", "Levee full stack + meters", r4j, fs);
            row(t + ".leveeFullRunOff", "the same, run-of-failures trigger off", r4j, fs);
            row(t + ".leveeBreaker", "Levee breaker alone", r4j, fs);
            row(t + ".r4jFull", "resilience4j Retry(CircuitBreaker(Bulkhead)) + tagged metrics + timer", r4j, fs);
            row(t + ".r4jBreaker", "resilience4j CircuitBreaker alone", r4j, fs);
            row(t + ".failsafeFull", "Failsafe retry + breaker", r4j, fs);
            line("");
        }
        line("#### Rejected path, circuit open, 1 thread");
        line("");
        line("| library | to a fallback ns/op | B/op | as an exception ns/op | B/op |");
        line("|---|---:|---:|---:|---:|");
        for (String lib : new String[] {"levee", "r4j", "failsafe"}) {
            Result f = results.get("RejectedPath." + lib + "Fallback");
            Result e = results.get("RejectedPath." + lib + "Exception");
            if (f != null && e != null) {
                line("| " + label(lib) + " | " + ns(f) + " | " + bytes(f) + " | " + ns(e) + " | " + bytes(e) + " |");
            }
        }
        line("");
        line("#### Timed call (the hand-off to another thread), 1 thread");
        line("");
        line("| benchmark | ns/op | ± (99.9%) | B/op | ÷ TimeLimiter |");
        line("|---|---:|---:|---:|---:|");
        Result tl = results.get("TimedCall.r4jTimeLimiter");
        for (String b : new String[] {"TimedCall.leveeEnforced", "TimedCall.leveeEnforcedFull", "TimedCall.r4jTimeLimiter"}) {
            Result r = results.get(b);
            if (r != null) {
                line("| " + b + " | " + ns(r) + " | " + fmt(r.error) + " | " + bytes(r) + " | " + ratio(r, tl) + " |");
            }
        }
        line("");
        if (results.keySet().stream().anyMatch(k -> k.startsWith("Components."))) {
            line("#### Parts of a protected call, 1 thread");
            line("");
            line("| benchmark | ns/op | ± (99.9%) | B/op |");
            line("|---|---:|---:|---:|");
            for (Result r : results.values()) {
                if (r.name.startsWith("Components.")) {
                    line("| " + r.name + " | " + ns(r) + " | " + fmt(r.error) + " | " + bytes(r) + " |");
                }
            }
            line("");
        }
        targets();
    }

    /**
     * Levee's benchmarks and the peers each is compared with: the full stacks with resilience4j's full
     * composition and Failsafe's, the breaker with resilience4j's breaker, the hand-off with {@code TimeLimiter}.
     */
    private static final String[][] PEERS = {
        {"leveeFull", "r4jFull", "failsafeFull"},
        {"leveeFullRunOff", "r4jFull", "failsafeFull"},
        {"leveeFullPolluted", "r4jFull", "failsafeFull"},
        {"leveeFullPrometheus", "r4jFullPrometheus", "failsafeFull"},
        {"leveeFullNoMeters", "r4jFull", "failsafeFull"},
        {"leveeBreaker", "r4jBreaker", null},
        {"leveeEnforced", "r4jTimeLimiter", null},
        {"leveeEnforcedFull", "r4jTimeLimiter", null},
    };

    /**
     * The spread between forks (JVMs): per benchmark the fork means' minimum, median and maximum and the
     * allocation per fork; then each Levee benchmark's median and worst fork divided by its peers' median.
     * An application's JVM gets one fork's outcome and keeps it: the worst fork is what a user may get.
     */
    private void spread(String file) {
        line("Generated by `java -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.Summary --spread " + file + "`.");
        line("");
        line("| benchmark | forks | fork means (ns/op), sorted | min | median | max | B/op per fork |");
        line("|---|---:|---|---:|---:|---:|---|");
        for (Result r : results.values()) {
            double[] sorted = r.forkMeans.clone();
            java.util.Arrays.sort(sorted);
            StringBuilder means = new StringBuilder();
            for (double m : sorted) {
                means.append(means.length() == 0 ? "" : ", ").append(fmt(m));
            }
            StringBuilder alloc = new StringBuilder();
            for (double b : r.forkBytes) {
                alloc.append(alloc.length() == 0 ? "" : ", ").append(b < 0.5 ? "0" : String.format(Locale.ROOT, "%.0f", b));
            }
            line("| " + r.name + " | " + sorted.length + " | " + means + " | " + fmt(r.min()) + " | " + fmt(r.median())
                    + " | " + fmt(r.max()) + " | " + (alloc.length() == 0 ? "—" : alloc.toString()) + " |");
        }
        line("");
        line("| Levee benchmark | peer | Levee median ÷ peer median | Levee worst fork ÷ peer median | Levee worst fork ÷ peer best fork |");
        line("|---|---|---:|---:|---:|");
        for (String name : results.keySet()) {
            int dot = name.indexOf('.');
            String group = name.substring(0, dot + 1);
            for (String[] p : PEERS) {
                if (!name.substring(dot + 1).equals(p[0])) {
                    continue;
                }
                Result levee = results.get(name);
                for (int i = 1; i < p.length; i++) {
                    Result peer = p[i] == null ? null : results.get(group + p[i]);
                    if (peer != null) {
                        line("| " + name + " | " + p[i] + " | " + ratio(levee.median(), peer.median()) + " | "
                                + ratio(levee.max(), peer.median()) + " | " + ratio(levee.max(), peer.min()) + " |");
                    }
                }
            }
        }
        line("");
    }

    private static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    private void targets() {
        line("#### Targets");
        line("");
        line("| target | measured | met? |");
        line("|---|---:|:---:|");
        for (String t : new String[] {"SuccessPathT1", "SuccessPathT2"}) {
            String th = t.endsWith("T1") ? "1 thread" : "2 threads";
            Result levee = results.get(t + ".leveeFull");
            Result r4j = results.get(t + ".r4jFull");
            Result fs = results.get(t + ".failsafeFull");
            if (levee == null) {
                continue;
            }
            check("Levee full ≤ 0.5 × resilience4j full (" + th + ")", levee.score / r4j.score, 0.5, "");
            check("Levee full ≤ 0.65 × Failsafe (" + th + ")", levee.score / fs.score, 0.65, "");
            if (t.endsWith("T1")) {
                check("Levee full ≈ 120 ns or less (1 thread)", levee.score, 120, " ns");
            }
            check("Levee full allocates 0 B/op on the success path (" + th + ")", levee.bytes, 0.5, " B");
        }
        Result fallback = results.get("RejectedPath.leveeFallback");
        if (fallback != null) {
            check("Levee rejection to a fallback ≤ 100 ns", fallback.score, 100, " ns");
        }
        Result timed = results.get("TimedCall.leveeEnforced");
        Result tl = results.get("TimedCall.r4jTimeLimiter");
        if (timed != null && tl != null) {
            check("Levee timed hand-off ≤ TimeLimiter's", timed.score / tl.score, 1.0, "");
        }
        line("");
    }

    private void check(String what, double value, double limit, String unit) {
        String v = unit.isEmpty() ? String.format(Locale.ROOT, "%.2f", value) : fmt(value) + unit;
        line("| " + what + " | " + v + " | " + (value <= limit ? "yes" : "**no**") + " |");
    }

    private void row(String name, String what, Result r4j, Result fs) {
        Result r = results.get(name);
        if (r == null) {
            return;
        }
        line("| " + name + " | " + what + " | " + ns(r) + " | " + fmt(r.error) + " | " + bytes(r) + " | "
                + ratio(r, r4j) + " | " + ratio(r, fs) + " |");
    }

    private static String label(String lib) {
        switch (lib) {
            case "levee":
                return "Levee full stack";
            case "r4j":
                return "resilience4j composition";
            default:
                return "Failsafe";
        }
    }

    private static String ratio(Result r, Result ref) {
        return ref == null ? "—" : String.format(Locale.ROOT, "%.2f", r.score / ref.score);
    }

    private static String ns(Result r) {
        return fmt(r.score);
    }

    private static String bytes(Result r) {
        if (Double.isNaN(r.bytes)) {
            return "—";
        }
        return r.bytes < 0.5 ? "0" : String.format(Locale.ROOT, "%.0f", r.bytes);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String shortName(String benchmark) {
        String prefix = "dev.levee.benchmarks.";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }

    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) { // JMH writes "NaN" as a string
            return Double.NaN;
        }
        return Double.NaN;
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    /** Just enough JSON for JMH's result file: objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                default:
                    return literal();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skip();
            if (s.charAt(i) == '}') {
                i++;
                return m;
            }
            while (true) {
                skip();
                String k = string();
                skip();
                expect(':');
                m.put(k, value());
                skip();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> a = new ArrayList<>();
            i++;
            skip();
            if (s.charAt(i) == ']') {
                i++;
                return a;
            }
            while (true) {
                a.add(value());
                skip();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    expect(']');
                    return a;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n':
                            b.append('\n');
                            break;
                        case 't':
                            b.append('\t');
                            break;
                        case 'u':
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                            break;
                        default:
                            b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private Object literal() {
            int start = i;
            while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String t = s.substring(start, i);
            switch (t) {
                case "true":
                    return Boolean.TRUE;
                case "false":
                    return Boolean.FALSE;
                case "null":
                    return null;
                default:
                    return Double.valueOf(t);
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i);
            }
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
