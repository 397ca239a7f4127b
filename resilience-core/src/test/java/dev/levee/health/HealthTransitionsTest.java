package dev.levee.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.Criticality;
import dev.levee.HealthState;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamHealth;
import dev.levee.UpstreamRejectedException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import dev.levee.testing.ManualTimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Health transitions on a manual clock, with background evaluation off: each snapshot's state, reason,
 * since, rates and circuit state; exactly one listener event and one log line per transition, none without.
 */
class HealthTransitionsTest {

    /** One listener event. */
    record Change(UpstreamHealth previous, UpstreamHealth current) {
    }

    private final List<Change> events = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger healthLogger = (Logger) LoggerFactory.getLogger("dev.levee.health");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualTimeSource time = new ManualTimeSource();
    private Upstreams upstreams;

    @BeforeEach
    void setUp() {
        log.start();
        healthLogger.addAppender(log);
        upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).meterRegistry(registry)
                .healthListener((previous, current) -> events.add(new Change(previous, current)))
                .build();
    }

    @AfterEach
    void tearDown() {
        upstreams.close();
        healthLogger.detachAppender(log);
        log.stop();
    }

    private UpstreamSpec.Builder orders() {
        return UpstreamSpec.named("orders").owner("orders-team").criticality(Criticality.CRITICAL).timeSource(time)
                .timeoutMode(TimeoutMode.COOPERATIVE);
    }

    private static String ok(Upstream u) {
        return u.call(ctx -> "ok");
    }

    private static void fail(Upstream u) {
        assertThatThrownBy(() -> u.call(ctx -> {
            throw new IOException("503");
        })).isInstanceOf(UpstreamFailureException.class);
    }

    private double healthGauge(String upstream) {
        return registry.get(LeveeMeters.HEALTH).tag(LeveeMeters.TAG_UPSTREAM, upstream).gauge().value();
    }

    private List<String> logLines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : log.list) {
            lines.add(e.getLevel() + " " + e.getFormattedMessage());
        }
        return lines;
    }

    @Test
    void aRunOfFailuresHalfwayToOpeningIsDegradedAndASuccessEndsIt() {
        Upstream u = upstreams.register(orders().retry(r -> r.maxAttempts(1)).build()); // the default run of 5
        for (int i = 0; i < 100; i++) {
            ok(u);
        }
        fail(u);
        fail(u);
        assertThat(u.health().state()).as("2 failures in a row").isEqualTo(HealthState.HEALTHY);
        fail(u);
        UpstreamHealth degraded = u.health();
        assertThat(degraded.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(degraded.reason()).isEqualTo("3 attempts in a row have failed (the circuit opens at 5)");
        assertThat(degraded.failureRate()).as("the window's rate alone says nothing yet").isLessThan(5f);
        ok(u);
        assertThat(u.health().state()).isEqualTo(HealthState.HEALTHY);
        assertThat(events).extracting(c -> c.current().state()).containsExactly(HealthState.DEGRADED, HealthState.HEALTHY);
    }

    @Test
    void healthyDegradedUnavailableHalfOpenHealthy() {
        Upstream u = upstreams.register(orders()
                .circuitBreaker(b -> b.countWindow(8).minimumCalls(8).failureRateThreshold(50)
                        .waitInOpenState(Duration.ofSeconds(5)).halfOpenProbes(2))
                .build());

        UpstreamHealth h0 = u.health();
        Instant t0 = h0.since();
        assertThat(h0).extracting(UpstreamHealth::upstream, UpstreamHealth::owner, UpstreamHealth::criticality,
                UpstreamHealth::state, UpstreamHealth::reason, UpstreamHealth::circuitState, UpstreamHealth::failureRate,
                UpstreamHealth::slowCallRate, UpstreamHealth::callsInWindow, UpstreamHealth::inFlight,
                UpstreamHealth::maxConcurrentCalls)
                .containsExactly("orders", "orders-team", Criticality.CRITICAL, HealthState.HEALTHY, "healthy",
                        CircuitState.CLOSED, -1f, -1f, 0, 0, 25);
        assertThat(h0.blocksReadiness()).isFalse();
        assertThat(healthGauge("orders")).isEqualTo(2.0);

        // 6 successes, then 2 failures: 25% = half the 50% threshold, the warning level.
        time.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 6; i++) {
            ok(u);
        }
        fail(u);
        fail(u);
        assertThat(events).isEmpty(); // nothing evaluates health on the call path while the circuit stays closed
        assertThat(log.list).isEmpty();
        UpstreamHealth h1 = u.health();
        assertThat(h1.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(h1.reason()).isEqualTo("failure rate 25% has reached the warning level of 25% (the circuit opens at 50%)");
        assertThat(h1.since()).isEqualTo(t0.plusSeconds(1));
        assertThat(h1.failureRate()).isEqualTo(25f);
        assertThat(h1.slowCallRate()).isEqualTo(0f);
        assertThat(h1.callsInWindow()).isEqualTo(8);
        assertThat(h1.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(h1.blocksReadiness()).isFalse();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.previous().state()).isEqualTo(HealthState.HEALTHY);
            assertThat(e.previous().since()).isEqualTo(t0);
            assertThat(e.current()).isEqualTo(h1);
        });
        assertThat(logLines()).containsExactly("INFO Upstream 'orders' is DEGRADED, was HEALTHY: " + h1.reason());
        assertThat(healthGauge("orders")).isEqualTo(1.0);

        // Asking again without a change: the same snapshot, since unchanged even as time moves, nothing told.
        time.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            assertThat(u.health()).isEqualTo(h1);
            assertThat(upstreams.health()).containsExactly(h1);
            assertThat(healthGauge("orders")).isEqualTo(1.0);
        }
        assertThat(events).hasSize(1);
        assertThat(log.list).hasSize(1);

        // Two more failures push the oldest successes out: 4 of 8 = 50%, the circuit opens.
        time.advance(Duration.ofSeconds(1)); // t0 + 3 s
        fail(u);
        assertThat(events).hasSize(1); // 3 of 8: still degraded, and nobody asked
        fail(u);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(events).hasSize(2); // told by the circuit's transition, before anyone asks
        UpstreamHealth h2 = events.get(1).current();
        assertThat(events.get(1).previous()).isEqualTo(h1);
        assertThat(h2.state()).isEqualTo(HealthState.UNAVAILABLE);
        assertThat(h2.reason()).isEqualTo(
                "circuit open: calls are rejected without trying until the wait of 5s has passed and probes succeed");
        assertThat(h2.since()).isEqualTo(t0.plusSeconds(3));
        assertThat(h2.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThat(h2.failureRate()).isEqualTo(50f);
        assertThat(h2.blocksReadiness()).isTrue();
        assertThat(u.health()).isEqualTo(h2);
        assertThat(logLines()).hasSize(2).last().isEqualTo(
                "WARN Upstream 'orders' (critical, owner orders-team) is UNAVAILABLE, was DEGRADED: " + h2.reason());
        assertThat(healthGauge("orders")).isEqualTo(0.0);

        // Rejections while open change nothing.
        time.advance(Duration.ofSeconds(2)); // t0 + 5 s
        assertThatThrownBy(() -> ok(u)).isInstanceOf(UpstreamRejectedException.class);
        assertThat(u.health()).isEqualTo(h2);

        // Past the 5 s wait: still open until a call comes; that call makes it half-open (a probe).
        time.advance(Duration.ofMillis(3_001)); // t0 + 8.001 s, 5.001 s after opening
        assertThat(u.health()).isEqualTo(h2);
        assertThat(events).hasSize(2);
        assertThat(ok(u)).isEqualTo("ok");
        assertThat(u.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(events).hasSize(3);
        UpstreamHealth h3 = events.get(2).current();
        assertThat(events.get(2).previous()).isEqualTo(h2);
        assertThat(h3.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(h3.reason()).isEqualTo("circuit half-open: 2 probe calls are testing whether the upstream recovered");
        assertThat(h3.since()).isEqualTo(t0.plusMillis(8_001));
        assertThat(h3.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(h3.failureRate()).isEqualTo(-1f);
        assertThat(h3.blocksReadiness()).isFalse();
        UpstreamHealth afterProbe = u.health(); // the probe's success is now in the half-open window
        assertThat(afterProbe.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(afterProbe.since()).isEqualTo(h3.since());
        assertThat(afterProbe.callsInWindow()).isEqualTo(1);
        assertThat(logLines()).hasSize(3).last().isEqualTo("INFO Upstream 'orders' is DEGRADED, was UNAVAILABLE: " + h3.reason());
        assertThat(healthGauge("orders")).isEqualTo(1.0);

        // The second probe succeeds: closed, healthy, a fresh window.
        time.advance(Duration.ofSeconds(1)); // t0 + 9.001 s
        assertThat(ok(u)).isEqualTo("ok");
        assertThat(u.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(events).hasSize(4);
        UpstreamHealth h4 = events.get(3).current();
        assertThat(events.get(3).previous().state()).isEqualTo(HealthState.DEGRADED);
        assertThat(events.get(3).previous().since()).isEqualTo(h3.since());
        assertThat(h4).extracting(UpstreamHealth::state, UpstreamHealth::reason, UpstreamHealth::since,
                UpstreamHealth::circuitState, UpstreamHealth::failureRate, UpstreamHealth::callsInWindow)
                .containsExactly(HealthState.HEALTHY, "healthy", t0.plusMillis(9_001), CircuitState.CLOSED, -1f, 0);
        assertThat(u.health()).isEqualTo(h4);
        assertThat(logLines()).hasSize(4).last().isEqualTo("INFO Upstream 'orders' is HEALTHY again, was DEGRADED");
        assertThat(healthGauge("orders")).isEqualTo(2.0);

        // The whole story, once each.
        assertThat(events).extracting(e -> e.previous().state(), e -> e.current().state()).containsExactly(
                tuple(HealthState.HEALTHY, HealthState.DEGRADED),
                tuple(HealthState.DEGRADED, HealthState.UNAVAILABLE),
                tuple(HealthState.UNAVAILABLE, HealthState.DEGRADED),
                tuple(HealthState.DEGRADED, HealthState.HEALTHY));
        assertThat(log.list).extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.INFO, Level.WARN, Level.INFO, Level.INFO);
        for (int i = 0; i < 5; i++) {
            u.health();
            upstreams.health();
        }
        assertThat(events).hasSize(4);
        assertThat(log.list).hasSize(4);
    }

    @Test
    void slowCallsAtHalfTheSlowRateThresholdDegrade() {
        Upstream u = upstreams.register(orders().circuitBreaker(b -> b.countWindow(4).minimumCalls(4)).build());
        ok(u);
        ok(u);
        for (int i = 0; i < 2; i++) {
            String slow = u.call(ctx -> {
                time.advance(Duration.ofMillis(600)); // over the 500 ms slow-call threshold, under the 1 s timeout
                return "slow";
            });
            assertThat(slow).isEqualTo("slow");
        }
        UpstreamHealth h = u.health();
        assertThat(h.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(h.reason()).isEqualTo(
                "slow-call rate 50% (calls over 500ms) has reached the warning level of 50% (the circuit opens at 100%)");
        assertThat(h.failureRate()).isEqualTo(0f);
        assertThat(h.slowCallRate()).isEqualTo(50f);
        assertThat(h.since()).isEqualTo(events.get(0).previous().since().plusMillis(1_200));
        assertThat(logLines()).containsExactly("INFO Upstream 'orders' is DEGRADED, was HEALTHY: " + h.reason());
    }

    @Test
    void failuresThatLeaveTheTimeWindowNoLongerDegrade() {
        Upstream u = upstreams.register(orders()
                .circuitBreaker(b -> b.timeWindow(Duration.ofSeconds(10)).minimumCalls(4)).build());
        ok(u);
        ok(u);
        ok(u);
        fail(u);
        UpstreamHealth degraded = u.health();
        assertThat(degraded.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(degraded.failureRate()).isEqualTo(25f);
        time.advance(Duration.ofSeconds(11)); // no traffic since: the window has emptied
        UpstreamHealth healthy = u.health();
        assertThat(healthy.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(healthy.failureRate()).isEqualTo(-1f);
        assertThat(healthy.callsInWindow()).isZero();
        assertThat(healthy.since()).isEqualTo(degraded.since().plusSeconds(11));
        assertThat(events).hasSize(2);
    }

    @Test
    void forcedOpenAndDisabledCircuitsByAnOperator() {
        Upstream u = upstreams.register(orders().build());
        CircuitBreaker breaker = u.unwrap(CircuitBreaker.class);
        time.advance(Duration.ofSeconds(1));
        breaker.transitionToForcedOpenState();
        UpstreamHealth forced = u.health();
        assertThat(forced.state()).isEqualTo(HealthState.UNAVAILABLE);
        assertThat(forced.reason()).isEqualTo("circuit forced open by hand: every call is rejected until it is closed or reset");
        assertThat(forced.circuitState()).isEqualTo(CircuitState.FORCED_OPEN);
        assertThat(forced.blocksReadiness()).isTrue();
        assertThat(circuitGauges("orders")).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "closed", 0.0, "open", 0.0, "half_open", 0.0, "forced_open", 1.0, "disabled", 0.0));
        assertThatThrownBy(() -> ok(u)).isInstanceOf(UpstreamRejectedException.class);

        time.advance(Duration.ofSeconds(1));
        breaker.transitionToDisabledState();
        UpstreamHealth disabled = u.health();
        assertThat(disabled.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(disabled.circuitState()).isEqualTo(CircuitState.DISABLED);
        assertThat(circuitGauges("orders")).containsEntry("disabled", 1.0).containsEntry("forced_open", 0.0);
        assertThat(ok(u)).isEqualTo("ok");
        assertThat(events).extracting(e -> e.current().state(), e -> e.current().since()).containsExactly(
                tuple(HealthState.UNAVAILABLE, forced.since()), tuple(HealthState.HEALTHY, forced.since().plusSeconds(1)));
        assertThat(log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
    }

    private java.util.Map<String, Double> circuitGauges(String upstream) {
        java.util.Map<String, Double> m = new java.util.TreeMap<>();
        registry.find(LeveeMeters.CIRCUIT_STATE).tag(LeveeMeters.TAG_UPSTREAM, upstream).gauges()
                .forEach(g -> m.put(g.getId().getTag(LeveeMeters.TAG_STATE), g.value()));
        return m;
    }

    @Test
    void aThrowingListenerNeitherBreaksTheCallNorSilencesTheOthers() {
        List<Change> told = new CopyOnWriteArrayList<>();
        try (Upstreams own = Upstreams.builder().healthCheckInterval(Duration.ZERO)
                .healthListener((previous, current) -> {
                    throw new IllegalStateException("listener bug");
                })
                .healthListener((previous, current) -> told.add(new Change(previous, current)))
                .build()) {
            Upstream u = own.register(orders().circuitBreaker(b -> b.countWindow(2).minimumCalls(2)).build());
            fail(u);
            fail(u); // opens the circuit; the transition is told on this call's thread
            assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
            assertThat(told).singleElement().satisfies(c -> assertThat(c.current().state()).isEqualTo(HealthState.UNAVAILABLE));
        }
        assertThat(log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.ERROR);
        assertThat(log.list.get(1).getFormattedMessage()).startsWith("Health listener").endsWith("threw; skipped");
    }

    @Test
    void backgroundEvaluationTellsAChangeNobodyAskedFor() throws Exception {
        CountDownLatch told = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        try (Upstreams background = Upstreams.builder().healthCheckInterval(Duration.ofMillis(100))
                .healthListener((previous, current) -> {
                    threads.add(Thread.currentThread().getName() + " " + current.state());
                    told.countDown();
                })
                .build()) {
            Upstream u = background.register(orders().circuitBreaker(b -> b.countWindow(4).minimumCalls(4)).build());
            ok(u);
            ok(u);
            ok(u);
            fail(u); // 25%: degraded, and the circuit stays closed, so only the scheduler can notice
            assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(threads).singleElement().asString().startsWith("levee-scheduler-").endsWith(" DEGRADED");
        assertThat(log.list).hasSize(1);
    }

    @Test
    void concurrentEvaluationsTellAChangeExactlyOnce() throws Exception {
        Upstream u = upstreams.register(orders().circuitBreaker(b -> b.countWindow(4).minimumCalls(4)).build());
        ok(u);
        ok(u);
        ok(u);
        fail(u); // 25% of 4: degraded, noticed by whoever asks first
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<UpstreamHealth>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    go.await(10, TimeUnit.SECONDS);
                    List<UpstreamHealth> seen = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        seen.add(u.health());
                    }
                    return seen;
                }));
            }
            go.countDown();
            for (Future<List<UpstreamHealth>> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).hasSize(200)
                        .allSatisfy(h -> assertThat(h.state()).isEqualTo(HealthState.DEGRADED));
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.previous().state()).isEqualTo(HealthState.HEALTHY);
            assertThat(e.current().state()).isEqualTo(HealthState.DEGRADED);
        });
        assertThat(log.list).hasSize(1);
    }

    @Test
    void saturatedBulkheadDegradesWhileItLasts() {
        Upstream u = upstreams.register(orders().maxConcurrentCalls(1).build());
        UpstreamHealth[] during = new UpstreamHealth[1];
        time.advance(Duration.ofSeconds(2));
        String value = u.call(ctx -> {
            during[0] = u.health(); // the attempt holds the only permit
            return "ok";
        });
        assertThat(value).isEqualTo("ok");
        assertThat(during[0].state()).isEqualTo(HealthState.DEGRADED);
        assertThat(during[0].reason()).isEqualTo("bulkhead saturated: 1 of 1 concurrent calls in flight; more are rejected");
        assertThat(during[0].inFlight()).isEqualTo(1);
        assertThat(during[0].maxConcurrentCalls()).isEqualTo(1);
        assertThat(during[0].circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(during[0].blocksReadiness()).isFalse(); // critical, but only degraded

        time.advance(Duration.ofSeconds(1));
        UpstreamHealth after = u.health();
        assertThat(after.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(after.inFlight()).isZero();
        assertThat(after.since()).isEqualTo(during[0].since().plusSeconds(1));
        assertThat(events).extracting(e -> e.previous().state(), e -> e.current().state()).containsExactly(
                tuple(HealthState.HEALTHY, HealthState.DEGRADED), tuple(HealthState.DEGRADED, HealthState.HEALTHY));
        assertThat(logLines()).containsExactly(
                "INFO Upstream 'orders' is DEGRADED, was HEALTHY: " + during[0].reason(),
                "INFO Upstream 'orders' is HEALTHY again, was DEGRADED");
    }

    @Test
    void refusedRetryDegradesUntilTheBudgetWindowPasses() {
        Upstream u = upstreams.register(orders()
                .retry(r -> r.budget(0.1, 0, Duration.ofSeconds(2)))
                .build());
        int[] attempts = new int[1];
        assertThatThrownBy(() -> u.call(ctx -> {
            attempts[0]++;
            throw new IOException("503");
        }, Adapter.identity(), CallOptions.idempotent())).isInstanceOf(UpstreamFailureException.class);
        assertThat(attempts[0]).as("the retry was refused").isEqualTo(1);
        assertThat(time.slept()).isZero();
        UpstreamHealth refused = u.health();
        assertThat(refused.state()).isEqualTo(HealthState.DEGRADED);
        assertThat(refused.reason()).isEqualTo(
                "retry budget exhausted: failed calls are no longer retried (at most 10% of calls + 0 per 2s)");
        assertThat(refused.failureRate()).isEqualTo(-1f); // below the breaker's minimum: the budget alone degrades
        assertThat(refused.circuitState()).isEqualTo(CircuitState.CLOSED);

        time.advance(Duration.ofMillis(1_999));
        assertThat(u.health()).isEqualTo(refused); // still within the window: same state, same since
        time.advance(Duration.ofMillis(1));
        UpstreamHealth recovered = u.health();
        assertThat(recovered.state()).isEqualTo(HealthState.HEALTHY);
        assertThat(recovered.since()).isEqualTo(refused.since().plusSeconds(2));
        assertThat(events).hasSize(2);
        assertThat(logLines()).containsExactly(
                "INFO Upstream 'orders' is DEGRADED, was HEALTHY: " + refused.reason(),
                "INFO Upstream 'orders' is HEALTHY again, was DEGRADED");
    }

    @Test
    void onlyACriticalUnavailableUpstreamBlocksReadiness() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (Criticality c : Criticality.values()) {
            for (HealthState s : HealthState.values()) {
                UpstreamHealth h = new UpstreamHealth("x", "team", c, s, now, "r",
                        s == HealthState.UNAVAILABLE ? CircuitState.OPEN : CircuitState.CLOSED, -1, -1, 0, 0, 1);
                assertThat(h.blocksReadiness()).as("%s %s", c, s)
                        .isEqualTo(c == Criticality.CRITICAL && s == HealthState.UNAVAILABLE);
            }
        }
        // The same on live upstreams: both circuits opened by two failures.
        Upstream critical = upstreams.register(orders().name("billing")
                .circuitBreaker(b -> b.countWindow(2).minimumCalls(2)).build());
        Upstream optional = upstreams.register(orders().name("recommendations").criticality(Criticality.OPTIONAL)
                .circuitBreaker(b -> b.countWindow(2).minimumCalls(2)).build());
        for (Upstream u : List.of(critical, optional)) {
            fail(u);
            fail(u);
        }
        assertThat(upstreams.health()).extracting(UpstreamHealth::upstream, UpstreamHealth::state, UpstreamHealth::blocksReadiness)
                .containsExactly(tuple("billing", HealthState.UNAVAILABLE, true),
                        tuple("recommendations", HealthState.UNAVAILABLE, false));
        assertThat(logLines()).containsExactly(
                "WARN Upstream 'billing' (critical, owner orders-team) is UNAVAILABLE, was HEALTHY: "
                        + "circuit open: calls are rejected without trying until the wait of 10s has passed and probes succeed",
                "WARN Upstream 'recommendations' (optional, owner orders-team) is UNAVAILABLE, was HEALTHY: "
                        + "circuit open: calls are rejected without trying until the wait of 10s has passed and probes succeed");
    }

    @Test
    void allUpstreamsInRegistrationOrder() {
        List<String> names = List.of("zeta", "alpha", "mid", "beta");
        for (String n : names) {
            upstreams.register(orders().name(n).owner(n + "-team").maxConcurrentCalls(n.equals("alpha") ? 1 : 5).build());
        }
        assertThat(upstreams.health()).extracting(UpstreamHealth::upstream, UpstreamHealth::owner, UpstreamHealth::state)
                .containsExactly(tuple("zeta", "zeta-team", HealthState.HEALTHY), tuple("alpha", "alpha-team", HealthState.HEALTHY),
                        tuple("mid", "mid-team", HealthState.HEALTHY), tuple("beta", "beta-team", HealthState.HEALTHY));
        Upstream alpha = upstreams.get("alpha");
        List<UpstreamHealth> during = new ArrayList<>();
        String inside = alpha.call(ctx -> {
            during.addAll(upstreams.health()); // alpha's only permit is held
            return "ok";
        });
        assertThat(inside).isEqualTo("ok");
        assertThat(during).extracting(UpstreamHealth::upstream, UpstreamHealth::state, UpstreamHealth::maxConcurrentCalls)
                .containsExactly(tuple("zeta", HealthState.HEALTHY, 5), tuple("alpha", HealthState.DEGRADED, 1),
                        tuple("mid", HealthState.HEALTHY, 5), tuple("beta", HealthState.HEALTHY, 5));
        assertThat(upstreams.health()).extracting(UpstreamHealth::upstream, UpstreamHealth::state)
                .containsExactly(tuple("zeta", HealthState.HEALTHY), tuple("alpha", HealthState.HEALTHY),
                        tuple("mid", HealthState.HEALTHY), tuple("beta", HealthState.HEALTHY));
        assertThat(upstreams.names()).containsExactlyElementsOf(names);
        assertThat(events).extracting(e -> e.current().upstream(), e -> e.current().state())
                .containsExactly(tuple("alpha", HealthState.DEGRADED), tuple("alpha", HealthState.HEALTHY));
        assertThat(log.list).hasSize(2);
    }
}
