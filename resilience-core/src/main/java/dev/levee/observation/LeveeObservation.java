package dev.levee.observation;

import dev.levee.metrics.LeveeMeters;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations Levee makes, their keys and their events. Low-cardinality keys (bounded values, fit for
 * metric tags) are the upstream's configured name, enumerated outcomes and kinds, and {@code error.type};
 * the rest go to spans only. Keys follow the OpenTelemetry semantic conventions where one exists
 * ({@code error.type}, {@code http.request.resend_count}) and otherwise use the tag keys of Levee's meters
 * ({@link LeveeMeters}).
 *
 * <pre>
 * levee.call      upstream, outcome, fallback, error.type | levee.attempts | events retry.scheduled, rejected, fallback
 *  └─ levee.attempt   upstream, outcome, kind, error.type | http.request.resend_count (retries only)
 *      └─ (the client's own observation, such as http.client.requests)
 * </pre>
 *
 * @since 0.2
 */
public enum LeveeObservation implements ObservationDocumentation {

    /**
     * One call, from its start to its end, all its attempts and waits included; stopped before its fallback
     * runs, like the {@code levee.calls} timer. Its parent is the observation current on the caller's thread.
     * A call whose every attempt was rejected, or whose deadline had passed, has no attempt beneath it.
     */
    CALL(DefaultCallObservationConvention.class,
            new KeyName[] {Keys.UPSTREAM, Keys.OUTCOME, Keys.FALLBACK, Keys.ERROR_TYPE},
            new KeyName[] {Keys.ATTEMPTS},
            Events.values()),

    /**
     * One attempt that reached the upstream (admitted by the circuit breaker and the bulkhead), from its
     * hand-off to its classification; a child of its call's observation, and current on the thread that
     * runs the upstream call while it runs. An attempt Levee gave up on (its timeout, the caller's
     * cancellation) is stopped then, with that outcome, even if its work goes on.
     */
    ATTEMPT(DefaultAttemptObservationConvention.class,
            new KeyName[] {Keys.UPSTREAM, Keys.OUTCOME, Keys.KIND, Keys.ERROR_TYPE},
            new KeyName[] {Keys.RESEND_COUNT},
            new Observation.Event[0]);

    private final Class<? extends ObservationConvention<? extends Observation.Context>> defaultConvention;
    private final KeyName[] lowCardinalityKeys;
    private final KeyName[] highCardinalityKeys;
    private final Observation.Event[] events;

    LeveeObservation(Class<? extends ObservationConvention<? extends Observation.Context>> defaultConvention,
            KeyName[] lowCardinalityKeys, KeyName[] highCardinalityKeys, Observation.Event[] events) {
        this.defaultConvention = defaultConvention;
        this.lowCardinalityKeys = lowCardinalityKeys;
        this.highCardinalityKeys = highCardinalityKeys;
        this.events = events;
    }

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
        return defaultConvention;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
        return lowCardinalityKeys.clone();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
        return highCardinalityKeys.clone();
    }

    @Override
    public Observation.Event[] getEvents() {
        return events.clone();
    }

    /** Value of {@code error.type} when there was no error. */
    public static final String NO_ERROR = "none";
    /** Value of {@code outcome} before the observation is stopped (as seen by a long task timer). */
    public static final String UNKNOWN_OUTCOME = "unknown";

    /**
     * The keys of Levee's observations. Which observation has which, and whether as a low-cardinality key
     * (a metric tag as well) or a high-cardinality one (spans only), is listed on each.
     *
     * @since 0.2
     */
    public enum Keys implements KeyName {
        /** Both, low cardinality: the upstream's configured name. */
        UPSTREAM(LeveeMeters.TAG_UPSTREAM),
        /**
         * Both, low cardinality: the {@link dev.levee.Outcome#tag() outcome}; a call's is its last attempt's,
         * or {@code deadline_exceeded}.
         */
        OUTCOME(LeveeMeters.TAG_OUTCOME),
        /** {@link LeveeObservation#CALL}, low cardinality: {@code true} if a fallback supplied the answer, else {@code false}. */
        FALLBACK(LeveeMeters.TAG_FALLBACK),
        /** {@link LeveeObservation#ATTEMPT}, low cardinality: {@code first} for a call's first attempt, {@code retry} for the others. */
        KIND(LeveeMeters.TAG_KIND),
        /**
         * Both, low cardinality: OpenTelemetry's {@code error.type}. {@code none} after a success; the simple
         * class name of the upstream client's exception after a failure or caller fault that had one and
         * reached the caller; else the outcome (such as {@code timeout}, or {@code failure} on a call whose
         * fallback answered).
         */
        ERROR_TYPE("error.type"),
        /** {@link LeveeObservation#CALL}, high cardinality: how many attempts the call made, rejected ones included. */
        ATTEMPTS("levee.attempts"),
        /**
         * {@link LeveeObservation#ATTEMPT}, high cardinality: OpenTelemetry's {@code http.request.resend_count}, 1 on the first
         * retry, 2 on the second; absent on a first attempt.
         */
        RESEND_COUNT("http.request.resend_count") {
            @Override
            public boolean isRequired() {
                return false;
            }
        };

        private final String key;

        Keys(String key) {
            this.key = key;
        }

        @Override
        public String asString() {
            return key;
        }
    }

    /**
     * Events of {@link LeveeObservation#CALL}. A meter handler counts each as {@code levee.call.<event>}.
     *
     * @since 0.2
     */
    public enum Events implements Observation.Event {
        /** An attempt failed and another one is scheduled after the backoff. */
        RETRY_SCHEDULED("retry.scheduled", "retry scheduled"),
        /** An attempt was rejected without reaching the upstream: the circuit is open, the bulkhead full, or the registry closed. */
        REJECTED("rejected", "rejected"),
        /** The call failed and its fallback supplies the answer. */
        FALLBACK("fallback", "fallback used");

        private final String name;
        private final String contextualName;

        Events(String name, String contextualName) {
            this.name = name;
            this.contextualName = contextualName;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getContextualName() {
            return contextualName;
        }
    }
}
