package dev.levee.examples.quickstart;

import java.util.Locale;

/** The figures the quickstart measured. NaN where something did not happen (no rejection, no recovery). */
record Summary(double catalogP99Healthy, double catalogP99DuringOutage, long catalogIssued, long catalogCompleted,
        boolean drained, double longestWaitMillis, long rejectedCalls, double rejectedP50Millis, double rejectedP99Millis,
        double secondsToClosedCircuit, double secondsToFullSuccess, double retryAmplification) {

    String render() {
        StringBuilder sb = new StringBuilder("Summary (measured in this run)\n");
        sb.append(String.format(Locale.ROOT, "  catalog p99 while pricing was healthy:       %s%n", ms(catalogP99Healthy)));
        sb.append(String.format(Locale.ROOT, "  catalog p99 while pricing was slow or down:  %s%n", ms(catalogP99DuringOutage)));
        sb.append(String.format(Locale.ROOT, "  catalog requests completed:                  %d of %d%n", catalogCompleted, catalogIssued));
        sb.append(String.format(Locale.ROOT, "  longest any caller waited:                   %s%n", ms(longestWaitMillis)));
        sb.append(String.format(Locale.ROOT, "  pricing calls rejected while its circuit was open: %d, answered in p50 %s, p99 %s%n",
                rejectedCalls, ms(rejectedP50Millis), ms(rejectedP99Millis)));
        sb.append(String.format(Locale.ROOT, "  after pricing recovered: circuit closed in %s, every call succeeding within %s%n",
                seconds(secondsToClosedCircuit), seconds(secondsToFullSuccess)));
        sb.append(String.format(Locale.ROOT, "  retry amplification on pricing (attempts / calls): %s%n",
                Double.isNaN(retryAmplification) ? "-" : String.format(Locale.ROOT, "%.2f", retryAmplification)));
        return sb.toString();
    }

    private static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis < 1 ? String.format(Locale.ROOT, "%.3f ms", millis) : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "- (did not happen)" : String.format(Locale.ROOT, "%.1f s", s);
    }
}
