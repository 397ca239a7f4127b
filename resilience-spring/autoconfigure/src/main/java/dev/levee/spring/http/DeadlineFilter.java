package dev.levee.spring.http;

import dev.levee.Deadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads an incoming request's remaining time budget from a header (whole milliseconds, 0 to
 * {@value #MAX_MILLIS}) and binds it as the {@link Deadline} of the request's thread while it is served:
 * every upstream call made meanwhile is bounded by what remains. A budget can only shorten calls, never
 * lengthen them: each call is still bounded by its own upstream's configured deadline.
 *
 * <p>Without the header nothing changes. A value that is not a whole number of milliseconds, or is beyond
 * {@value #MAX_MILLIS} ms (1 h), is ignored: the request is served as if the header were absent, and the value
 * and the reason are logged at DEBUG. The header never makes a request fail, whatever its value. A value of 0
 * means the caller has no time left: upstream calls then fail at once with
 * {@link dev.levee.DeadlineExceededException} (and their fallbacks answer) instead of doing work nobody waits for.
 *
 * <p>Registered only where incoming budgets are trusted ({@code levee.deadline.trust-incoming}).
 * Thread-safe.
 *
 * @since 0.1
 */
public final class DeadlineFilter extends OncePerRequestFilter implements Ordered {

    /** The largest budget accepted, in milliseconds: one hour. Anything larger is not a request's budget. */
    public static final long MAX_MILLIS = 3_600_000;

    private static final Log LOG = LogFactory.getLog(DeadlineFilter.class);

    /** How much of a client-supplied value (the header, the path) a log line quotes. */
    private static final int QUOTED = 100;

    private static final long NOT_A_NUMBER = -1;
    private static final long TOO_LARGE = -2;

    private final String header;

    /**
     * Creates the filter.
     *
     * @param header the header carrying the remaining budget in milliseconds
     * @throws NullPointerException if {@code header} is null
     */
    public DeadlineFilter(String header) {
        this.header = Objects.requireNonNull(header, "header");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String value = request.getHeader(header);
        if (value == null) {
            chain.doFilter(request, response);
            return;
        }
        long millis = parse(value.trim());
        if (millis < 0) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Ignored " + header + " header '" + quote(value) + "' on " + request.getMethod() + " "
                        + quote(request.getRequestURI()) + ": " + (millis == NOT_A_NUMBER ? "not a whole number of milliseconds"
                                : "more than the largest budget accepted, " + MAX_MILLIS + " ms (1 h)")
                        + "; served without an incoming deadline");
            }
            chain.doFilter(request, response);
            return;
        }
        try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(millis)).bind()) {
            chain.doFilter(request, response);
        }
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

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
