package dev.levee.spring.http;

import dev.levee.Deadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
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
 * <p>The same rules hold for WebFlux applications ({@link DeadlineWebFilter}). Registered only where incoming budgets are trusted ({@code levee.deadline.trust-incoming}).
 * Thread-safe.
 *
 * @since 0.1
 */
public final class DeadlineFilter extends OncePerRequestFilter implements Ordered {

    /** The largest budget accepted, in milliseconds: one hour. Anything larger is not a request's budget. */
    public static final long MAX_MILLIS = IncomingDeadline.MAX_MILLIS;

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
        Deadline deadline = IncomingDeadline.read(header, request.getHeader(header), request.getMethod(), request.getRequestURI());
        if (deadline == null) {
            chain.doFilter(request, response);
            return;
        }
        try (Deadline.Scope scope = deadline.bind()) {
            chain.doFilter(request, response);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
