package dev.levee;

import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.observation.ObservationRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Context propagation and observations add nothing where they have nothing to do: a successful
 * {@link TimeoutMode#COOPERATIVE} call allocates no more with propagation on (and an MDC to carry) than
 * with it off, since it runs wholly on its caller's thread, and no more with an observation registry that
 * has no handler than without one. Measured against each other rather than against zero: what the call
 * path allocates otherwise (resilience4j's accounting, say) depends on how far the JIT inlined it.
 */
class HotPathAllocationTest {

    private static final int ROUNDS = 12;
    private static final int PER_ROUND = 20_000;
    private static final UpstreamCall<String> OK = ctx -> "ok";

    @AfterEach
    void clear() {
        MDC.clear();
    }

    /**
     * Bytes allocated on this thread per successful call of each upstream: the least of several rounds,
     * alternating between the two so that both are measured with the same compiled code.
     */
    private static double[] bytesPerCall(Upstreams.Builder first, Upstreams.Builder second) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count a thread's allocations");
        long id = Thread.currentThread().getId();
        MDC.put("requestId", "req-1");
        try (Upstreams a = first.healthCheckInterval(Duration.ZERO).build();
                Upstreams b = second.healthCheckInterval(Duration.ZERO).build()) {
            Upstream[] upstreams = {
                a.register(spec("hot").timeoutMode(TimeoutMode.COOPERATIVE).build()),
                b.register(spec("hot").timeoutMode(TimeoutMode.COOPERATIVE).build())};
            double[] least = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int round = 0; round < ROUNDS; round++) {
                for (int which = 0; which < 2; which++) {
                    long before = threads.getThreadAllocatedBytes(id);
                    for (int i = 0; i < PER_ROUND; i++) {
                        upstreams[which].call(OK);
                    }
                    long bytes = threads.getThreadAllocatedBytes(id) - before;
                    least[which] = Math.min(least[which], (double) bytes / PER_ROUND);
                }
            }
            return least;
        }
    }

    @Test
    void aCooperativeCallCapturesNothingEvenWithAnMdcToCarry() {
        double[] bytes = bytesPerCall(Upstreams.builder().contextPropagation(false), Upstreams.builder());

        assertThat(bytes[1]).as("bytes per call with propagation on, vs %s with it off", bytes[0]).isLessThanOrEqualTo(bytes[0] + 2);
    }

    @Test
    void anObservationRegistryWithoutHandlersAddsNothing() {
        double[] bytes = bytesPerCall(Upstreams.builder(), Upstreams.builder().observationRegistry(ObservationRegistry.create()));

        assertThat(bytes[1]).as("bytes per call with a registry without handlers, vs %s without one", bytes[0])
                .isLessThanOrEqualTo(bytes[0] + 2);
    }

    @Test
    void theMeasureSeesWhatObservationsAllocate() {
        ObservationRegistry observing = ObservationRegistry.create();
        observing.observationConfig().observationHandler(context -> true); // a handler that keeps nothing

        double[] bytes = bytesPerCall(Upstreams.builder(), Upstreams.builder().observationRegistry(observing));

        assertThat(bytes[1] - bytes[0]).as("bytes per call that observing adds: proof this test sees an allocation")
                .isGreaterThan(100);
    }
}
