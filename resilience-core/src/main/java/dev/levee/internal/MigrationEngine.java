package dev.levee.internal;

import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.Fallback;
import dev.levee.UpstreamException;
import dev.levee.migration.Difference;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationReport;
import dev.levee.migration.MigrationSpec;
import dev.levee.migration.Ramp;
import dev.levee.migration.RampSource;
import dev.levee.migration.ShadowOutcome;
import dev.levee.migration.Stage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The behaviour of a {@link Migration}: routing by stage and sticky key, shadow calls on the registry's
 * attempt threads behind a permit count (the candidate's bulkhead size) and a budget, comparison, pause and
 * rollback. Logs state changes only, once each, and never a value.
 */
public final class MigrationEngine<Q, R> implements Migration<Q, R> {

    private static final Logger LOG = LoggerFactory.getLogger("dev.levee.migration");
    private static final long BUDGET_LOG_EVERY_NANOS = 60_000_000_000L;

    /** Why a migration rolled back by itself: the {@code reason} tag of {@code levee.migration.rollbacks}. */
    enum RollbackReason {
        CANDIDATE_UNAVAILABLE, MISMATCH_RATE;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Who answered: the {@code provider} and {@code fallback} tags of {@code levee.migration.answers}. */
    enum Answer {
        PRIMARY, CANDIDATE, PRIMARY_AFTER_CANDIDATE_FAILED
    }

    private final MigrationSpec<Q, R> spec;
    private final String name;
    /** The ramp's hash state after the migration's name: each call hashes only its key. */
    private final long stickySeed;
    private final UpstreamEngine primary;
    private final UpstreamEngine candidate;
    private final CallOptions<R> serving;
    private final @Nullable RampSource source;
    private final Semaphore shadowPermits;
    private final int maxShadowInFlight;
    private final @Nullable ShadowBudget budget;
    final MismatchLedger ledger;
    final LongAdder[] answers = {new LongAdder(), new LongAdder(), new LongAdder()};
    final LongAdder[] rollbacks = {new LongAdder(), new LongAdder()};
    private final @Nullable MigrationMeters meters;
    /** The operator's (or the spec's) setting. */
    private volatile Ramp set;
    /** The ramp last applied, to log a change a source made once. */
    private volatile Ramp applied;
    /** Why the migration rolled back, or null. */
    private volatile @Nullable String rollback;
    /** Why shadowing is paused, or null while it runs. */
    private volatile @Nullable ShadowOutcome pausedBy;
    private long budgetPauseLoggedAt = Long.MIN_VALUE;
    private final AtomicBoolean sourceFailureLogged = new AtomicBoolean();

    public MigrationEngine(MigrationSpec<Q, R> spec, UpstreamEngine primary, UpstreamEngine candidate,
            @Nullable MeterRegistry registry) {
        this.spec = spec;
        this.name = spec.name();
        this.stickySeed = StickyHash.seed(name);
        this.primary = primary;
        this.candidate = candidate;
        this.serving = CallOptions.<R>defaults().withIdempotent(spec.idempotent());
        this.source = spec.rampSource();
        this.maxShadowInFlight = candidate.spec().bulkhead().maxConcurrentCalls();
        this.shadowPermits = new Semaphore(maxShadowInFlight);
        this.budget = spec.shadowCallsPerSecond() == 0 ? null : new ShadowBudget(candidate.time, spec.shadowCallsPerSecond());
        this.ledger = new MismatchLedger(spec.mismatchWindow(), spec.samples(), spec.redactor());
        this.set = spec.ramp();
        this.applied = set;
        this.meters = registry == null ? null : new MigrationMeters(registry, this);
        LOG.info("Migration '{}': {} -> {}, stage {}", name, primary.name(), candidate.name(), set);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MigrationSpec<Q, R> spec() {
        return spec;
    }

    String primaryName() {
        return primary.name();
    }

    String candidateName() {
        return candidate.name();
    }

    @Override
    public R call(Q request) {
        return call(request, serving);
    }

    @Override
    public R call(Q request, Fallback<? extends R> fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return call(request, serving.withFallback(fallback));
    }

    /** Where a call goes: decided once, the same way for the synchronous and the asynchronous form. */
    private enum Route {
        /** OFF: the primary alone. */
        PRIMARY,
        /** SHADOW, the keys outside a ramp, and after a rollback: the primary, then the candidate in its shadow. */
        SHADOWED,
        /** A key within the ramp: the candidate, and the primary if it fails. */
        CANDIDATE_THEN_PRIMARY,
        /** COMPLETE: the candidate alone. */
        CANDIDATE
    }

    private Route route(Q request) {
        Ramp ramp = ramp();
        switch (ramp.stage()) {
            case OFF:
                return Route.PRIMARY;
            case SHADOW:
                return Route.SHADOWED;
            case RAMP:
                return !rolledBackNow() && StickyHash.within(bucket(request), ramp.percentage())
                        ? Route.CANDIDATE_THEN_PRIMARY : Route.SHADOWED;
            case COMPLETE:
            default:
                return rolledBackNow() ? Route.SHADOWED : Route.CANDIDATE;
        }
    }

    private R call(Q request, CallOptions<R> options) {
        Objects.requireNonNull(request, "request");
        switch (route(request)) {
            case PRIMARY:
                return answer(Answer.PRIMARY, request, options);
            case SHADOWED:
                return shadowed(request, options);
            case CANDIDATE_THEN_PRIMARY:
                return byCandidate(request, options);
            case CANDIDATE:
            default:
                return answer(Answer.CANDIDATE, request, options);
        }
    }

    private R answer(Answer who, Q request, CallOptions<R> options) {
        R r = who == Answer.CANDIDATE ? spec.candidate().call(candidate, request, options)
                : spec.primary().call(primary, request, options);
        answers[who.ordinal()].increment();
        return r;
    }

    /** The primary answers; unless its answer came from the fallback, the candidate is shadowed. */
    private R shadowed(Q request, CallOptions<R> options) {
        Fallback<? extends R> fallback = options.fallback();
        if (fallback == null) {
            R answer = answer(Answer.PRIMARY, request, options);
            shadow(request, answer);
            return answer;
        }
        boolean[] fellBack = new boolean[1];
        R answer = answer(Answer.PRIMARY, request, options.withFallback(e -> {
            fellBack[0] = true;
            return fallback.recover(e);
        }));
        if (!fellBack[0]) {
            shadow(request, answer);
        }
        return answer;
    }

    @Override
    public CompletableFuture<R> callAsync(Q request) {
        return callAsync(request, serving);
    }

    @Override
    public CompletableFuture<R> callAsync(Q request, Fallback<? extends R> fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return callAsync(request, serving.withFallback(fallback));
    }

    private CompletableFuture<R> callAsync(Q request, CallOptions<R> options) {
        Objects.requireNonNull(request, "request");
        switch (route(request)) {
            case PRIMARY:
                return answerAsync(Answer.PRIMARY, request, options);
            case SHADOWED:
                return shadowedAsync(request, options);
            case CANDIDATE_THEN_PRIMARY:
                return answerAsync(Answer.CANDIDATE, request, serving).handle((answer, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                    if (!(cause instanceof UpstreamException)) {
                        return CompletableFuture.<R>failedFuture(cause);
                    }
                    rolledBackNow();
                    return answerAsync(Answer.PRIMARY_AFTER_CANDIDATE_FAILED, request, options);
                }).thenCompose(f -> f);
            case CANDIDATE:
            default:
                return answerAsync(Answer.CANDIDATE, request, options);
        }
    }

    private CompletableFuture<R> answerAsync(Answer who, Q request, CallOptions<R> options) {
        CompletableFuture<R> answer = who == Answer.CANDIDATE ? spec.candidate().callAsync(candidate, request, options)
                : spec.primary().callAsync(primary, request, options);
        return answer.whenComplete((r, failure) -> {
            if (failure == null) {
                answers[who.ordinal()].increment();
            }
        });
    }

    /** The primary answers; once it has, unless from the fallback, the candidate is shadowed. */
    private CompletableFuture<R> shadowedAsync(Q request, CallOptions<R> options) {
        Fallback<? extends R> fallback = options.fallback();
        boolean[] fellBack = new boolean[1];
        CallOptions<R> watched = fallback == null ? options : options.withFallback(e -> {
            fellBack[0] = true;
            return fallback.recover(e);
        });
        return answerAsync(Answer.PRIMARY, request, watched).whenComplete((answer, failure) -> {
            if (failure == null && !fellBack[0]) {
                shadow(request, answer);
            }
        });
    }

    /** The candidate answers; when it cannot, the primary does (with the fallback), and an unavailable candidate rolls back. */
    private R byCandidate(Q request, CallOptions<R> options) {
        try {
            return answer(Answer.CANDIDATE, request, serving);
        } catch (UpstreamException e) {
            rolledBackNow();
            return answer(Answer.PRIMARY_AFTER_CANDIDATE_FAILED, request, options);
        }
    }

    private int bucket(Q request) {
        return StickyHash.bucket(stickySeed, Objects.requireNonNull(spec.key().apply(request), "key of the request"));
    }

    // ---------------------------------------------------------------- shadow

    private void shadow(Q request, R primaryAnswer) {
        if (budget == null) {
            return;
        }
        if (candidate.circuitRejectsNow()) {
            skipped(ShadowOutcome.CANDIDATE_UNAVAILABLE);
            return;
        }
        if (!shadowPermits.tryAcquire()) {
            skipped(ShadowOutcome.SATURATED);
            return;
        }
        if (!budget.tryTake()) {
            shadowPermits.release();
            skipped(ShadowOutcome.OVER_BUDGET);
            return;
        }
        try {
            candidate.scheduling.attempts().execute(() -> runShadow(request, primaryAnswer));
        } catch (RejectedExecutionException e) {
            shadowPermits.release();
            skipped(ShadowOutcome.REJECTED);
            return;
        }
        resumed();
    }

    /** On an attempt thread: the candidate's call path without retries, then the comparison. */
    private void runShadow(Q request, R primaryAnswer) {
        try {
            R candidateAnswer;
            try {
                candidateAnswer = spec.candidate().call(candidate, request, CallOptions.defaults());
            } catch (RuntimeException e) { // an UpstreamException, or a CancellationException on close
                ledger.shadow(ShadowOutcome.CANDIDATE_FAILED);
                return;
            }
            List<Difference> differences;
            try {
                differences = spec.equivalence().compare(primaryAnswer, candidateAnswer);
            } catch (RuntimeException e) {
                ledger.shadow(ShadowOutcome.COMPARISON_FAILED);
                LOG.warn("Migration '{}': the equivalence threw {} (values not logged)", name, e.getClass().getName());
                return;
            }
            double rate = ledger.compared(differences);
            if (rate >= spec.rollbackMismatchRate() && spec.rollbackMismatchRate() < 100) {
                rollBack(RollbackReason.MISMATCH_RATE, "mismatch rate " + rate + "% over the last " + spec.mismatchWindow()
                        + " comparisons reached " + spec.rollbackMismatchRate() + "%");
            }
        } finally {
            shadowPermits.release();
        }
    }

    private void skipped(ShadowOutcome why) {
        ledger.shadow(why);
        if (pausedBy == why) {
            return;
        }
        synchronized (this) {
            if (pausedBy == why) {
                return;
            }
            pausedBy = why;
            if (why == ShadowOutcome.OVER_BUDGET) {
                long now = candidate.time.nanoTime();
                if (budgetPauseLoggedAt != Long.MIN_VALUE && now - budgetPauseLoggedAt < BUDGET_LOG_EVERY_NANOS) {
                    return; // a steady load above the budget pauses every second: told once a minute
                }
                budgetPauseLoggedAt = now;
            }
            LOG.warn("Migration '{}': shadowing paused: {}", name, pauseReason(why));
        }
    }

    private void resumed() {
        if (pausedBy == null) {
            return;
        }
        synchronized (this) {
            ShadowOutcome was = pausedBy;
            if (was == null) {
                return;
            }
            pausedBy = null;
            if (was != ShadowOutcome.OVER_BUDGET) {
                LOG.info("Migration '{}': shadowing resumed", name);
            }
        }
    }

    private String pauseReason(ShadowOutcome why) {
        switch (why) {
            case CANDIDATE_UNAVAILABLE:
                return "candidate '" + candidate.name() + "' is unavailable (circuit open)";
            case SATURATED:
                return "candidate '" + candidate.name() + "' is slow: " + maxShadowInFlight + " shadow calls in flight, its bulkhead's size";
            case OVER_BUDGET:
                return "over the budget of " + spec.shadowCallsPerSecond() + " shadow calls per second";
            default:
                return "Levee's threads refused the shadow call";
        }
    }

    // ---------------------------------------------------------------- stage and rollback

    @Override
    public Ramp ramp() {
        Ramp r = rollback != null ? new Ramp(Stage.SHADOW, 0) : source == null ? set : fromSource();
        if (!r.equals(applied)) {
            noticeApplied(r);
        }
        return r;
    }

    private Ramp fromSource() {
        try {
            return Objects.requireNonNull(source.current(set), "ramp from source");
        } catch (RuntimeException e) {
            if (sourceFailureLogged.compareAndSet(false, true)) {
                LOG.warn("Migration '{}': its ramp source failed ({}); using {} until it answers", name, e.toString(), set);
            }
            return set;
        }
    }

    private synchronized void noticeApplied(Ramp r) {
        if (!r.equals(applied)) {
            LOG.info("Migration '{}': stage {} -> {}", name, applied, r);
            applied = r;
        }
    }

    /** Whether the migration is rolled back, rolling it back first if its candidate is unavailable now. */
    private boolean rolledBackNow() {
        if (rollback == null && spec.rollbackOnCandidateUnavailable()) {
            CircuitState state = candidate.peekCircuitState();
            if (state == CircuitState.OPEN || state == CircuitState.FORCED_OPEN) {
                rollBack(RollbackReason.CANDIDATE_UNAVAILABLE, "candidate '" + candidate.name() + "' is unavailable (circuit "
                        + state.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        return rollback != null;
    }

    private synchronized void rollBack(RollbackReason reason, String why) {
        if (rollback != null) {
            return;
        }
        Stage stage = (source == null ? set : fromSource()).stage();
        if (stage != Stage.RAMP && stage != Stage.COMPLETE) {
            return; // nothing to roll back: the primary answers every call already
        }
        rollback = why;
        rollbacks[reason.ordinal()].increment();
        LOG.warn("Migration '{}': rolled back to the primary (stage SHADOW): {}. Resume explicitly.", name, why);
        ramp();
    }

    @Override
    public boolean routesToCandidate(Q request) {
        Route route = route(request);
        return route == Route.CANDIDATE || route == Route.CANDIDATE_THEN_PRIMARY;
    }

    @Override
    public synchronized void moveTo(Stage stage, double percentage) {
        Ramp next = new Ramp(stage, percentage);
        if (source != null) {
            throw new IllegalStateException("the stage of migration '" + name + "' comes from its ramp source; change it there");
        }
        set = next;
        ledger.resetWindow();
        if (rollback != null) {
            LOG.info("Migration '{}': rollback cleared by an explicit move", name);
            rollback = null;
        }
        ramp();
    }

    @Override
    public synchronized void resume() {
        if (rollback != null) {
            rollback = null;
            ledger.resetWindow();
            LOG.info("Migration '{}': resumed after its rollback", name);
            ramp();
        }
    }

    @Override
    public MigrationReport report() {
        if (applied.stage() == Stage.RAMP || applied.stage() == Stage.COMPLETE) {
            rolledBackNow();
        }
        Ramp r = ramp();
        MismatchLedger.Report l = new MismatchLedger.Report();
        ledger.fill(l);
        Map<String, Long> answered = new LinkedHashMap<>();
        for (Answer a : Answer.values()) {
            answered.put(a.name().toLowerCase(java.util.Locale.ROOT), answers[a.ordinal()].sum());
        }
        Map<String, Long> shadows = new LinkedHashMap<>();
        for (ShadowOutcome o : ShadowOutcome.values()) {
            shadows.put(o.tag(), ledger.shadow[o.ordinal()].sum());
        }
        Map<String, Long> kinds = new LinkedHashMap<>();
        for (dev.levee.migration.MismatchKind k : dev.levee.migration.MismatchKind.values()) {
            kinds.put(k.tag(), ledger.kinds[k.ordinal()].sum());
        }
        boolean shadowing = r.stage() == Stage.SHADOW || r.stage() == Stage.RAMP;
        ShadowOutcome paused = pausedBy;
        return new MigrationReport(name, primary.name(), candidate.name(), r.stage(), r.percentage(), rollback,
                shadowing && paused != null ? pauseReason(paused) : null, answered, shadows, ledger.comparisons(),
                ledger.mismatched(), l.mismatchRate, kinds, l.fields, l.recent, l.samples);
    }

    /** Whether shadowing is paused now: for the gauge. */
    boolean paused() {
        return pausedBy != null;
    }

    /** Shadow calls in flight now. */
    int shadowInFlight() {
        return maxShadowInFlight - shadowPermits.availablePermits();
    }

    /** The ramp in force, read without noticing a source's change: for gauges. */
    Ramp peekRamp() {
        return rollback != null ? new Ramp(Stage.SHADOW, 0) : applied;
    }

    /** Removes the meters. */
    public void close() {
        if (meters != null) {
            meters.close();
        }
    }

    @Override
    public String toString() {
        return "Migration[" + name + ": " + primary.name() + " -> " + candidate.name() + ", " + peekRamp() + "]";
    }
}
