package dev.levee.migration;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one migration, for endpoints and logs. It holds no answer value: differences are shown by
 * path, kind and salted hash; redacted values appear only in {@link #samples()}, and only when samples are
 * switched on. Immutable.
 *
 * @param name the migration's name
 * @param primary the primary upstream's name
 * @param candidate the candidate upstream's name
 * @param stage the stage in force (SHADOW after a rollback)
 * @param percentage the candidate's share of keys in RAMP
 * @param rollback why the migration rolled back by itself, or null if it has not (or was resumed since)
 * @param shadowPaused why shadowing is paused, or null while it runs (or the stage does not shadow)
 * @param answers calls answered, by {@code primary}, {@code candidate}, and {@code primary_after_candidate_failed}
 * @param shadowCalls shadow chances by {@link ShadowOutcome#tag()}
 * @param comparisons answers compared
 * @param mismatchedComparisons comparisons that found at least one difference
 * @param mismatchRate percent of mismatched comparisons over the rollback window, or -1 before it is full
 * @param mismatchesByKind differences by {@link MismatchKind#tag()}
 * @param mismatchesByField differences by field path without indexes (the first 50 fields; later ones as {@code other})
 * @param recent the latest differences (at most 20), newest last, with hashed values
 * @param samples the latest differences with redacted values, newest last; empty unless samples are on
 * @since 0.3
 */
public record MigrationReport(String name, String primary, String candidate, Stage stage, double percentage,
        @Nullable String rollback, @Nullable String shadowPaused, Map<String, Long> answers,
        Map<String, Long> shadowCalls, long comparisons, long mismatchedComparisons, double mismatchRate,
        Map<String, Long> mismatchesByKind, Map<String, Long> mismatchesByField, List<Mismatch> recent,
        List<Sample> samples) {

    /**
     * Copies the collections.
     *
     * @throws NullPointerException if a reference component other than the nullable ones is null
     */
    public MigrationReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stage, "stage");
        answers = Map.copyOf(answers);
        shadowCalls = Map.copyOf(shadowCalls);
        mismatchesByKind = Map.copyOf(mismatchesByKind);
        mismatchesByField = Map.copyOf(mismatchesByField);
        recent = List.copyOf(recent);
        samples = List.copyOf(samples);
    }

    /**
     * One difference, its values replaced by salted hashes: equal hashes mean equal values within this
     * process, and nothing more.
     *
     * @param path where the answers differ
     * @param kind the kind of difference
     * @param primaryHash the hash of the primary's value there
     * @param candidateHash the hash of the candidate's value there
     * @since 0.3
     */
    public record Mismatch(String path, MismatchKind kind, String primaryHash, String candidateHash) {
    }

    /**
     * One difference with its values as the migration's {@link Redactor} shows them.
     *
     * @param path where the answers differ
     * @param kind the kind of difference
     * @param primary the primary's value, redacted
     * @param candidate the candidate's value, redacted
     * @since 0.3
     */
    public record Sample(String path, MismatchKind kind, String primary, String candidate) {
    }
}
