package dev.levee.internal;

import dev.levee.migration.Difference;
import dev.levee.migration.MigrationReport;
import dev.levee.migration.MismatchKind;
import dev.levee.migration.Redactor;
import dev.levee.migration.ShadowOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A migration's figures: shadow outcomes, comparisons, differences by kind and field, the latest differences
 * with salted hashes of their values, opt-in redacted samples, and the window the mismatch rate is taken
 * over. Values are hashed or redacted as they arrive and never kept.
 */
final class MismatchLedger {

    static final int RECENT = 20;
    static final int MAX_FIELDS = 50;
    static final String FIELD_OTHER = "other";

    final LongAdder[] shadow = adders(ShadowOutcome.values().length);
    final LongAdder[] kinds = adders(MismatchKind.values().length);
    private final LongAdder comparisons = new LongAdder();
    private final LongAdder mismatched = new LongAdder();
    private final byte[] salt = new byte[16];
    private final int samples;
    private final Redactor redactor;
    // guarded by this
    private final Map<String, Long> fields = new LinkedHashMap<>();
    private final ArrayDeque<MigrationReport.Mismatch> recent = new ArrayDeque<>();
    private final ArrayDeque<MigrationReport.Sample> sampled = new ArrayDeque<>();
    private final boolean[] window;
    private int windowNext;
    private int windowFilled;
    private int windowMismatches;

    MismatchLedger(int window, int samples, Redactor redactor) {
        this.window = new boolean[window];
        this.samples = samples;
        this.redactor = redactor;
        new SecureRandom().nextBytes(salt);
    }

    void shadow(ShadowOutcome outcome) {
        shadow[outcome.ordinal()].increment();
    }

    /**
     * Records one comparison.
     *
     * @return the mismatch rate in percent over the window once it is full, else -1
     */
    double compared(List<Difference> differences) {
        boolean mismatch = !differences.isEmpty();
        double rate;
        synchronized (this) {
            if (mismatch) {
                for (Difference d : differences) {
                    String field = d.field();
                    if (!fields.containsKey(field) && fields.size() >= MAX_FIELDS) {
                        field = FIELD_OTHER;
                    }
                    fields.merge(field, 1L, Long::sum);
                    keep(recent, new MigrationReport.Mismatch(d.path(), d.kind(), hash(d.primary()), hash(d.candidate())), RECENT);
                    if (samples > 0) {
                        keep(sampled, new MigrationReport.Sample(d.path(), d.kind(), redact(d.path(), d.primary()),
                                redact(d.path(), d.candidate())), samples);
                    }
                }
            }
            if (windowFilled == window.length && window[windowNext]) {
                windowMismatches--;
            }
            window[windowNext] = mismatch;
            windowMismatches += mismatch ? 1 : 0;
            windowNext = (windowNext + 1) % window.length;
            windowFilled = Math.min(window.length, windowFilled + 1);
            rate = rate();
        }
        // Counted last, so that a reader who sees the count sees the comparison's details too.
        if (mismatch) {
            mismatched.increment();
            for (Difference d : differences) {
                kinds[d.kind().ordinal()].increment();
            }
        }
        shadow(mismatch ? ShadowOutcome.MISMATCH : ShadowOutcome.MATCH);
        comparisons.increment();
        return rate;
    }

    /** Forgets the window: an operator's explicit move starts the rate afresh. */
    synchronized void resetWindow() {
        java.util.Arrays.fill(window, false);
        windowNext = 0;
        windowFilled = 0;
        windowMismatches = 0;
    }

    private double rate() {
        return windowFilled < window.length ? -1 : 100.0 * windowMismatches / window.length;
    }

    long comparisons() {
        return comparisons.sum();
    }

    long mismatched() {
        return mismatched.sum();
    }

    synchronized void fill(Report into) {
        into.mismatchRate = rate();
        into.fields = new LinkedHashMap<>(fields);
        into.recent = new ArrayList<>(recent);
        into.samples = new ArrayList<>(sampled);
    }

    /** What {@link #fill} copies under the ledger's lock. */
    static final class Report {
        double mismatchRate;
        Map<String, Long> fields = Map.of();
        List<MigrationReport.Mismatch> recent = List.of();
        List<MigrationReport.Sample> samples = List.of();
    }

    private String redact(String path, @Nullable Object value) {
        try {
            return redactor.redact(path, value);
        } catch (RuntimeException e) {
            return "<redactor failed: " + e.getClass().getSimpleName() + ">"; // never the value
        }
    }

    /** The first 12 hex digits of SHA-256 over this migration's random salt and the value's text. */
    private String hash(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static <T> void keep(ArrayDeque<T> queue, T item, int max) {
        queue.addLast(item);
        while (queue.size() > max) {
            queue.removeFirst();
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
