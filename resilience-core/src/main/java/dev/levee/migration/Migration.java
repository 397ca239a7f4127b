package dev.levee.migration;

import dev.levee.UpstreamException;

/**
 * A migration between two providers of one call: created by {@link dev.levee.Upstreams#migrate}, called in
 * place of the primary. Routing by stage:
 *
 * <pre>
 *  OFF       caller ── primary
 *  SHADOW    caller ── primary ──┐ answer
 *                                └─ (Levee's thread, within budget) candidate ── compare ── count
 *  RAMP      caller ── key in percentage? ── candidate (on failure: primary)
 *                                  └ else ── primary, shadowed as in SHADOW
 *  COMPLETE  caller ── candidate
 * </pre>
 *
 * <p>Each provider is an upstream with its own call path (breaker, bulkhead, timeouts); shadow calls are
 * never retried, never waited for by the caller, and at most as many in flight as the candidate's bulkhead.
 * In RAMP and COMPLETE, the migration rolls back to SHADOW by itself, once, when the candidate's health turns
 * unavailable or its mismatch rate passes the spec's threshold; it stays there until {@link #moveTo} or
 * {@link #resume()}.
 *
 * <p>Thread-safe.
 *
 * @param <Q> the request type
 * @param <R> the domain answer type both providers' adapters produce
 * @since 0.3
 */
public interface Migration<Q, R> {

    /**
     * The migration's name.
     *
     * @return the name from the spec
     */
    String name();

    /**
     * The spec the migration was created from (its stage is the initial one; see {@link #ramp()} for now).
     *
     * @return the spec
     */
    MigrationSpec<Q, R> spec();

    /**
     * Answers a request from the provider the stage chooses.
     *
     * @param request the request
     * @return the answer, in the domain's terms
     * @throws UpstreamException if the provider that answers failed (in RAMP, only when the primary failed
     *     after the candidate did)
     */
    R call(Q request);

    /**
     * Answers a request from the provider the stage chooses, with a fallback for when no provider can: the
     * answering upstream applies it (and counts it, {@code levee.calls{fallback="true"}}) as for any call. An
     * answer from the fallback is never compared with the candidate's.
     *
     * @param request the request
     * @param fallback answers after the last provider tried failed (in RAMP, the primary after the candidate)
     * @return the answer, or the fallback's
     * @throws UpstreamException if the call failed and the fallback did not apply (a caller fault)
     */
    R call(Q request, dev.levee.Fallback<? extends R> fallback);

    /**
     * Answers a request asynchronously from the provider the stage chooses; the same routing, shadowing and
     * rollback as {@link #call(Object)}, without blocking a thread to wait. Needs both providers created with
     * {@link Provider#ofAsync}.
     *
     * @param request the request
     * @return the answer's future, completed with an {@link UpstreamException} if the answering provider failed
     * @throws IllegalStateException if a provider the stage may call has a synchronous client
     * @since 0.3
     */
    java.util.concurrent.CompletableFuture<R> callAsync(Q request);

    /**
     * Answers a request asynchronously, with a fallback for when no provider can (see {@link #call(Object, dev.levee.Fallback)}).
     *
     * @param request the request
     * @param fallback answers after the last provider tried failed
     * @return the answer's future, or the fallback's
     * @throws IllegalStateException if a provider the stage may call has a synchronous client
     * @since 0.3
     */
    java.util.concurrent.CompletableFuture<R> callAsync(Q request, dev.levee.Fallback<? extends R> fallback);

    /**
     * The stage and percentage in force now: after a rollback, SHADOW.
     *
     * @return the ramp in force
     */
    Ramp ramp();

    /**
     * Whether a request would be answered by the candidate now: the sticky decision of RAMP, always
     * {@code false} in OFF and SHADOW, always {@code true} in COMPLETE.
     *
     * @param request the request
     * @return {@code true} if the candidate answers it
     */
    boolean routesToCandidate(Q request);

    /**
     * Operator control: moves the migration to a stage and percentage, and clears a rollback. Logged.
     *
     * @param stage the stage
     * @param percentage the candidate's share of keys in RAMP, 0 to 100
     * @throws dev.levee.InvalidSpecException if the percentage is outside 0 to 100
     * @throws IllegalStateException if the stage comes from a {@link RampSource}
     */
    void moveTo(Stage stage, double percentage);

    /**
     * Operator control: clears an automatic rollback, so the stage set before it (or the source's) applies
     * again. Logged; does nothing when there was no rollback.
     */
    void resume();

    /**
     * A snapshot of the migration's state and figures, holding no answer value unless samples are on.
     *
     * @return the report
     */
    MigrationReport report();
}
