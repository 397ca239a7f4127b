package dev.levee.observation;

import dev.levee.Outcome;
import dev.levee.UpstreamException;
import org.jspecify.annotations.Nullable;

/** The values of the {@code outcome} and {@code error.type} keys, shared by the default conventions. */
final class ErrorTypes {

    private ErrorTypes() {
    }

    static String outcome(@Nullable Outcome outcome) {
        return outcome == null ? LeveeObservation.UNKNOWN_OUTCOME : outcome.tag();
    }

    /**
     * OpenTelemetry's {@code error.type}, bounded: {@code none} without an error; for a failure or a caller
     * fault, the simple class name of what the upstream's client threw (the cause of Levee's exception), or of
     * an {@link Error} user code threw; otherwise the outcome, which says it better than Levee's own exception
     * class would ({@code timeout}, {@code circuit_open}).
     */
    static String of(@Nullable Outcome outcome, @Nullable Throwable error) {
        if (outcome == null || outcome == Outcome.SUCCESS) {
            return error == null ? LeveeObservation.NO_ERROR : name(error.getClass());
        }
        if ((outcome == Outcome.FAILURE || outcome == Outcome.CALLER_FAULT) && error != null) {
            Throwable thrown = error instanceof UpstreamException ? error.getCause() : error;
            if (thrown != null) {
                return name(thrown.getClass());
            }
        }
        return outcome.tag();
    }

    private static String name(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName() : simple; // anonymous classes have no simple name
    }
}
