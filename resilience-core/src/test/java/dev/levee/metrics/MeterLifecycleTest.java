package dev.levee.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.ContractViolationException;
import dev.levee.Expectation;
import dev.levee.Outcome;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamRejectedException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.spi.RetryRefusal;
import dev.levee.spi.UpstreamObserver;
import dev.levee.testing.ManualTimeSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Without a registry nothing is recorded anywhere; closing removes every Levee meter and only those. */
class MeterLifecycleTest {

    /** Makes one call of every kind that creates a meter: success, retried failure, refusals, violation, rejection. */
    private static void exercise(Upstream u) {
        String ok = u.call(ctx -> "ok");
        assertThat(ok).isEqualTo("ok");
        assertThatThrownBy(() -> u.call(ctx -> {
            throw new IOException("down");
        }, Adapter.identity(), CallOptions.idempotent())).isInstanceOf(UpstreamFailureException.class);
        Adapter<String, String> strict = new Adapter<>() {
            @Override
            public String translate(String s) {
                return s;
            }

            @Override
            public List<Expectation<? super String>> expectations() {
                return List.of(Expectation.of("has-id", s -> s.startsWith("id:")));
            }
        };
        assertThatThrownBy(() -> u.call(ctx -> "no id", strict)).isInstanceOf(ContractViolationException.class);
        // The window holds 1 success and 3 failures: a 4th failure fills it at 80% and opens the circuit.
        assertThatThrownBy(() -> u.call(ctx -> {
            throw new IOException("down");
        })).isInstanceOf(UpstreamFailureException.class);
        assertThat(u.call(ctx -> "x", Adapter.identity(), CallOptions.<String>defaults().withFallback(e -> "fb"))).isEqualTo("fb");
        assertThatThrownBy(() -> u.call(ctx -> "x")).isInstanceOf(UpstreamRejectedException.class);
    }

    private static UpstreamSpec spec(String name) {
        return UpstreamSpec.named(name).timeSource(new ManualTimeSource()).timeoutMode(TimeoutMode.COOPERATIVE)
                .retry(r -> r.maxAttempts(2))
                .circuitBreaker(b -> b.countWindow(5).minimumCalls(5).failureRateThreshold(80))
                .build();
    }

    @Test
    void withoutARegistryNothingIsRecordedAnywhere() {
        SimpleMeterRegistry neverGiven = new SimpleMeterRegistry();
        int globalBefore = Metrics.globalRegistry.getMeters().size();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Upstreams upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO)
                .observer(up -> new UpstreamObserver() {
                    @Override
                    public void onCall(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) {
                        seen.add(up.name() + " " + outcome.tag() + " " + fallbackUsed + " " + attempts);
                    }
                })
                .build()) {
            Upstream u = upstreams.register(spec("quiet"));
            exercise(u);
            assertThat(u.circuitState()).isEqualTo(dev.levee.CircuitState.OPEN);
            assertThat(u.health().state()).isEqualTo(dev.levee.HealthState.UNAVAILABLE);
        }
        // The call path ran (an observer saw every call), but no meter exists anywhere.
        assertThat(seen).containsExactly("quiet success false 1", "quiet failure false 2", "quiet contract_violation false 1",
                "quiet failure false 1", "quiet circuit_open true 1", "quiet circuit_open false 1");
        assertThat(neverGiven.getMeters()).isEmpty();
        assertThat(Metrics.globalRegistry.getMeters()).hasSize(globalBefore)
                .noneMatch(m -> m.getId().getName().startsWith(LeveeMeters.PREFIX));
    }

    @Test
    void closingRemovesLeveeMetersAndKeepsTheApplications() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter own = Counter.builder("app.orders").description("the application's own").register(registry);
        own.increment();
        Upstreams upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();
        Upstream a = upstreams.register(spec("alpha"));
        upstreams.register(spec("beta"));
        exercise(a);
        List<Meter> levee = registry.getMeters().stream().filter(m -> m.getId().getName().startsWith(LeveeMeters.PREFIX)).toList();
        // 2 × 12 from registration; alpha's calls: success/false, failure/false, contract_violation/false,
        // circuit_open/true, circuit_open/false; attempts: first × success, failure, contract_violation,
        // circuit_open and retry × failure; one expectation; one transition (closed to open).
        assertThat(levee).hasSize(2 * 12 + 5 + 5 + 1 + 1);
        assertThat(registry.find(LeveeMeters.RETRIES_REFUSED).tag("upstream", "alpha").tag("reason", "budget").counter().count())
                .isZero();
        assertThat(registry.scrape()).contains("levee_calls_seconds_count", "levee_upstream_info", "app_orders_total");

        upstreams.close();

        assertThat(registry.getMeters()).containsExactly(own);
        String after = registry.scrape();
        assertThat(after).doesNotContain("levee").contains("app_orders_total 1.0");
        upstreams.close(); // closing again is harmless
        assertThat(registry.getMeters()).containsExactly(own);
    }

    /**
     * Regression: a call during or after close that met an outcome for the first time registered its meter
     * again, and it stayed in the application's registry for good.
     */
    @Test
    void callsDuringAndAfterCloseLeaveNoMeterBehind() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Upstreams upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();
        Upstream cooperative = upstreams.register(spec("cooperative"));
        Upstream enforced = upstreams.register(UpstreamSpec.named("enforced").timeoutMode(TimeoutMode.ENFORCED).build());
        Upstream async = upstreams.register(UpstreamSpec.named("async").attemptTimeout(Duration.ofSeconds(10))
                .deadline(Duration.ofSeconds(30)).build());
        String ok = cooperative.call(ctx -> "ok");
        assertThat(ok).isEqualTo("ok");
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> inFlight = async.callAsync(ctx -> work); // cancelled by close: a new outcome

        upstreams.close();

        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(registry.getMeters()).isEmpty();
        // A cooperative call runs on the caller's thread, an enforced one needs the stopped attempt threads:
        // whatever they answer after close, they must not put meters back into the application's registry.
        List<String> answers = new ArrayList<>();
        for (Upstream u : List.of(cooperative, enforced)) {
            try {
                answers.add(u.name() + ": " + u.call(ctx -> {
                    throw new IOException("after close");
                }, Adapter.identity(), CallOptions.<String>defaults().withFallback(e -> "fallback after " + e.outcome().tag())));
            } catch (RuntimeException e) {
                answers.add(u.name() + ": " + e.getClass().getSimpleName());
            }
        }
        System.out.println("calls after close answered: " + answers);
        assertThat(answers).hasSize(2);
        assertThat(registry.getMeters()).isEmpty();
    }

    /**
     * Regression: a second Upstreams registering the same upstream name on the same registry silently got the
     * first one's gauges (Micrometer keeps the first registration), and closing the first removed the second's
     * meters while it was still in use.
     */
    @Test
    void oneUpstreamNamePerRegistryAcrossUpstreamsInstances() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Upstreams first = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();
                Upstreams second = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build()) {
            first.register(UpstreamSpec.named("shared").maxConcurrentCalls(3).build());
            assertThatThrownBy(() -> second.register(UpstreamSpec.named("shared").maxConcurrentCalls(7).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("upstream 'shared' already publishes meters to this registry from another Upstreams; "
                            + "close that one first or give this upstream another name");
            assertThat(second.names()).isEmpty();
            assertThat(registry.get(LeveeMeters.BULKHEAD_LIMIT).tag("upstream", "shared").gauge().value()).isEqualTo(3.0);
            Upstream other = second.register(UpstreamSpec.named("other").build());
            first.close();
            assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("upstream")).isEqualTo("other"));
            String ok = other.call(ctx -> "ok");
            assertThat(ok).isEqualTo("ok");
            assertThat(registry.get(LeveeMeters.CALLS).tag("upstream", "other").timer().count()).isEqualTo(1);
            // Once the first is closed, the name is free again.
            Upstream shared = second.register(UpstreamSpec.named("shared").maxConcurrentCalls(7).build());
            assertThat(registry.get(LeveeMeters.BULKHEAD_LIMIT).tag("upstream", "shared").gauge().value()).isEqualTo(7.0);
            assertThat(shared.name()).isEqualTo("shared");
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void refusalCountersExistBeforeAnyRefusal() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Upstreams upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build()) {
            upstreams.register(spec("fresh"));
            for (RetryRefusal r : RetryRefusal.values()) {
                assertThat(registry.get(LeveeMeters.RETRIES_REFUSED).tag("reason", r.name().toLowerCase()).counter().count())
                        .isZero();
            }
            // Only gauges, the two refusal counters and the time not closed exist until a call is made.
            assertThat(registry.getMeters()).hasSize(12);
            assertThat(registry.find(LeveeMeters.CALLS).timers()).isEmpty();
            assertThat(registry.find(LeveeMeters.ATTEMPTS).counters()).isEmpty();
        }
    }
}
