package dev.levee.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.spi.UpstreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real PostgreSQL stopped under 8 callers calling back to back, with the default circuit breaker: the
 * circuit opens within the detection target, the fallback answers while it is open, and once a server is
 * back on the same port the circuit closes again. Time here is real time: the server's stop and start are.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JdbcOutageTest {

    static final String APP = "levee-outage";
    static final int CALLERS = 8;
    static final int FALLBACK = -1;
    /** Issue 9's detection target for closed-loop callers: a few consecutive failed attempts, well within this. */
    static final Duration DETECTION_TARGET = Duration.ofSeconds(2);
    static final int SUCCESSES_BEFORE_OUTAGE = 2_000;
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(300);
    /** What a caller may take beyond its attempt timeout: the hand-off and wake-up on a loaded 2-core machine. */
    static final Duration MARGIN = Duration.ofMillis(700);

    static EmbeddedPg pg;

    @BeforeAll
    static void startServer() {
        pg = EmbeddedPg.start();
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    /** Circuit transitions with the time they happened. */
    static final class Transitions implements UpstreamObserver {
        record Change(CircuitState to, long atNanos) { }

        final List<Change> changes = new CopyOnWriteArrayList<>();

        @Override
        public void onCircuitStateChange(CircuitState from, CircuitState to) {
            changes.add(new Change(to, System.nanoTime()));
        }

        long firstAt(CircuitState state, long after) {
            return changes.stream().filter(c -> c.to() == state && c.atNanos() >= after).mapToLong(Change::atNanos).min().orElse(-1);
        }
    }

    @Test
    void theDefaultBreakerOpensWithinTheTargetTheFallbackAnswersAndTheCircuitClosesOnceTheServerIsBack() throws Exception {
        Transitions transitions = new Transitions();
        try (HikariDataSource pool = pg.pool(APP, 10, Duration.ofMillis(250));
                Upstreams upstreams = Upstreams.builder().observer(u -> transitions).build()) {
            // Defaults everywhere but the attempt timeout: the breaker is the one the README promises.
            Upstream db = upstreams.register(UpstreamSpec.named("orders-db").attemptTimeout(ATTEMPT_TIMEOUT).build());
            Map<Outcome, AtomicLong> fallbacks = new ConcurrentHashMap<>();
            CallOptions<Integer> counted = CallOptions.<Integer>defaults().withFallback(e -> {
                fallbacks.computeIfAbsent(e.outcome(), o -> new AtomicLong()).incrementAndGet();
                return FALLBACK;
            });
            AtomicLong slowest = new AtomicLong();
            AtomicLong answered = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
            try {
                for (int t = 0; t < CALLERS; t++) {
                    callers.execute(() -> {
                        // bounded: the test's timeout ends it at the latest, and the count below
                        for (long i = 0; i < 10_000_000 && !stop.get(); i++) {
                            long start = System.nanoTime();
                            int v = db.call(ctx -> JdbcRecipe.query(ctx, pool, "SELECT 1", r -> r.next() ? r.getInt(1) : 0),
                                    Adapter.identity(), counted);
                            slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                            if (v != FALLBACK) {
                                answered.incrementAndGet();
                            }
                            // 1 ms of think time: 8 threads answered by a fallback in microseconds would
                            // otherwise spin on the 2 cores the server has to restart on.
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                }
                // The breaker's window fills with fast successes first, as in production: a rate alone
                // cannot see the outage behind them.
                assertThat(waitFor(() -> answered.get() >= SUCCESSES_BEFORE_OUTAGE, Duration.ofSeconds(15)))
                        .as("calls answered before the outage").isTrue();
                long beforeStop = answered.get();

                long stoppedAt = System.nanoTime();
                pg.stopServer();
                long stopTook = System.nanoTime() - stoppedAt;
                assertThat(waitFor(() -> db.circuitState() == CircuitState.OPEN, Duration.ofSeconds(35)))
                        .as("circuit opens after the server stopped").isTrue();
                long openedAt = transitions.firstAt(CircuitState.OPEN, stoppedAt);
                long timeToOpen = openedAt - stoppedAt;
                Figures.print("outage", "answered before the stop=%d, stop took %d ms, time to open=%d ms, fallbacks by outcome=%s, slowest call=%d ms",
                        beforeStop, stopTook / 1_000_000, timeToOpen / 1_000_000, fallbacks,
                        slowest.get() / 1_000_000);
                assertThat(Duration.ofNanos(timeToOpen)).as("time from the server's stop to the circuit opening").isLessThan(DETECTION_TARGET);

                // While open, the fallback answers at once and nothing waits on the dead server.
                assertThat(waitFor(() -> fallbacks.getOrDefault(Outcome.CIRCUIT_OPEN, new AtomicLong()).get() >= 100, Duration.ofSeconds(5)))
                        .as("fallbacks answering rejected calls while open").isTrue();

                long restartAt = System.nanoTime();
                pg.startServerAgain();
                long restartTook = System.nanoTime() - restartAt;
                Duration closeBound = upstreams.get("orders-db").spec().circuitBreaker().waitInOpenState().plusSeconds(10);
                assertThat(waitFor(() -> db.circuitState() == CircuitState.CLOSED, closeBound)).as("circuit closes once the server is back").isTrue();
                long closedAt = transitions.firstAt(CircuitState.CLOSED, restartAt);
                long answeredAtClose = answered.get();
                assertThat(waitFor(() -> answered.get() >= answeredAtClose + 100, Duration.ofSeconds(5))).as("calls answered by the server again").isTrue();
                Figures.print("outage", "restart took %d ms, open to closed=%d ms, restart to closed=%d ms, slowest call=%d ms, fallbacks by outcome=%s",
                        restartTook / 1_000_000, (closedAt - openedAt) / 1_000_000,
                        (closedAt - restartAt) / 1_000_000, slowest.get() / 1_000_000, fallbacks);
            } finally {
                stop.set(true);
                callers.shutdown();
                assertThat(callers.awaitTermination(5, TimeUnit.SECONDS)).as("callers stopped").isTrue();
            }
            assertThat(Duration.ofNanos(slowest.get())).as("slowest call, outage included").isLessThan(ATTEMPT_TIMEOUT.plus(MARGIN));
        }
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code within} has passed; never a fixed sleep. */
    static boolean waitFor(BooleanSupplier condition, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        for (int i = 0; i < 1_000_000; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= end) {
                return false;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
