package dev.levee.internal;

import dev.levee.Outcome;
import dev.levee.observation.AttemptObservationContext;
import dev.levee.observation.CallObservationContext;
import dev.levee.observation.DefaultAttemptObservationConvention;
import dev.levee.observation.DefaultCallObservationConvention;
import dev.levee.observation.LeveeObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The observations of one call: the call's, started when the call starts, and the attempt's in flight,
 * started when an attempt is admitted and stopped when it is settled. Only exists when the registry has an
 * observation registry with handlers: without one, a call allocates nothing for observations.
 *
 * <p>An attempt is begun and settled by one thread at a time, handed over with a happens-before edge (an
 * executor, a future's completion), as for {@link Attempt}.
 */
final class CallTrace {

    private static final DefaultCallObservationConvention CALL = new DefaultCallObservationConvention();
    private static final DefaultAttemptObservationConvention ATTEMPT = new DefaultAttemptObservationConvention();

    private final ObservationRegistry registry;
    private final String upstream;
    private final Observation call;
    private final CallObservationContext callContext;
    private volatile @Nullable Observation attempt;
    private volatile @Nullable AttemptObservationContext attemptContext;

    private CallTrace(ObservationRegistry registry, String upstream, Observation call, CallObservationContext callContext) {
        this.registry = registry;
        this.upstream = upstream;
        this.call = call;
        this.callContext = callContext;
    }

    /**
     * Starts the call's observation, a child of the one current on the calling thread; null if the registry
     * has no handler (then nothing would be recorded).
     */
    static @Nullable CallTrace start(@Nullable ObservationRegistry registry, String upstream) {
        if (registry == null || registry.isNoop()) {
            return null;
        }
        CallObservationContext context = new CallObservationContext(upstream);
        Observation call = LeveeObservation.CALL.observation(null, CALL, () -> context, registry).start();
        return new CallTrace(registry, upstream, call, context);
    }

    /**
     * Starts the observation of an admitted attempt, a child of the call's; the caller opens its scope. The
     * call's observation is made current while the attempt's starts: a tracing handler takes the span current
     * on the thread as the parent when it differs from the parent observation's (the caller's span, here).
     */
    Observation attemptStarted(int number) {
        AttemptObservationContext context = new AttemptObservationContext(upstream, number);
        Observation o;
        try (Observation.Scope scope = call.openScope()) {
            o = LeveeObservation.ATTEMPT.observation(null, ATTEMPT, () -> context, registry).start();
        }
        attemptContext = context;
        attempt = o;
        return o;
    }

    /** Stops the attempt's observation, if one is in flight, with how the attempt ended. */
    void attemptEnded(Outcome outcome, @Nullable Throwable failure) {
        Observation o = attempt;
        AttemptObservationContext context = attemptContext;
        if (o == null || context == null) {
            return; // rejected or out of time before it started
        }
        attempt = null;
        attemptContext = null;
        context.ended(outcome);
        if (failure != null) {
            o.error(failure);
        }
        o.stop();
    }

    /** An attempt was rejected without reaching the upstream (possibly after its observation started). */
    void rejected(Outcome outcome, @Nullable Throwable failure) {
        attemptEnded(outcome, failure);
        call.event(LeveeObservation.Events.REJECTED);
    }

    void retryScheduled() {
        call.event(LeveeObservation.Events.RETRY_SCHEDULED);
    }

    /**
     * Stops the call's observation.
     *
     * @param thrown what the caller gets thrown, if anything (not a failure a fallback answers)
     */
    void callEnded(Outcome outcome, int attempts, boolean fallbackUsed, @Nullable Throwable thrown) {
        callContext.ended(outcome, attempts, fallbackUsed);
        if (fallbackUsed) {
            call.event(LeveeObservation.Events.FALLBACK);
        }
        if (thrown != null) {
            call.error(thrown);
        }
        call.stop();
    }

    /** Runs the upstream call of an attempt on this thread, with the attempt's observation current. */
    static <U> U inScope(Observation attempt, dev.levee.UpstreamCall<U> work, dev.levee.CallContext context) throws Exception {
        try (Observation.Scope scope = attempt.openScope()) {
            return work.call(context);
        }
    }
}
