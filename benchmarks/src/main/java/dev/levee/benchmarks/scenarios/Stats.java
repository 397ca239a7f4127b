package dev.levee.benchmarks.scenarios;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles and their formatting. */
final class Stats {

    private Stats() {
    }

    /**
     * The nearest-rank percentile of the values; {@code Long.MAX_VALUE} entries (incomplete requests) sort last.
     *
     * @param values the values, in any order (not modified)
     * @param p the percentile, 0 to 100
     * @return the value, or {@code Long.MAX_VALUE} if it falls on an incomplete request, or -1 if there are none
     */
    static long percentile(long[] values, double p) {
        if (values.length == 0) {
            return -1;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long max(long[] values) {
        long m = -1;
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** A duration in nanoseconds for a table: {@code 1.23 ms}, {@code 4.5 s}, {@code 870 ns}; {@code >bound} for incomplete. */
    static String duration(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            return "not answered";
        }
        if (nanos < 0) {
            return "—";
        }
        if (nanos < 10_000) {
            return nanos + " ns";
        }
        if (nanos < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        if (nanos < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String millis(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            return "not answered";
        }
        if (nanos < 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** A duration in nanoseconds as seconds for a table: {@code 0.21 s}, {@code 28.4 s}; {@code —} if negative. */
    static String seconds(long nanos) {
        if (nanos < 0) {
            return "—";
        }
        return String.format(Locale.ROOT, nanos < 10_000_000_000L ? "%.2f s" : "%.1f s", nanos / 1e9);
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "—" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }
}
