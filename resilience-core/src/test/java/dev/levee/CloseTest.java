package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.spi.UpstreamObserver;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Regression: an asynchronous call in flight when the registry closes used to never complete. */
class CloseTest {

    @Test
    void closingCancelsAsyncCallsInFlightAndGivesTheirPermitsBack() throws Exception {
        AtomicInteger cancelledCalls = new AtomicInteger();
        Upstreams upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO)
                .observer(u -> new UpstreamObserver() {
                    @Override
                    public void onCall(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) {
                        if (outcome == Outcome.CANCELLED) {
                            cancelledCalls.incrementAndGet();
                        }
                    }
                })
                .build();
        Upstream u = upstreams.register(UpstreamSpec.named("closing").attemptTimeout(Duration.ofSeconds(30))
                .deadline(Duration.ofSeconds(30)).circuitBreaker(b -> b.timeWindow(Duration.ofSeconds(60))).build());
        CompletableFuture<String> upstreamWork = new CompletableFuture<>();
        CompletableFuture<String> call = u.callAsync(ctx -> upstreamWork);
        assertThat(u.inFlight()).isEqualTo(1);

        upstreams.close();

        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(upstreamWork).isCancelled();
        assertThat(u.inFlight()).isZero();
        assertThat(cancelledCalls).hasValue(1);
    }

    @Test
    void callsAfterCloseAreRejectedWithoutTouchingTheUpstreamInEveryMode() {
        Upstreams upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).build();
        Upstream cooperative = upstreams.register(UpstreamSpec.named("cooperative").timeoutMode(TimeoutMode.COOPERATIVE).build());
        Upstream enforced = upstreams.register(UpstreamSpec.named("enforced").build());
        upstreams.close();
        AtomicInteger invoked = new AtomicInteger();
        for (Upstream u : new Upstream[] {cooperative, enforced}) {
            assertThatThrownBy(() -> u.call(ctx -> invoked.incrementAndGet()))
                    .isInstanceOfSatisfying(UpstreamRejectedException.class, e -> {
                        assertThat(e.outcome()).isEqualTo(Outcome.CLOSED);
                        assertThat(e).hasMessage("upstream '" + u.name() + "': rejected, upstreams closed");
                    });
            assertThatThrownBy(() -> u.callAsync(ctx -> CompletableFuture.completedFuture(invoked.incrementAndGet())).join())
                    .cause().isInstanceOfSatisfying(UpstreamRejectedException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.CLOSED));
        }
        assertThat(invoked).hasValue(0);
    }
}
