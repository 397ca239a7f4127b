package dev.levee.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.levee.CircuitState;
import dev.levee.TimeSource;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recent events of each upstream: what is recorded, why, when, and that the ring stays bounded. */
class UpstreamEventsTests {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final TimeSource time = nanos::get;
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = Clock.fixed(start, ZoneOffset.UTC);
    private Upstreams upstreams;

    @AfterEach
    void close() {
        if (upstreams != null) {
            upstreams.close();
        }
    }

    private Upstream register(UpstreamEvents events, String name) {
        if (upstreams == null) {
            Upstreams.Builder builder = Upstreams.builder().healthCheckInterval(Duration.ZERO);
            events.customize(builder);
            upstreams = builder.build();
        }
        return upstreams.register(UpstreamSpec.named(name).timeSource(time).timeoutMode(TimeoutMode.COOPERATIVE)
                .circuitBreaker(b -> b.countWindow(4).minimumCalls(4).failureRateThreshold(50)
                        .waitInOpenState(Duration.ofSeconds(30)).halfOpenProbes(1))
                .retry(r -> r.maxAttempts(1))
                .build());
    }

    @Test
    void aCircuitThatOpensProbesAndClosesIsToldWithItsReasonsAndTheHealthChangesBetween() {
        UpstreamEvents events = new UpstreamEvents(20, clock);
        Upstream pricing = openedUntilItsWaitIsOver(events);
        String answer = pricing.call(ctx -> "ok");
        assertThat(answer).isEqualTo("ok");
        assertThat(pricing.circuitState()).isEqualTo(CircuitState.CLOSED);

        List<UpstreamEvent> recent = events.recent("pricing").orElseThrow();
        assertThat(recent).extracting(e -> e.type() + " " + e.from() + "->" + e.to()).containsExactly(
                "CIRCUIT CLOSED->OPEN", "HEALTH HEALTHY->UNAVAILABLE", "CIRCUIT OPEN->HALF_OPEN",
                "HEALTH UNAVAILABLE->DEGRADED", "CIRCUIT HALF_OPEN->CLOSED", "HEALTH DEGRADED->HEALTHY");
        assertThat(circuit(recent, "OPEN").reason())
                .isEqualTo("a trigger fired: failure rate at 50%, slow-call rate at 100% (calls over 500ms)"
                        + circuitSuffix(pricing) + "; calls are rejected for 30s");
        assertThat(circuit(recent, "HALF_OPEN").reason())
                .isEqualTo("the wait of 30s has passed: 1 probe calls test whether the upstream recovered");
        assertThat(circuit(recent, "CLOSED").reason()).isEqualTo("the probe calls succeeded");
        assertThat(recent).filteredOn(e -> e.type() == UpstreamEvent.Type.CIRCUIT).extracting(UpstreamEvent::time)
                .containsOnly(start);
        assertThat(recent).filteredOn(e -> e.type() == UpstreamEvent.Type.HEALTH && e.to().equals("UNAVAILABLE"))
                .singleElement().satisfies(e -> assertThat(e.reason()).startsWith("circuit open"));
    }

    @Test
    void aProbeThatFailsOpensTheCircuitAgain() {
        UpstreamEvents events = new UpstreamEvents(20, clock);
        Upstream pricing = openedUntilItsWaitIsOver(events);
        fail(pricing);
        assertThat(pricing.circuitState()).isEqualTo(CircuitState.OPEN);
        List<UpstreamEvent> recent = events.recent("pricing").orElseThrow();
        assertThat(recent.stream().filter(e -> e.type() == UpstreamEvent.Type.CIRCUIT).toList()).last()
                .satisfies(e -> {
                    assertThat(e.from() + "->" + e.to()).isEqualTo("HALF_OPEN->OPEN");
                    assertThat(e.reason()).isEqualTo("a probe call failed: open again for 30s");
                });
    }

    @Test
    void theRingKeepsTheNewestEventsOfEachUpstreamApart() {
        UpstreamEvents events = new UpstreamEvents(3, clock);
        Upstream pricing = register(events, "pricing");
        Upstream stock = register(events, "stock");
        for (int i = 0; i < 10; i++) {
            pricing.forceCircuitOpen();
            pricing.circuitState();
            pricing.closeCircuit();
            pricing.circuitState();
        }
        stock.forceCircuitOpen();
        stock.circuitState();

        // 40 events: the last cycle's last three are kept
        assertThat(events.recent("pricing").orElseThrow()).extracting(e -> e.type() + " " + e.from() + "->" + e.to())
                .containsExactly("HEALTH HEALTHY->UNAVAILABLE", "CIRCUIT FORCED_OPEN->CLOSED", "HEALTH UNAVAILABLE->HEALTHY");
        assertThat(events.recent("stock").orElseThrow()).extracting(e -> e.type() + " " + e.from() + "->" + e.to())
                .containsExactly("CIRCUIT CLOSED->FORCED_OPEN", "HEALTH HEALTHY->UNAVAILABLE");
        assertThat(events.recent("stock").orElseThrow().get(0).reason()).startsWith("forced open by hand");
        assertThat(events.recent("nobody").orElseThrow()).as("registered later or never: nothing yet").isEmpty();
    }

    @Test
    void withNoRoomOrNoRegistryNothingIsRecorded() {
        UpstreamEvents none = new UpstreamEvents(0, clock);
        register(none, "pricing").forceCircuitOpen();
        upstreams.get("pricing").circuitState();
        assertThat(none.recent("pricing")).isEmpty();
        assertThat(new UpstreamEvents(5).recent("pricing")).as("never attached").isEmpty();
    }

    @Test
    void theSizeIsChecked() {
        assertThatIllegalArgumentException().isThrownBy(() -> new UpstreamEvents(-1))
                .withMessage("perUpstream must be between 0 and 1000, but was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> new UpstreamEvents(1001))
                .withMessage("perUpstream must be between 0 and 1000, but was 1001");
    }

    /** An upstream whose circuit opened and whose wait of 30 s in the open state has just passed. */
    private Upstream openedUntilItsWaitIsOver(UpstreamEvents events) {
        Upstream pricing = register(events, "pricing");
        open(pricing);
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        return pricing;
    }

    /** Fails a window's worth of calls: 4 of 4 at a 50% threshold. */
    private static void open(Upstream upstream) {
        for (int i = 0; i < 4; i++) {
            fail(upstream);
        }
        assertThat(upstream.circuitState()).isEqualTo(CircuitState.OPEN);
    }

    private static void fail(Upstream upstream) {
        assertThatExceptionOfType(UpstreamException.class).isThrownBy(() -> upstream.call(ctx -> {
            throw new IOException("down");
        }));
    }

    private static UpstreamEvent circuit(List<UpstreamEvent> events, String to) {
        return events.stream().filter(e -> e.type() == UpstreamEvent.Type.CIRCUIT && e.to().equals(to)).findFirst().orElseThrow();
    }

    private static String circuitSuffix(Upstream upstream) {
        int run = upstream.spec().circuitBreaker().consecutiveFailures();
        return run > 0 ? " or " + run + " failed attempts in a row" : "";
    }
}
