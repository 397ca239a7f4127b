package dev.levee.migration;

import dev.levee.internal.Check;
import java.util.Objects;

/**
 * A stage and its percentage: what a {@link RampSource} answers and what {@link Migration#moveTo} sets.
 *
 * @param stage the stage
 * @param percentage the share of keys the candidate answers in {@link Stage#RAMP}, 0 to 100 (two decimals
 *     count: 0.25 is one key in 400)
 * @since 0.3
 */
public record Ramp(Stage stage, double percentage) {

    /**
     * Checks the values.
     *
     * @throws dev.levee.InvalidSpecException if the percentage is outside 0 to 100
     * @throws NullPointerException if the stage is null
     */
    public Ramp {
        Objects.requireNonNull(stage, "stage");
        Check.range("percentage", percentage, 0.0, 100.0);
    }

    @Override
    public String toString() {
        return stage == Stage.RAMP ? "RAMP " + percentage + "%" : stage.name();
    }
}
