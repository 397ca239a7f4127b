package dev.levee.spring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.levee.Deadline;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** What the filter binds for each header value, and that no value ever fails the request. */
@ExtendWith(OutputCaptureExtension.class)
class DeadlineFilterTests {

    private static final String LOGGER = DeadlineFilter.class.getName();

    private final DeadlineFilter filter = new DeadlineFilter("Levee-Deadline-Ms");

    @BeforeAll
    static void logAtDebug() {
        LoggingSystem.get(DeadlineFilterTests.class.getClassLoader()).setLogLevel(LOGGER, LogLevel.DEBUG);
    }

    @AfterAll
    static void restoreLogLevel() {
        LoggingSystem.get(DeadlineFilterTests.class.getClassLoader()).setLogLevel(LOGGER, null);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = { "0", "1", "250", " 250 ", "0000250", "3600000" })
    void aWholeNumberOfMillisecondsUpToAnHourIsBoundWhileTheRequestIsServed(String value) throws Exception {
        long expected = Long.parseLong(value.strip());
        Served served = serve(value);
        assertThat(served.status).isEqualTo(200);
        assertThat(served.remainingMillis).isNotNull().isBetween(Math.max(0, expected - 1000), expected);
        assertThat(Deadline.current()).as("unbound afterwards").isEmpty();
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(delimiter = '|', value = {
            "soon                    | not a whole number of milliseconds",
            "-5                      | not a whole number of milliseconds",
            "+5                      | not a whole number of milliseconds",
            "1.5                     | not a whole number of milliseconds",
            "1e3                     | not a whole number of milliseconds",
            "''                      | not a whole number of milliseconds",
            "３                       | not a whole number of milliseconds",
            "3600001                 | more than the largest budget accepted, 3600000 ms (1 h)",
            "99999999999999999999999 | more than the largest budget accepted, 3600000 ms (1 h)" })
    void anythingElseIsIgnoredAndLoggedAtDebugWithTheValueAndWhy(String value, String why, CapturedOutput output) throws Exception {
        Served served = serve(value);
        assertThat(served.status).isEqualTo(200);
        assertThat(served.remainingMillis).as("no deadline bound").isNull();
        assertThat(output).contains("Ignored Levee-Deadline-Ms header '" + value + "' on GET /orders/1: " + why
                + "; served without an incoming deadline");
    }

    @Test
    void aLoggedValueIsShortenedAndItsControlCharactersEscaped(CapturedOutput output) throws Exception {
        serve("x\u001b[31m" + "y".repeat(200));
        // the first 100 characters: x, ESC, [31m and 94 y
        assertThat(output).contains("header 'x\\u001b[31m" + "y".repeat(94) + "...' on GET");
    }

    @Test
    void withoutTheHeaderNothingIsBound() throws Exception {
        Served served = serve(null);
        assertThat(served.status).isEqualTo(200);
        assertThat(served.remainingMillis).isNull();
    }

    @Test
    void anIncomingBudgetDoesNotExtendAnEnclosingDeadline() throws Exception {
        try (Deadline.Scope outer = Deadline.after(java.time.Duration.ofMillis(100)).bind()) {
            assertThat(serve("60000").remainingMillis).isNotNull().isLessThanOrEqualTo(100);
        }
    }

    @Test
    void theHeaderNameIsRequired() {
        assertThatNullPointerException().isThrownBy(() -> new DeadlineFilter(null)).withMessage("header");
    }

    private Served serve(String value) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/1");
        if (value != null) {
            request.addHeader("Levee-Deadline-Ms", value);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<Long> seen = new AtomicReference<>();
        filter.doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                seen.set(Deadline.current().map(d -> d.remaining().toMillis()).orElse(null));
                res.setStatus(200);
            }
        }));
        return new Served(response.getStatus(), seen.get());
    }

    private record Served(int status, Long remainingMillis) {
    }
}
