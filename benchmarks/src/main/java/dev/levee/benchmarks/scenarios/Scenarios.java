package dev.levee.benchmarks.scenarios;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outage scenarios: a program, not JMH. Each scenario starts its own upstreams (loopback HTTP servers or
 * in-process stubs; no external network) and is bounded in time and requests.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.scenarios.Scenarios [options] [scenario...]
 * </pre>
 */
public final class Scenarios {

    private interface Scenario {
        void run(Report report, boolean quick) throws Exception;
    }

    private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

    static {
        ALL.put("cascade", Cascade::run);
        ALL.put("outage", Outage::run);
        ALL.put("failfast", FailFast::run);
        ALL.put("recovery", Recovery::run);
        ALL.put("timeouts", Timeouts::run);
        ALL.put("detection", Detection::run);
    }

    private Scenarios() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help":
                case "-h":
                    usage();
                    return;
                case "--quick":
                    quick = true;
                    break;
                case "--out":
                    if (i + 1 >= args.length) {
                        fail("--out needs a file");
                    }
                    out = Path.of(args[++i]);
                    break;
                default:
                    if (a.equals("all")) {
                        chosen.addAll(ALL.keySet());
                    } else if (ALL.containsKey(a)) {
                        chosen.add(a);
                    } else {
                        fail("unknown scenario or option '" + a + "'; scenarios: " + String.join(", ", ALL.keySet()));
                    }
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(ALL.keySet());
        }
        Report report = new Report();
        report.line("## Outage scenarios" + (quick ? " (quick mode: shortened, not for publishing)" : ""));
        report.line("");
        report.line("Measured " + LocalDate.now() + " on " + machine() + ". Command: `java -cp benchmarks/target/benchmarks.jar "
                + "dev.levee.benchmarks.scenarios.Scenarios " + String.join(" ", args) + "`.");
        for (String name : chosen) {
            long start = System.nanoTime();
            ALL.get(name).run(report, quick);
            report.note("_(" + name + ": " + Math.round((System.nanoTime() - start) / 1e9) + " s)_");
        }
        if (out != null) {
            Files.writeString(out, report.text(), StandardCharsets.UTF_8);
            System.out.println("Written to " + out);
        }
        System.exit(0); // abandoned daemon work (hanging upstream calls) must not keep the JVM up
    }

    static String machine() {
        Runtime r = Runtime.getRuntime();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return r.availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", load average " + String.format(Locale.ROOT, "%.2f", load) + " at start";
    }

    private static void usage() {
        System.out.println(String.join("\n",
                "Levee outage scenarios: Levee side by side with unprotected calls, resilience4j and Failsafe.",
                "",
                "Usage: java -cp benchmarks/target/benchmarks.jar dev.levee.benchmarks.scenarios.Scenarios [options] [scenario...]",
                "",
                "Scenarios (all of them when none is named; each bounded to about two minutes, detection to seven):",
                "  cascade    50 workers, open-loop 200 req/s, half to an upstream that hangs 10 s: healthy p50/p99,",
                "             completion and the most workers busy; unprotected vs Levee defaults vs Levee tuned",
                "  outage     every request fails: upstream requests per offered call with Levee's retry budget,",
                "             resilience4j's Retry with the same max attempts, and no retries",
                "  failfast   latency of rejected calls while the circuit is open",
                "  recovery   from the upstream recovering to the circuit closed and full success",
                "  timeouts   accuracy of attempt timeouts, and threads left after 10,000 timeouts",
                "  detection  time to open and to close per fault (refused, reset, 503, hang) and traffic (1 to 1,000",
                "             calls/s open-loop, 8 threads closed-loop), with the defaults; openings under 1% and 5%",
                "             random errors (about 6.5 minutes; 20-30 s with --quick)",
                "  all        every scenario, in this order",
                "",
                "Options:",
                "  --quick       shortened runs (seconds each), to check that the scenarios still work",
                "  --out FILE    also write the Markdown report to FILE",
                "  --help, -h    this text"));
    }

    private static void fail(String message) throws IOException {
        System.err.println(message);
        System.err.println("Try --help.");
        System.exit(2);
    }
}
