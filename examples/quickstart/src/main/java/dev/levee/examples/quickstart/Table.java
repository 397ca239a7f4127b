package dev.levee.examples.quickstart;

import dev.levee.examples.quickstart.Options.Phase;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The live table: redrawn in place on a terminal, printed as plain lines otherwise. */
final class Table {

    record Row(String upstream, String health, String circuit, long callsPerSecond, double p99Millis, long failures,
            long fallbacks, double attemptsPerCall) {
    }

    private final PrintStream out;
    private final boolean redraw;
    private final List<String> events;
    private int linesDrawn;
    private int eventsPrinted;

    Table(PrintStream out, boolean redraw, List<String> events) {
        this.out = out;
        this.redraw = redraw;
        this.events = events;
    }

    void print(double seconds, Phase phase, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        if (redraw && linesDrawn > 0) {
            sb.append("\033[").append(linesDrawn).append('A');
        }
        int lines = 0;
        lines += line(sb, String.format(Locale.ROOT, "t=%4.0fs  pricing is %s: %s", seconds, phase.kind().label, phase.kind().description));
        lines += line(sb, String.format(Locale.ROOT, "%-10s %-12s %-10s %8s %9s %9s %10s %14s", "upstream", "health", "circuit",
                "calls/s", "p99 ms", "failures", "fallbacks", "attempts/call"));
        for (Row r : rows) {
            lines += line(sb, String.format(Locale.ROOT, "%-10s %-12s %-10s %8d %9s %9d %10d %14s", r.upstream(), r.health(),
                    r.circuit(), r.callsPerSecond(), Double.isNaN(r.p99Millis()) ? "-" : String.format(Locale.ROOT, "%.0f", r.p99Millis()),
                    r.failures(), r.fallbacks(), Double.isNaN(r.attemptsPerCall()) ? "-"
                            : String.format(Locale.ROOT, "%.2f", r.attemptsPerCall())));
        }
        synchronized (events) {
            if (redraw) {
                lines += line(sb, "recent health changes:");
                for (String e : events.subList(Math.max(0, events.size() - 4), events.size())) {
                    lines += line(sb, "  " + e);
                }
            } else {
                for (String e : events.subList(eventsPrinted, events.size())) {
                    line(sb, "  health: " + e);
                }
                eventsPrinted = events.size();
                line(sb, "");
            }
        }
        if (redraw) {
            // Clear what the previous, possibly longer, frame left below.
            for (int i = lines; i < linesDrawn; i++) {
                sb.append("\033[2K\n");
            }
            if (linesDrawn > lines) {
                sb.append("\033[").append(linesDrawn - lines).append('A');
            }
            linesDrawn = lines;
        }
        out.print(sb);
        out.flush();
    }

    private int line(StringBuilder sb, String text) {
        if (redraw) {
            sb.append("\033[2K");
        }
        sb.append(text).append('\n');
        return 1;
    }
}
