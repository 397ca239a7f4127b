package dev.levee.spring.http;

import dev.levee.Deadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads an incoming request's remaining time budget from a header (milliseconds) and binds it as the
 * {@link Deadline} of the request's thread while it is served: every upstream call made meanwhile is bounded
 * by what remains, and RestClient calls through Levee pass the rest on in the same header. Without the
 * header nothing changes. A malformed value is answered with 400 and a problem detail naming the header.
 *
 * @since 0.1
 */
public final class DeadlineFilter extends OncePerRequestFilter implements Ordered {

    private static final long MAX_MILLIS = Duration.ofHours(24).toMillis();

    private final String header;

    /**
     * Creates the filter.
     *
     * @param header the header carrying the remaining budget in milliseconds
     */
    public DeadlineFilter(String header) {
        this.header = header;
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
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\""
                    + header + " must be a whole number of milliseconds from 0 to " + MAX_MILLIS + "\"}");
            return;
        }
        try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(millis)).bind()) {
            chain.doFilter(request, response);
        }
    }

    private static long parse(String value) {
        if (!value.matches("[0-9]{1,9}")) {
            return -1;
        }
        long millis = Long.parseLong(value);
        return millis <= MAX_MILLIS ? millis : -1;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
