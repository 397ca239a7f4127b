package dev.levee.spring.autoconfigure;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warms Levee's call path before the application reports ready, so that the first real call after startup on a
 * cold JVM is not the one that loads the call path's classes and starts its threads, and times out doing so.
 *
 * <p>It calls a throwaway upstream of its own, in a registry of its own with a private meter registry: the
 * application's upstreams, their circuits, health and meters see nothing of it, and nothing leaves the host.
 * A success, a failure retried, a timeout and a fallback run the classes a real call can need. A failure here
 * only costs the warm-up (logged at DEBUG). Off with {@code levee.warm-up.enabled=false}.
 */
final class WarmUp implements SmartInitializingSingleton {

    static final String NAME = "levee-warm-up";

    private static final Log LOG = LogFactory.getLog(WarmUp.class);

    @Override
    public void afterSingletonsInstantiated() {
        run("the call path", upstreams -> warm(upstreams.get(NAME), upstreams.get(NAME + "-timeout")));
    }

    /**
     * Runs some warm-up work against throwaway upstreams ({@link #NAME}, and {@code NAME-timeout} whose attempts
     * time out after 20 ms), closing them afterwards; a failure is logged at DEBUG, never thrown.
     */
    static void run(String what, Consumer<Upstreams> work) {
        long start = System.nanoTime();
        try (Upstreams upstreams = throwawayUpstreams()) {
            work.accept(upstreams);
            if (LOG.isDebugEnabled()) {
                LOG.debug("Warmed " + what + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Warming " + what + " failed; the first calls will warm it themselves", e);
        }
    }

    /** The observation registry of the warm-up: one handler, so that observations are made, but kept nowhere. */
    static ObservationRegistry observations() {
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(context -> true);
        return observations;
    }

    private static Upstreams throwawayUpstreams() {
        Upstreams upstreams = Upstreams.builder().meterRegistry(new SimpleMeterRegistry()).observationRegistry(observations())
                .healthCheckInterval(Duration.ZERO).build();
        upstreams.register(UpstreamSpec.named(NAME)
                .attemptTimeout(Duration.ofSeconds(2))
                .deadline(Duration.ofSeconds(5))
                .retry(r -> r.maxAttempts(2).exponentialBackoff(Duration.ofMillis(1), 1.0).jitter(0))
                .build());
        upstreams.register(UpstreamSpec.named(NAME + "-timeout")
                .attemptTimeout(Duration.ofMillis(20))
                .deadline(Duration.ofMillis(20))
                .retry(r -> r.maxAttempts(1))
                .build());
        return upstreams;
    }

    private static void warm(Upstream upstream, Upstream timingOut) {
        upstream.call(ctx -> ctx.remaining(), Adapter.identity(), CallOptions.idempotent());
        AtomicInteger attempts = new AtomicInteger();
        upstream.call(ctx -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("warm-up: a failed attempt, retried");
            }
            return "retried";
        }, Adapter.identity(), CallOptions.idempotent());
        timingOut.call(ctx -> {
            Thread.sleep(ctx.remaining().toMillis() + 1_000);
            return "late";
        }, Adapter.identity(), CallOptions.<String>defaults().withFallback(failure -> "fallback"));
    }
}
