package dev.levee.internal;

import dev.levee.InvalidSpecException;
import java.time.Duration;
import java.util.Objects;

/** Validation helpers for specs: every failure names the field, the value and what is allowed. */
public final class Check {

    private Check() {
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9._-]{1,64}");

    /** A name that becomes a metric tag value: an upstream's, a migration's. */
    public static String name(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidSpecException("name", "'" + name + "'", "1 to 64 characters of lowercase letters, digits, '-', '_' or '.'");
        }
        return name;
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidSpecException(field, value, "between " + min + " and " + max);
        }
        return value;
    }

    /** Floats get their own overload so that a message shows {@code 0.99}, not its widening {@code 0.9900000095367432}. */
    public static float range(String field, float value, float min, float max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidSpecException(field, value, "between " + min + " and " + max);
        }
        return value;
    }

    public static double range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidSpecException(field, value, "between " + min + " and " + max);
        }
        return value;
    }

    public static Duration range(String field, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidSpecException(field, format(value), "between " + format(min) + " and " + format(max));
        }
        return value;
    }

    /** Formats a duration the way users write it in properties: {@code 300ms}, {@code 2s}, {@code 1m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0ms";
        }
        try {
            if (d.toNanos() % 1_000_000 != 0) {
                return d.toNanos() + "ns";
            }
        } catch (ArithmeticException tooLongForNanos) {
            return d.toString(); // beyond ~292 years: a message must still name the value, not overflow
        }
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return (ms / 60_000) + "m";
        }
        if (ms % 1_000 == 0) {
            return (ms / 1_000) + "s";
        }
        return ms + "ms";
    }
}
