package dev.levee.spring.actuate;

import java.time.Duration;

/**
 * Durations as they are written in configuration ({@code 300ms}, {@code 1s}, {@code 10m}, {@code 1h}) rather than
 * ISO-8601 ({@code PT0.3S}): the largest whole unit among hours, minutes, seconds and milliseconds, nanoseconds when
 * finer. The rule of Levee's own messages (which stop at minutes), so the endpoint and the startup errors read alike.
 */
final class DurationFormat {

    private DurationFormat() {
    }

    static String format(Duration d) {
        if (d.isZero()) {
            return "0ms";
        }
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException tooLong) { // beyond ~292 years
            return d.toString();
        }
        if (nanos % 1_000_000 != 0) {
            return nanos + "ns";
        }
        long ms = nanos / 1_000_000;
        if (ms % 3_600_000 == 0) {
            return (ms / 3_600_000) + "h";
        }
        if (ms % 60_000 == 0) {
            return (ms / 60_000) + "m";
        }
        if (ms % 1_000 == 0) {
            return (ms / 1_000) + "s";
        }
        return ms + "ms";
    }
}
