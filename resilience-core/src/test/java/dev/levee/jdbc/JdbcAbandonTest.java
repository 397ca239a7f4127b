package dev.levee.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.levee.CallContext;
import dev.levee.CircuitState;
import dev.levee.InterruptPolicy;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamCall;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.spi.UpstreamObserver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Abandoned JDBC work is stopped, not left behind: 50 calls of {@code SELECT pg_sleep(10)} with a 300 ms
 * attempt timeout, 10 callers back to back through a HikariCP pool of 10, each call made with the README's
 * recipe ({@link JdbcRecipe}: {@code ctx.onAbandon(statement::cancel)} and a rounded-up query timeout).
 *
 * <p>What would fail if abandonment did not stop the work: a statement would outlive its call (on JDK 17
 * until the driver's own 1 s query timeout, holding its pooled connection, so later calls find the pool
 * exhausted; on JDK 21+ the interrupted virtual thread closes the socket and the server runs the statement
 * for its full 10 s), and it would not end with SQL state 57014 (cancelled) within the work bound.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JdbcAbandonTest {

    static final String SLEEP = "SELECT pg_sleep(10)";
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(300);
    /**
     * What a caller may take beyond its attempt timeout: Levee's hand-off (tens of microseconds) plus the
     * caller's wake-up on a 2-core machine shared with other builds. A correctness bound, not a benchmark.
     */
    static final Duration MARGIN = Duration.ofMillis(700);
    /**
     * How long an abandoned attempt's work may last, from the attempt's start to the statement's end on the
     * attempt thread: below the 1 s that the driver's own query timeout (1 s, rounded up) would need, so only
     * the abandon action can have ended it.
     */
    static final Duration WORK_BOUND = Duration.ofMillis(900);
    /** Shorter than the attempt timeout, so a call that finds the pool exhausted fails before Levee gives up. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(250);
    static final int POOL_SIZE = 10;
    static final int CALLERS = 10;
    static final int CALLS_EACH = 5;
    static final int CALLS = CALLERS * CALLS_EACH;
    static final String QUERY_CANCELED = "57014";

    static EmbeddedPg pg;

    @BeforeAll
    static void startServer() {
        pg = EmbeddedPg.start();
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    /** What each attempt's work did, recorded on the attempt thread when the work really ended. */
    static final class Work {
        final List<Long> nanos = new CopyOnWriteArrayList<>();
        final List<String> endings = new CopyOnWriteArrayList<>();

        /** The recipe's call, recording how long its work lasted and how it ended. */
        UpstreamCall<Integer> sleep(HikariDataSource pool, boolean registerCancel) {
            return ctx -> {
                long start = System.nanoTime();
                String ending = "returned";
                try {
                    return registerCancel ? JdbcRecipe.query(ctx, pool, SLEEP, rows -> 1)
                            : withoutAbandonAction(ctx, pool);
                } catch (SQLException e) {
                    ending = e.getSQLState() != null ? "sqlstate " + e.getSQLState() : e.getClass().getSimpleName();
                    throw e;
                } catch (RuntimeException | Error e) {
                    ending = e.getClass().getSimpleName();
                    throw e;
                } finally {
                    nanos.add(System.nanoTime() - start);
                    endings.add(ending);
                }
            };
        }

        /** The recipe less its abandon action: what every JDBC call was before {@code onAbandon}. */
        private static Integer withoutAbandonAction(CallContext ctx, DataSource pool) throws SQLException {
            try (Connection c = pool.getConnection();
                    PreparedStatement s = c.prepareStatement(SLEEP)) {
                s.setQueryTimeout(ctx.remainingTimeoutSeconds());
                try (ResultSet r = s.executeQuery()) {
                    return 1;
                }
            }
        }

        Map<String, Long> endingCounts() {
            Map<String, Long> counts = new TreeMap<>();
            endings.forEach(e -> counts.merge(e, 1L, Long::sum));
            return counts;
        }

        long slowestMillis() {
            return nanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
        }
    }

    /** The spec of these tests; the breaker is kept out of the way unless a test says otherwise. */
    static Upstream register(Upstreams upstreams, UnaryOperator<UpstreamSpec.Builder> more) {
        return upstreams.register(more.apply(UpstreamSpec.named("orders-db")
                .attemptTimeout(ATTEMPT_TIMEOUT)
                .retry(r -> r.maxAttempts(1))
                // 50 timeouts in a row: neither the run nor the rate may open the circuit here
                .circuitBreaker(cb -> cb.consecutiveFailures(0).minimumCalls(10_000)))
                .build());
    }

    static int selectOne(Upstream db, DataSource pool) {
        return db.call(ctx -> JdbcRecipe.query(ctx, pool, "SELECT 1", rows -> rows.next() ? rows.getInt(1) : 0));
    }

    @Test
    void everyAbandonedStatementIsCancelledAndThePoolServesEveryCall() throws Exception {
        String app = "levee-abandon";
        Work work = new Work();
        try (HikariDataSource pool = pg.pool(app, POOL_SIZE, CONNECTION_TIMEOUT);
                Upstreams upstreams = Upstreams.builder().build()) {
            Upstream db = register(upstreams, b -> b);

            SleepStorm.Result storm = SleepStorm.run(db, work.sleep(pool, true), CALLERS, CALLS_EACH);
            long stormEnded = System.nanoTime();

            assertThat(Duration.ofMillis(storm.maxMillis())).as("slowest caller").isLessThan(ATTEMPT_TIMEOUT.plus(MARGIN));
            assertThat(storm.outcomes()).as("every call reached the server and timed out: none found the pool exhausted")
                    .containsExactly(Map.entry(Outcome.TIMEOUT, CALLS));

            int ended = EmbeddedPg.pollUntil(work.nanos::size, n -> n >= CALLS, Duration.ofSeconds(3));
            assertThat(ended).as("attempts whose work has ended").isEqualTo(CALLS);
            assertThat(work.endingCounts()).as("how each statement ended").containsExactly(Map.entry("sqlstate " + QUERY_CANCELED, (long) CALLS));
            assertThat(Duration.ofMillis(work.slowestMillis())).as("longest work of an abandoned attempt").isLessThan(WORK_BOUND);

            int running = EmbeddedPg.pollUntil(() -> pg.running(app, "SELECT pg_sleep"), n -> n == 0, Duration.ofSeconds(1));
            long runningGoneAfter = (System.nanoTime() - stormEnded) / 1_000_000;
            assertThat(running).as("our statements still running on the server 1 s after the last call").isZero();
            HikariPoolMXBean p = pool.getHikariPoolMXBean();
            int active = EmbeddedPg.pollUntil(p::getActiveConnections, n -> n == 0, Duration.ofSeconds(1));
            assertThat(active).as("connections still borrowed").isZero();
            assertThat(p.getTotalConnections()).as("pooled connections").isLessThanOrEqualTo(POOL_SIZE);
            int serverConnections = pg.connections(app);
            assertThat(serverConnections).as("server connections of the pool").isLessThanOrEqualTo(POOL_SIZE);

            assertThat(selectOne(db, pool)).as("SELECT 1 right after").isEqualTo(1);
            Figures.print("recipe, default interrupt policy", "calls=%d slowest caller=%d ms p50=%d ms outcomes=%s; work: slowest=%d ms endings=%s;"
                    + " running statements=%d (checked %d ms after the last call); server connections=%d; pool %s",
                    CALLS, storm.maxMillis(), storm.percentileMillis(0.5), storm.outcomes(), work.slowestMillis(), work.endingCounts(),
                    running, runningGoneAfter, serverConnections, SleepStorm.describe(pool));
        }
    }

    /**
     * The defaults, breaker included: a run of timeouts opens the circuit, the calls after it are rejected
     * without reaching the server, and the statements that did reach it are cancelled all the same.
     */
    @Test
    void withTheDefaultBreakerTheFirstTimeoutsOpenTheCircuitAndTheirStatementsAreCancelled() throws Exception {
        String app = "levee-abandon-defaults";
        Work work = new Work();
        long[] openedAt = {0};
        UpstreamObserver opening = new UpstreamObserver() {
            @Override
            public void onCircuitStateChange(CircuitState from, CircuitState to) {
                if (to == CircuitState.OPEN && openedAt[0] == 0) {
                    openedAt[0] = System.nanoTime();
                }
            }
        };
        try (HikariDataSource pool = pg.pool(app, POOL_SIZE, CONNECTION_TIMEOUT);
                Upstreams upstreams = Upstreams.builder().observer(u -> opening).build()) {
            Upstream db = upstreams.register(UpstreamSpec.named("orders-db").attemptTimeout(ATTEMPT_TIMEOUT).build());
            int consecutiveFailures = db.spec().circuitBreaker().consecutiveFailures();

            SleepStorm.Result storm = SleepStorm.run(db, work.sleep(pool, true), CALLERS, CALLS_EACH);

            assertThat(Duration.ofMillis(storm.maxMillis())).as("slowest caller").isLessThan(ATTEMPT_TIMEOUT.plus(MARGIN));
            assertThat(db.circuitState()).isEqualTo(CircuitState.OPEN);
            assertThat(storm.outcomes().keySet()).containsExactlyInAnyOrder(Outcome.TIMEOUT, Outcome.CIRCUIT_OPEN);
            int timeouts = storm.outcomes().get(Outcome.TIMEOUT);
            assertThat(timeouts).as("attempts that reached the server").isGreaterThanOrEqualTo(consecutiveFailures);
            // The callers whose timeouts completed the run may have started their next call before the
            // circuit opened; every call started after it was rejected without reaching the server.
            assertThat(storm.outcomesOfCallsStartedAfter(openedAt[0])).as("calls started after the circuit opened")
                    .containsOnlyKeys(Outcome.CIRCUIT_OPEN);

            int ended = EmbeddedPg.pollUntil(work.nanos::size, n -> n >= timeouts, Duration.ofSeconds(3));
            assertThat(ended).isEqualTo(timeouts);
            assertThat(work.endingCounts()).containsExactly(Map.entry("sqlstate " + QUERY_CANCELED, (long) timeouts));
            assertThat(EmbeddedPg.pollUntil(() -> pg.running(app, "SELECT pg_sleep"), n -> n == 0, Duration.ofSeconds(1)))
                    .as("our statements still running 1 s after the last call").isZero();
            Figures.print("recipe, all defaults", "calls=%d slowest caller=%d ms outcomes=%s; work: slowest=%d ms endings=%s; server connections=%d",
                    CALLS, storm.maxMillis(), storm.outcomes(), work.slowestMillis(), work.endingCounts(), pg.connections(app));
        }
    }

    /**
     * {@link InterruptPolicy#ALWAYS}: the attempt thread is interrupted even though the call registered its
     * cancel. On JDK 21+ the attempt runs on a virtual thread, whose interrupt closes the socket under the
     * driver; whether the cancel or the close wins is a race, so only what holds either way is asserted:
     * callers return on time and the pool still answers afterwards. The figures show the cost (on JDK 17 the
     * interrupt is inert: a platform thread's socket read ignores it).
     */
    @Test
    void interruptingAlwaysStillReleasesCallersOnTime() throws Exception {
        String app = "levee-abandon-always";
        Work work = new Work();
        try (HikariDataSource pool = pg.pool(app, POOL_SIZE, CONNECTION_TIMEOUT);
                Upstreams upstreams = Upstreams.builder().build()) {
            Upstream db = register(upstreams, b -> b.interruptPolicy(InterruptPolicy.ALWAYS));

            SleepStorm.Result storm = SleepStorm.run(db, work.sleep(pool, true), CALLERS, CALLS_EACH);
            long stormEnded = System.nanoTime();

            assertThat(Duration.ofMillis(storm.maxMillis())).as("slowest caller").isLessThan(ATTEMPT_TIMEOUT.plus(MARGIN));
            int running = EmbeddedPg.pollUntil(() -> pg.running(app, "SELECT pg_sleep"), n -> n == 0, Duration.ofSeconds(1));
            long checkedAfter = (System.nanoTime() - stormEnded) / 1_000_000;
            assertThat(selectOne(db, pool)).as("SELECT 1 right after").isEqualTo(1);
            EmbeddedPg.pollUntil(work.nanos::size, n -> n >= storm.ran(), Duration.ofSeconds(3));
            Figures.print("recipe, InterruptPolicy.ALWAYS", "calls=%d slowest caller=%d ms outcomes=%s; work: slowest=%d ms endings=%s;"
                    + " running statements=%d (checked %d ms after the last call); server connections=%d; pool %s",
                    CALLS, storm.maxMillis(), storm.outcomes(), work.slowestMillis(), work.endingCounts(), running, checkedAfter,
                    pg.connections(app), SleepStorm.describe(pool));
        } finally {
            pg.terminate(app);
        }
    }

    /**
     * The same calls without an abandon action, as every call was before {@code onAbandon}: the default
     * policy interrupts the attempt thread, which does not stop the statement. This shows the scenario tells
     * the two apart: some work outlives its call by more than the work bound, or is still running on the
     * server 1 s after the last call.
     */
    @Test
    void withoutAnAbandonActionTheWorkOutlivesItsCall() throws Exception {
        String app = "levee-abandon-none";
        Work work = new Work();
        try (HikariDataSource pool = pg.pool(app, POOL_SIZE, CONNECTION_TIMEOUT);
                Upstreams upstreams = Upstreams.builder().build()) {
            Upstream db = register(upstreams, b -> b);

            SleepStorm.Result storm = SleepStorm.run(db, work.sleep(pool, false), CALLERS, CALLS_EACH);
            long stormEnded = System.nanoTime();

            assertThat(Duration.ofMillis(storm.maxMillis())).as("slowest caller").isLessThan(ATTEMPT_TIMEOUT.plus(MARGIN));
            int running = EmbeddedPg.pollUntil(() -> pg.running(app, "SELECT pg_sleep"), n -> n == 0, Duration.ofSeconds(1));
            long checkedAfter = (System.nanoTime() - stormEnded) / 1_000_000;
            EmbeddedPg.pollUntil(work.nanos::size, n -> n >= storm.ran(), Duration.ofSeconds(3));
            Figures.print("no abandon action (before onAbandon)", "calls=%d slowest caller=%d ms outcomes=%s; work: slowest=%d ms endings=%s;"
                    + " running statements=%d (checked %d ms after the last call); server connections=%d; pool %s",
                    CALLS, storm.maxMillis(), storm.outcomes(), work.slowestMillis(), work.endingCounts(), running, checkedAfter,
                    pg.connections(app), SleepStorm.describe(pool));
            assertThat(work.slowestMillis() >= WORK_BOUND.toMillis() || running > 0)
                    .as("work outlived its call (slowest work %d ms) or was left running (%d statements)", work.slowestMillis(), running)
                    .isTrue();
        } finally {
            pg.terminate(app);
        }
    }
}
