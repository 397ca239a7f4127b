package dev.levee.functional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.status;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.HealthState;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Hooks;

/**
 * The DEFAULT spec ({@code UpstreamSpec.named(...).build()}, nothing tuned) under closed-loop load: 8 threads
 * calling back to back through a real HTTP client, first against a healthy upstream (filling the breaker's
 * 30 s window with successes), then against a hard fault. The circuit must open quickly anyway, health must
 * say so, and the callers must then be answered without waiting. Before the run-of-failures trigger, this
 * took about 29 s for a 503 or a reset, and a hang never opened the circuit. Each fault runs through the
 * synchronous, asynchronous and Reactor entry points. CI runs it on JDK 17 and 25.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DefaultsUnderLoadOverHttpTest extends PricingOverHttp {

    static final int CALLERS = 8;

    enum HardFault {
        HTTP_503(() -> status(503), Duration.ofSeconds(2)),
        CONNECTION_RESET(() -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), Duration.ofSeconds(2)),
        // The default attempt timeout is 1 s: five timed-out attempts take a little more than that.
        HANG(() -> okJson(GOOD_BODY).withFixedDelay(10_000), Duration.ofSeconds(4));

        final Supplier<ResponseDefinitionBuilder> response;
        final Duration openWithin;

        HardFault(Supplier<ResponseDefinitionBuilder> response, Duration openWithin) {
            this.response = response;
            this.openWithin = openWithin;
        }
    }

    /** Every fault through the synchronous, asynchronous and Reactor entry points: one call path, one outcome. */
    static Stream<Arguments> faultsAndModes() {
        return Stream.of(CallMode.SYNC_ENFORCED, CallMode.ASYNC, CallMode.REACTOR)
                .flatMap(mode -> Stream.of(HardFault.values()).map(fault -> Arguments.of(fault, mode)));
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("faultsAndModes")
    void eightBusyThreadsWithTheDefaultsOpenTheCircuitSoonAfterAHardFault(HardFault fault, CallMode mode) throws Exception {
        UpstreamSpec defaults = UpstreamSpec.named(UPSTREAM).build();
        assertThat(defaults.circuitBreaker().windowSize()).as("the default 30 s window").isEqualTo(30);
        Upstream pricing = upstreams.register(defaults);
        wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(GOOD_BODY)));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger successes = new AtomicInteger();
        ConcurrentLinkedQueue<Outcome> outcomesAfterOpen = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        // Requests Levee gives up (the hang's timeouts) must not reach Reactor's dropped-error hook, whose default
        // logs each at ERROR: the JDK client fails a cancelled request once more after the cancel.
        ConcurrentLinkedQueue<Throwable> droppedToReactor = new ConcurrentLinkedQueue<>();
        Hooks.onErrorDropped(droppedToReactor::add);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    boolean open = pricing.circuitState() == CircuitState.OPEN;
                    CallMode.Result<Price> r = mode.call(pricing, http, uri, Price.ADAPTER, CallOptions.idempotent());
                    if (r.failure() == null) {
                        successes.incrementAndGet();
                    } else if (r.failure() instanceof UpstreamException e) {
                        if (open) {
                            outcomesAfterOpen.add(e.outcome());
                        }
                    } else {
                        unexpected.add(r.failure());
                    }
                }
            }, "caller-" + i);
            t.setDaemon(true);
            callers.add(t);
            t.start();
        }
        try {
            // Healthy: the window fills with successes (thousands of them on an idle machine).
            awaitUntil(() -> successes.get() >= 500, Duration.ofSeconds(20));
            assertThat(pricing.circuitState()).isEqualTo(CircuitState.CLOSED);

            wm.stubFor(get(urlPathEqualTo(PATH)).willReturn(fault.response.get()));
            long faultAt = System.nanoTime();
            awaitUntil(() -> pricing.circuitState() == CircuitState.OPEN, Duration.ofSeconds(30));
            Duration toOpen = Duration.ofNanos(System.nanoTime() - faultAt);

            assertThat(toOpen).as("time from the fault to an open circuit, defaults, %d busy threads", CALLERS)
                    .isLessThan(fault.openWithin);
            assertThat(pricing.health().state()).isEqualTo(HealthState.UNAVAILABLE);
            awaitUntil(() -> outcomesAfterOpen.size() >= 100, Duration.ofSeconds(10));
            assertThat(outcomesAfterOpen).as("calls made while the circuit was open are rejected, not sent")
                    .contains(Outcome.CIRCUIT_OPEN);
        } finally {
            stop.set(true);
            for (Thread t : callers) {
                t.join(15_000);
            }
            Hooks.resetOnErrorDropped();
        }
        assertThat(unexpected).isEmpty();
        assertThat(droppedToReactor).as("errors dropped to Reactor's hook").isEmpty();
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, Duration atMost) {
        long until = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - until).as("waited %s", atMost).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }
}
