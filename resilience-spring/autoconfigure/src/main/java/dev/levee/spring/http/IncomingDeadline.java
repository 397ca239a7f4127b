package dev.levee.spring.http;

import dev.levee.Deadline;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The rules for an incoming request's deadline header, shared by the servlet {@link DeadlineFilter} and the
 * WebFlux {@link DeadlineWebFilter}: whole milliseconds from 0 to {@value #MAX_MILLIS}; anything else is
 * ignored (logged at DEBUG, the value quoted shortened and escaped) and never fails the request.
 */
final class IncomingDeadline {

    /** The largest budget accepted, in milliseconds: one hour. Anything larger is not a request's budget. */
    static final long MAX_MILLIS = 3_600_000;

    private static final Log LOG = LogFactory.getLog(DeadlineFilter.class);

    /** How much of a client-supplied value (the header, the path) a log line quotes. */
    private static final int QUOTED = 100;

    private static final long NOT_A_NUMBER = -1;
    private static final long TOO_LARGE = -2;

    private IncomingDeadline() {
    }

    /**
     * The deadline an incoming request's header value sets, starting now.
     *
     * @param header the header's name, for the log line
     * @param value the header's value, or null if absent
     * @param method the request's method, for the log line
     * @param path the request's path, for the log line
     * @return the deadline, or null if the header is absent or its value is ignored
     */
    static @Nullable Deadline read(String header, @Nullable String value, String method, String path) {
        if (value == null) {
            return null;
        }
        long millis = parse(value.trim());
        if (millis < 0) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Ignored " + header + " header '" + quote(value) + "' on " + method + " " + quote(path) + ": "
                        + (millis == NOT_A_NUMBER ? "not a whole number of milliseconds"
                                : "more than the largest budget accepted, " + MAX_MILLIS + " ms (1 h)")
                        + "; served without an incoming deadline");
            }
            return null;
        }
        return Deadline.after(Duration.ofMillis(millis));
    }

    /** The budget in milliseconds, or {@link #NOT_A_NUMBER} or {@link #TOO_LARGE}. */
    private static long parse(String value) {
        if (value.isEmpty() || !allDigits(value)) {
            return NOT_A_NUMBER;
        }
        int first = 0;
        while (first < value.length() - 1 && value.charAt(first) == '0') {
            first++;
        }
        if (value.length() - first > 7) { // MAX_MILLIS has 7 digits; and no long overflows
            return TOO_LARGE;
        }
        long millis = Long.parseLong(value, first, value.length(), 10);
        return millis <= MAX_MILLIS ? millis : TOO_LARGE;
    }

    private static boolean allDigits(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The value as a log line may show it: shortened, control characters escaped. */
    private static String quote(String value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), QUOTED) + 3);
        for (int i = 0; i < value.length() && i < QUOTED; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return value.length() > QUOTED ? b.append("...").toString() : b.toString();
    }
}
