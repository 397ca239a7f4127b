package dev.levee.spring.actuate;

import dev.levee.BreakerSpec;
import dev.levee.CircuitState;
import dev.levee.UpstreamSpec;
import java.util.Locale;

/** Why a circuit moved from one state to another, in an operator's words, from the transition and the spec. */
final class CircuitReasons {

    private static final String BY_HAND = " by hand (Upstream's circuit controls or the upstreams endpoint)";

    private CircuitReasons() {
    }

    static String of(UpstreamSpec spec, CircuitState from, CircuitState to) {
        BreakerSpec b = spec.circuitBreaker();
        switch (to) {
            case OPEN:
                if (from == CircuitState.HALF_OPEN) {
                    return "a probe call failed: open again for " + DurationFormat.format(b.waitInOpenState());
                }
                return "a trigger fired: failure rate at " + percent(b.failureRateThreshold()) + ", slow-call rate at "
                        + percent(b.slowCallRateThreshold()) + " (calls over " + DurationFormat.format(spec.slowCallThreshold())
                        + ")" + (b.consecutiveFailures() > 0 ? " or " + b.consecutiveFailures() + " failed attempts in a row" : "")
                        + "; calls are rejected for " + DurationFormat.format(b.waitInOpenState());
            case HALF_OPEN:
                return "the wait of " + DurationFormat.format(b.waitInOpenState()) + " has passed: " + b.halfOpenProbes()
                        + " probe calls test whether the upstream recovered";
            case CLOSED:
                return from == CircuitState.HALF_OPEN ? "the probe calls succeeded" : "closed" + BY_HAND;
            case FORCED_OPEN:
                return "forced open" + BY_HAND + ": every call is rejected";
            case DISABLED:
                return "disabled" + BY_HAND + ": every call flows and nothing is recorded";
            default:
                return from.name().toLowerCase(Locale.ROOT) + " to " + to.name().toLowerCase(Locale.ROOT);
        }
    }

    private static String percent(float value) {
        return (value == Math.rint(value) ? String.valueOf((int) value) : String.format(Locale.ROOT, "%.1f", value)) + "%";
    }
}
