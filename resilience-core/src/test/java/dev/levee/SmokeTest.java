package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.testing.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmokeTest {

    private final Upstreams upstreams = Upstreams.builder().build();

    @AfterEach
    void close() {
        upstreams.close();
    }

    @Test
    void successFailureRetryAndOpenCircuit() {
        ManualTimeSource time = new ManualTimeSource();
        Upstream u = upstreams.register(UpstreamSpec.named("smoke").timeSource(time)
                .circuitBreaker(b -> b.countWindow(4).minimumCalls(4))
                .build());
        String hello = u.call(ctx -> "hello");
        assertThat(hello).isEqualTo("hello");
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> u.call(ctx -> {
            calls.incrementAndGet();
            throw new IOException("boom");
        }, Adapter.identity(), CallOptions.idempotent())).isInstanceOf(UpstreamFailureException.class)
                .hasMessage("upstream 'smoke': failed (IOException) after 3 attempts");
        assertThat(calls).hasValue(3);
        assertThat(u.circuitState()).isEqualTo(CircuitState.OPEN);
        assertThatThrownBy(() -> u.call(ctx -> "x")).isInstanceOf(UpstreamRejectedException.class);
        assertThat(u.call(ctx -> "x", Adapter.identity(), CallOptions.<String>defaults().withFallback(e -> "fb"))).isEqualTo("fb");
        assertThat(u.callAsync(ctx -> java.util.concurrent.CompletableFuture.completedFuture("y"),
                Adapter.identity(), CallOptions.<String>defaults().withFallback(e -> "afb")).join()).isEqualTo("afb");
        time.advance(Duration.ofSeconds(11));
        String y = u.callAsync(ctx -> java.util.concurrent.CompletableFuture.completedFuture("y")).join();
        assertThat(y).isEqualTo("y");
        assertThat(u.circuitState()).isEqualTo(CircuitState.HALF_OPEN);
    }
}
