package dev.levee.migration;

import dev.levee.InvalidSpecException;
import dev.openfeature.sdk.Client;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads a migration's stage and percentage from feature flags through the OpenFeature Java SDK
 * ({@code dev.openfeature:sdk}, an optional dependency of Levee: add it to use this class). Two flags per
 * migration: {@code <prefix>.stage}, a string ({@code off}, {@code shadow}, {@code ramp} or {@code complete},
 * any case), and {@code <prefix>.percentage}, a number from 0 to 100. A flag the provider does not know
 * leaves the migration's own setting in force.
 *
 * <pre>{@code
 * MigrationSpec.<String, Recommendations>named("recommendations")
 *         .rampSource(OpenFeatureRampSource.of(OpenFeatureAPI.getInstance().getClient(), "migrations.recommendations"))
 * }</pre>
 *
 * <p>A flag value out of range fails the evaluation with a message naming the flag, the value and what is
 * allowed; the migration logs it once and keeps its own setting meanwhile. Thread-safe.
 *
 * @since 0.3
 */
public final class OpenFeatureRampSource implements RampSource {

    private final Client client;
    private final String stageFlag;
    private final String percentageFlag;

    private OpenFeatureRampSource(Client client, String prefix) {
        this.client = client;
        this.stageFlag = prefix + ".stage";
        this.percentageFlag = prefix + ".percentage";
    }

    /**
     * A source reading {@code <prefix>.stage} and {@code <prefix>.percentage} from a client.
     *
     * @param client the OpenFeature client
     * @param prefix the flags' common prefix, such as {@code migrations.recommendations}
     * @return the source
     */
    public static OpenFeatureRampSource of(Client client, String prefix) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank()) {
            throw new InvalidSpecException("prefix", "\"" + prefix + "\"", "a flag name prefix such as migrations.recommendations");
        }
        return new OpenFeatureRampSource(client, prefix);
    }

    @Override
    public Ramp current(Ramp fallback) {
        String stageName = client.getStringValue(stageFlag, fallback.stage().name());
        Stage stage;
        try {
            stage = Stage.valueOf(stageName.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(stageFlag, "'" + stageName + "'", "one of " + Arrays.toString(Stage.values()));
        }
        double percentage = client.getDoubleValue(percentageFlag, fallback.percentage());
        if (!(percentage >= 0 && percentage <= 100)) {
            throw new InvalidSpecException(percentageFlag, percentage, "between 0.0 and 100.0");
        }
        return new Ramp(stage, percentage);
    }

    @Override
    public String toString() {
        return "OpenFeature flags " + stageFlag + ", " + percentageFlag;
    }
}
