package dev.levee.spring.actuate;

import dev.levee.Upstream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What an operator may do to a circuit through the endpoint, by the name the request gives. */
enum CircuitAction {
    FORCE_OPEN("force-open"),
    CLOSE("close"),
    RESET("reset");

    /** Every name accepted, in the order the error messages list them. */
    static final List<String> NAMES = List.of(FORCE_OPEN.value, CLOSE.value, RESET.value);

    private final String value;

    CircuitAction(String value) {
        this.value = value;
    }

    /** The action of that name, ignoring case and surrounding blanks; empty for any other value or none. */
    static Optional<CircuitAction> parse(@Nullable String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (CircuitAction a : values()) {
            if (a.value.equals(v)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static String invalid(@Nullable String value) {
        return "circuit must be one of " + String.join(", ", NAMES) + ", but was " + (value == null ? "missing" : "'" + value + "'");
    }

    void applyTo(Upstream upstream) {
        switch (this) {
            case FORCE_OPEN -> upstream.forceCircuitOpen();
            case CLOSE -> upstream.closeCircuit();
            case RESET -> upstream.resetCircuit();
            default -> throw new IllegalStateException(name());
        }
    }
}
