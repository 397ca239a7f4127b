package dev.levee.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asynchronous calls feed the same meters as synchronous ones: timeouts, retries and cancellations. */
class AsyncMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Upstreams upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();

    @AfterEach
    void tearDown() {
        upstreams.close();
    }

    private Map<String, Long> calls(String upstream) {
        Map<String, Long> m = new TreeMap<>();
        for (Timer t : registry.find(LeveeMeters.CALLS).tag("upstream", upstream).timers()) {
            m.put(t.getId().getTag("outcome") + "/" + t.getId().getTag("fallback"), t.count());
        }
        return m;
    }

    private Map<String, Double> attempts(String upstream) {
        Map<String, Double> m = new TreeMap<>();
        for (Counter c : registry.find(LeveeMeters.ATTEMPTS).tag("upstream", upstream).counters()) {
            m.put(c.getId().getTag("kind") + "/" + c.getId().getTag("outcome"), c.count());
        }
        return m;
    }

    @Test
    void scheduledTimeoutIsCountedAndTheAbandonedFutureCancelled() throws Exception {
        Upstream u = upstreams.register(UpstreamSpec.named("slowpoke").attemptTimeout(Duration.ofMillis(50)).build());
        CompletableFuture<String> never = new CompletableFuture<>();
        String timedOut = u.callAsync(ctx -> never, Adapter.<String>identity(),
                CallOptions.<String>defaults().withFallback(e -> "fb:" + e.outcome().tag())).get(10, TimeUnit.SECONDS);
        assertThat(timedOut).isEqualTo("fb:timeout");
        assertThat(never).isCancelled();
        assertThat(calls("slowpoke")).containsOnly(entry("timeout/true", 1L));
        assertThat(attempts("slowpoke")).containsOnly(entry("first/timeout", 1.0));
        assertThat(u.inFlight()).isZero();
    }

    @Test
    void retriesAndCancellationsAreCounted() throws Exception {
        Upstream u = upstreams.register(UpstreamSpec.named("async").attemptTimeout(Duration.ofSeconds(5))
                .deadline(Duration.ofSeconds(10))
                .retry(r -> r.exponentialBackoff(Duration.ofMillis(1), 1.0).jitter(0)).build());

        // An idempotent call whose first attempt fails and whose retry succeeds.
        String retried = u.callAsync(ctx -> ctx.attempt() == 1
                ? CompletableFuture.<String>failedFuture(new IOException("reset"))
                : CompletableFuture.completedFuture("second"), Adapter.<String>identity(), CallOptions.<String>idempotent())
                .get(10, TimeUnit.SECONDS);
        assertThat(retried).isEqualTo("second");

        // The caller cancels a call whose attempt is in flight.
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> call = u.callAsync(ctx -> pending);
        assertThat(u.inFlight()).isEqualTo(1);
        assertThat(registry.get(LeveeMeters.IN_FLIGHT).tag("upstream", "async").gauge().value()).isEqualTo(1.0);
        call.cancel(true);
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(pending).isCancelled();
        PrometheusScrapeTest.awaitTrue(() -> attempts("async").containsKey("first/cancelled"), Duration.ofSeconds(10));

        assertThat(calls("async")).containsOnly(entry("success/false", 1L), entry("cancelled/false", 1L));
        assertThat(attempts("async")).containsOnly(entry("first/failure", 1.0), entry("retry/success", 1.0),
                entry("first/cancelled", 1.0));
        assertThat(u.inFlight()).isZero();
        assertThat(registry.get(LeveeMeters.IN_FLIGHT).tag("upstream", "async").gauge().value()).isZero();
    }
}
