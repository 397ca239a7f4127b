package dev.levee.functional;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.levee.CallOptions;
import dev.levee.DeadlineExceededException;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamSpec;
import dev.levee.spi.RetryRefusal;
import dev.levee.testing.ManualTimeSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Retry-After} over real HTTP, measured exactly: synchronous retries sleep on the upstream's
 * {@link ManualTimeSource}, so the test reads how long each retry waited instead of waiting itself. (The
 * asynchronous path waits on the real scheduler; {@link HttpCallPathTest} checks it with real time.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RetryAfterOverHttpTest extends PricingOverHttp {

    static final Duration DEADLINE = Duration.ofSeconds(3);
    static final Duration MAX_BACKOFF = Duration.ofMillis(20);

    final ManualTimeSource time = new ManualTimeSource();
    private Upstream register(CallMode mode) {
        return upstreams.register(UpstreamSpec.named(UPSTREAM)
                .timeoutMode(mode.timeoutMode)
                .timeSource(time)
                .attemptTimeout(Duration.ofSeconds(2))
                .deadline(DEADLINE)
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(5), 2.0).maxBackoff(MAX_BACKOFF))
                .build());
    }

    /** The upstream answers with {@code first} for its first {@code times} requests, then with a price. */
    private static void respondThenRecover(ResponseDefinitionBuilder first, int times) {
        String state = STARTED;
        for (int i = 1; i <= times; i++) {
            String next = "after-" + i;
            wm.stubFor(get(urlPathEqualTo(PATH)).inScenario("recovering").whenScenarioStateIs(state)
                    .willReturn(first).willSetStateTo(next));
            state = next;
        }
        wm.stubFor(get(urlPathEqualTo(PATH)).inScenario("recovering").whenScenarioStateIs(state).willReturn(okJson(GOOD_BODY)));
    }

    @ParameterizedTest
    @EnumSource(names = {"SYNC_ENFORCED", "SYNC_COOPERATIVE"})
    void eachRetryWaitsTheHintWhenItIsLongerThanTheBackoff(CallMode mode) {
        Upstream pricing = register(mode);
        respondThenRecover(status(503).withHeader("Retry-After", "1"), 2);

        CallMode.Result<Price> r = mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.idempotent());

        assertThat(r.value()).isEqualTo(GOOD_PRICE);
        wm.verify(exactly(3), getRequestedFor(urlPathEqualTo(PATH)));
        // Two retries, each waiting the hint of 1 s (the backoff, at most 20 ms, is shorter), rounded up to 1 ms.
        assertThat(time.slept()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(2).plusMillis(2));
        assertThat(observers.of(UPSTREAM).attemptOutcomes()).containsExactly(Outcome.FAILURE, Outcome.FAILURE, Outcome.SUCCESS);
    }

    @ParameterizedTest
    @EnumSource(names = {"SYNC_ENFORCED", "SYNC_COOPERATIVE"})
    void withoutAHintTheRetryWaitsOnlyTheBackoff(CallMode mode) {
        Upstream pricing = register(mode);
        respondThenRecover(status(429), 2);

        CallMode.Result<Price> r = mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.idempotent());

        assertThat(r.value()).isEqualTo(GOOD_PRICE);
        wm.verify(exactly(3), getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(time.slept()).isPositive().isLessThanOrEqualTo(MAX_BACKOFF.multipliedBy(2).plusMillis(2));
    }

    /**
     * The retry's wait must end before the deadline: with no time passing during the attempt, a hint of 2 s
     * leaves room within the 3 s deadline, a hint of 3 s does not. A refused retry ends the call as
     * {@link Outcome#DEADLINE_EXCEEDED} with the 429 as cause, without waiting at all.
     */
    @ParameterizedTest
    @EnumSource(names = {"SYNC_ENFORCED", "SYNC_COOPERATIVE"})
    void aRetryWhoseWaitWouldReachTheDeadlineIsNotMade(CallMode mode) {
        Upstream pricing = register(mode);
        respondThenRecover(status(429).withHeader("Retry-After", "2"), 1);
        assertThat(mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.idempotent()).value()).isEqualTo(GOOD_PRICE);
        assertThat(time.slept()).isEqualTo(Duration.ofSeconds(2));
        assertThat(observers.of(UPSTREAM).refusals).isEmpty();

        wm.resetAll();
        observers.of(UPSTREAM).clear();
        Duration sleptBefore = time.slept();
        respondThenRecover(status(429).withHeader("Retry-After", "3"), 1);

        CallMode.Result<Price> r = mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.idempotent());

        assertThat(r.failure()).isInstanceOfSatisfying(DeadlineExceededException.class, e -> {
            assertThat(e.outcome()).isEqualTo(Outcome.DEADLINE_EXCEEDED);
            assertThat(e.deadline()).isEqualTo(DEADLINE);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.getCause()).isInstanceOfSatisfying(UpstreamFailureException.class, f -> {
                assertThat(f.reason()).isEqualTo("http 429");
                assertThat(f.retryAfter()).contains(Duration.ofSeconds(3));
            });
        });
        assertThat(time.slept()).as("slept for the refused retry").isEqualTo(sleptBefore);
        wm.verify(exactly(1), getRequestedFor(urlPathEqualTo(PATH)));
        RecordingObserver o = observers.of(UPSTREAM);
        assertThat(o.refusals).containsExactly(RetryRefusal.DEADLINE);
        assertThat(o.attemptOutcomes()).containsExactly(Outcome.FAILURE);
        assertThat(o.onlyCall().outcome()).isEqualTo(Outcome.DEADLINE_EXCEEDED);
        assertThat(o.onlyCall().attempts()).isEqualTo(1);
    }
}
