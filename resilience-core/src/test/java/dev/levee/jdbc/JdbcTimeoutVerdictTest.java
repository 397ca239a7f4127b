package dev.levee.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariDataSource;
import dev.levee.Adapter;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.Verdict;
import dev.levee.testing.RecordingObserver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's own timeout is a timeout: with {@code SET statement_timeout = 100}, PostgreSQL cancels a
 * {@code pg_sleep(10)} itself with SQL state 57014 (query_canceled), and an adapter that maps that state to
 * {@link Verdict#timeout(String)} makes the attempt's outcome {@link Outcome#TIMEOUT}, as if Levee's own
 * timeout had fired. Without the mapping it is an upstream failure like any other exception.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JdbcTimeoutVerdictTest {

    static final String APP = "levee-statement-timeout";
    /** Far above the server's 100 ms: whatever ends the call, it is not Levee's own timeout. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    static EmbeddedPg pg;
    static HikariDataSource pool;

    @BeforeAll
    static void startServer() {
        pg = EmbeddedPg.start();
        pool = pg.pool(APP, 2, Duration.ofMillis(250), config -> config.setConnectionInitSql("SET statement_timeout = 100"));
    }

    @AfterAll
    static void stopServer() {
        pool.close();
        pg.close();
    }

    /** The adapter of the README's recipe: PostgreSQL's query_canceled is a timeout. */
    enum PostgresAdapter implements Adapter<Integer, Integer> {
        INSTANCE;

        static final String QUERY_CANCELED = "57014";

        @Override
        public Integer translate(Integer value) {
            return value;
        }

        @Override
        public Verdict<Integer> classifyError(Throwable error) {
            if (error instanceof SQLException e && QUERY_CANCELED.equals(e.getSQLState())) {
                return Verdict.timeout("sql state " + QUERY_CANCELED);
            }
            return Verdict.unclassified();
        }
    }

    private static UpstreamException sleepThrough(Adapter<Integer, Integer> adapter, RecordingObserver observer) {
        try (Upstreams upstreams = Upstreams.builder().observer(observer).build()) {
            Upstream db = upstreams.register(UpstreamSpec.named("orders-db").attemptTimeout(ATTEMPT_TIMEOUT).build());
            return catchThrowableOfType(UpstreamException.class,
                    () -> db.call(ctx -> JdbcRecipe.query(ctx, pool, "SELECT pg_sleep(10)", rows -> 1), adapter));
        }
    }

    @Test
    void aStatementCancelledByTheServersStatementTimeoutIsATimeout() {
        RecordingObserver observer = new RecordingObserver();
        long start = System.nanoTime();
        UpstreamException e = sleepThrough(PostgresAdapter.INSTANCE, observer);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(e.getCause()).isInstanceOfSatisfying(SQLException.class,
                cause -> assertThat(cause.getSQLState()).isEqualTo(PostgresAdapter.QUERY_CANCELED));
        assertThat(observer.attemptOutcomes()).as("what the breaker and metrics counted").containsExactly(Outcome.TIMEOUT);
        assertThat(took).as("the server's 100 ms ended it, not Levee's 2 s").isLessThan(ATTEMPT_TIMEOUT);
        Figures.print("statement_timeout", "took %d ms, %s: %s", took.toMillis(), e.getClass().getSimpleName(), e.getMessage());
    }

    @Test
    void withoutTheMappingTheSameCancelIsAnUpstreamFailure() {
        RecordingObserver observer = new RecordingObserver();
        UpstreamException e = sleepThrough(Adapter.identity(), observer);

        assertThat(e.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(observer.attemptOutcomes()).containsExactly(Outcome.FAILURE);
    }
}
