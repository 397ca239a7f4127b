package dev.levee.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.HealthState;
import dev.levee.Upstream;
import dev.levee.UpstreamHealth;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A scrape reads health and circuit state with no side effect: no transition noticed, no listener called. */
class HealthGaugeTest {

    @Test
    void readingTheGaugesNoticesNothingAndCallsNoListener() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<HealthState> heard = new CopyOnWriteArrayList<>();
        try (Upstreams upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO)
                .healthListener((UpstreamHealth previous, UpstreamHealth next) -> heard.add(next.state())).build()) {
            Upstream u = upstreams.register(UpstreamSpec.named("scraped").build());
            u.unwrap(CircuitBreaker.class).transitionToOpenState(); // by hand: Levee notices it at the next call or read

            for (int scrape = 0; scrape < 3; scrape++) {
                assertThat(registry.get(LeveeMeters.HEALTH).gauge().value()).as("the gauge shows the live state").isZero();
                assertThat(registry.get(LeveeMeters.CIRCUIT_STATE).tag("state", "open").gauge().value()).isEqualTo(1.0);
            }
            assertThat(heard).as("listener calls from scrapes").isEmpty();
            assertThat(registry.find(LeveeMeters.CIRCUIT_TRANSITIONS).counters()).as("transitions noticed by scrapes").isEmpty();

            assertThat(u.health().state()).isEqualTo(HealthState.UNAVAILABLE); // an explicit read notices it, once
            assertThat(heard).containsExactly(HealthState.UNAVAILABLE);
            assertThat(registry.get(LeveeMeters.CIRCUIT_TRANSITIONS).tag("from", "closed").tag("to", "open").counter().count())
                    .isEqualTo(1.0);
        }
    }
}
