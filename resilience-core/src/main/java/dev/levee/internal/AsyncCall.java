package dev.levee.internal;

import dev.levee.Adapter;
import dev.levee.AsyncUpstreamCall;
import dev.levee.Outcome;
import dev.levee.UpstreamException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One asynchronous call: the same lifecycle as the synchronous one ({@link UpstreamEngine#settle},
 * {@link UpstreamEngine#retryDelay}, {@link UpstreamEngine#callEnded}), driven by completions and timers
 * instead of a waiting thread. Each attempt is settled exactly once, by its completion or by its timer,
 * whichever wins ({@link #settled}); the call is finished exactly once ({@link #finished}), by its end, its
 * cancellation or a failure of Levee's own code, so the returned future always completes.
 *
 * <p>The caller's context is captured once, at the start; the first attempt starts on the caller's thread,
 * and every later step (a retry on an attempt thread, a timeout, the completion of the upstream's future on
 * whatever thread completes it, and so the adapter, the fallback and the callbacks of the returned future)
 * runs with it restored, and with the thread's own context put back afterwards.
 */
final class AsyncCall<U, D> {

    private final UpstreamEngine engine;
    private final AsyncUpstreamCall<U> call;
    private final Adapter<U, D> adapter;
    private final @Nullable Function<UpstreamException, CompletionStage<? extends D>> fallback;
    private final Attempt attempt;
    private final CallerContext context;
    private final long start;
    private final CompletableFuture<D> result = new CompletableFuture<>();
    private final AtomicInteger settled = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile @Nullable CompletableFuture<U> inFlight;
    private volatile @Nullable AttemptView view;
    private volatile @Nullable Future<?> timer;
    /** The caller's thread while {@link #start()} runs on it: work it completes there is in the caller's context already. */
    private volatile @Nullable Thread starting;

    AsyncCall(UpstreamEngine engine, AsyncUpstreamCall<U> call, Adapter<U, D> adapter, boolean idempotent,
            @Nullable Function<UpstreamException, CompletionStage<? extends D>> fallback) {
        this.engine = engine;
        this.call = call;
        this.adapter = adapter;
        this.fallback = fallback;
        this.start = engine.time.nanoTime();
        this.attempt = new Attempt(engine, idempotent, start, engine.effectiveDeadline());
        this.context = engine.context.capture();
        if (engine.observations != null) {
            attempt.trace = CallTrace.start(engine.observations, engine.name);
        }
    }

    CompletableFuture<D> start() {
        engine.budget.recordCall(start);
        engine.asyncInFlight.add(result);
        result.whenComplete((value, error) -> {
            engine.asyncInFlight.remove(result);
            if (result.isCancelled()) {
                cancelled();
            }
        });
        starting = Thread.currentThread();
        try {
            begin(1, start);
        } finally {
            starting = null;
        }
        return result;
    }

    /**
     * Sets the caller's context on this thread, unless this is the caller's thread while the call starts (an
     * attempt that ended at once), where it is set already: restoring it there again would only cost time.
     */
    private CallerContext.Restored restore() {
        return Thread.currentThread() == starting ? CallerContext.Restored.NOTHING : context.restore();
    }

    private void begin(int n, long now) {
        try {
            if (result.isDone()) {
                return; // cancelled while waiting to retry
            }
            Attempt a = attempt;
            a.begin(n, now, Math.min(engine.attemptTimeoutNanos, a.deadlineAt - now));
            if (!admitted(a, now)) {
                finish(now);
                return;
            }
            CallTrace trace = a.trace;
            AttemptView v = new AttemptView(a, engine, context, trace == null ? null : trace.attemptStarted(n));
            view = v;
            CompletableFuture<U> future;
            try {
                CompletionStage<U> stage = startAttempt(v);
                future = stage == null
                        ? CompletableFuture.failedFuture(new NullPointerException("the asynchronous upstream call returned null"))
                        : stage.toCompletableFuture();
            } catch (Throwable t) {
                future = CompletableFuture.failedFuture(t);
            }
            inFlight = future;
            if (result.isDone()) { // cancelled while the call was starting: cancelled() may have missed this attempt
                abandonInFlight();
            }
            if (!future.isDone()) { // an attempt that already ended (a cached or synchronous answer) needs no timer
                try {
                    timer = engine.scheduling.scheduler().schedule(() -> onTimer(n), a.timeoutNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    abandonInFlight(); // closed meanwhile: nothing could time the attempt out, so it ends now
                }
            }
            future.whenComplete((value, error) -> {
                engine.bulkhead.release(); // the work's future has ended, cancelled or not
                onDone(n, value, error);
            });
        } catch (Throwable t) {
            crashed(t);
        }
    }

    /** Starts the upstream call, with the attempt's observation current while it starts. */
    private CompletionStage<U> startAttempt(AttemptView v) throws Exception {
        if (v.observation == null) {
            return call.call(v);
        }
        try (io.micrometer.observation.Observation.Scope scope = v.observation.openScope()) {
            return call.call(v);
        }
    }

    /** A retry, on an attempt thread (or the scheduler's, once closed): in the caller's context. */
    private void retry(int n) {
        CallerContext.Restored restored;
        try {
            restored = restore();
        } catch (Throwable t) {
            crashed(t);
            return;
        }
        try {
            begin(n, engine.time.nanoTime());
        } finally {
            restored.close();
        }
    }

    /** The admission of the synchronous path, except that asynchronous calls never wait for a permit. */
    private boolean admitted(Attempt a, long now) {
        if (engine.outOfTime(a)) {
            return false;
        }
        if (!engine.permitted(now)) {
            engine.reject(a, Outcome.CIRCUIT_OPEN);
            return false;
        }
        boolean shutDown = engine.scheduling.scheduler().isShutdown();
        if (shutDown || !engine.bulkhead.tryAcquire()) {
            // a closed registry has no timer to bound the attempt: rejected like a synchronous call
            engine.breaker.releasePermission();
            engine.reject(a, shutDown ? Outcome.CLOSED : Outcome.BULKHEAD_FULL);
            return false;
        }
        return true;
    }

    /** Runs on the scheduler thread: hands the timeout over, so no user code ever runs there. */
    private void onTimer(int n) {
        try {
            engine.scheduling.attempts().execute(() -> onTimeout(n));
        } catch (RejectedExecutionException e) {
            onTimeout(n);
        }
    }

    private void onTimeout(int n) {
        try (CallerContext.Restored restored = restore()) {
            if (!settled.compareAndSet(n - 1, n)) {
                return;
            }
            long end = engine.time.nanoTime();
            abandonInFlight();
            engine.settle(attempt, adapter, null, null,
                    result.isDone() ? UpstreamEngine.CALL_CANCELLED : UpstreamEngine.TIMED_OUT, end - attempt.startedAt);
            next(end);
        } catch (Throwable t) {
            crashed(t);
        }
    }

    private void onDone(int n, @Nullable U value, @Nullable Throwable error) {
        try (CallerContext.Restored restored = restore()) {
            if (!settled.compareAndSet(n - 1, n)) {
                return; // the timer won
            }
            Future<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            AttemptView v = view;
            if (v != null) {
                v.abandonment.end();
            }
            long end = engine.time.nanoTime();
            engine.settle(attempt, adapter, value, error == null ? null : Classifier.unwrap(error),
                    result.isDone() ? UpstreamEngine.CALL_CANCELLED : UpstreamEngine.RETURNED, end - attempt.startedAt);
            next(end);
        } catch (Throwable t) {
            crashed(t);
        }
    }

    private void next(long now) {
        if (result.isDone()) {
            finish(now);
            return;
        }
        long delay = engine.retryDelay(attempt, now);
        if (delay < 0) {
            finish(now);
            return;
        }
        int n = attempt.number + 1;
        try {
            timer = engine.scheduling.scheduler().schedule(() -> {
                try {
                    engine.scheduling.attempts().execute(() -> retry(n));
                } catch (RejectedExecutionException e) {
                    retry(n);
                }
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            begin(n, engine.time.nanoTime()); // the registry closed meanwhile: the attempt is rejected as CLOSED
        }
    }

    @SuppressWarnings("unchecked")
    private void finish(long now) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        Attempt a = attempt;
        Throwable failure = a.failure;
        boolean useFallback = engine.callEnded(a, fallback != null, now - start);
        if (failure == null) {
            result.complete((D) a.value);
            return;
        }
        if (!useFallback) {
            result.completeExceptionally(failure); // an Error from user code completes it unchanged
            return;
        }
        CompletionStage<? extends D> recovered;
        try {
            recovered = fallback.apply((UpstreamException) failure);
        } catch (Throwable t) {
            result.completeExceptionally(t);
            return;
        }
        if (recovered == null) {
            result.completeExceptionally(new NullPointerException("the fallback returned null"));
            return;
        }
        recovered.whenComplete((value, error) -> {
            try (CallerContext.Restored restored = restore()) { // the fallback's stage may complete anywhere
                if (error != null) {
                    result.completeExceptionally(Classifier.unwrap(error));
                } else {
                    result.complete(value);
                }
            }
        });
    }

    /**
     * Gives up on the attempt in flight: cancels its future first, then hands its abandon actions to the
     * cleanup threads (an action that completes the work must not complete it as an answer first).
     */
    private void abandonInFlight() {
        AttemptView v = view;
        Runnable[] actions = v == null ? null : v.abandonment.markAbandoned();
        CompletableFuture<U> future = inFlight;
        if (future != null) {
            future.cancel(true);
        }
        if (v != null) {
            v.abandonment.run(actions);
        }
    }

    /** The caller cancelled the returned future: stop the attempt in flight or the pending retry. */
    private void cancelled() {
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        abandonInFlight();
        if (finished.compareAndSet(false, true)) {
            engine.observer.onCall(Outcome.CANCELLED, false, attempt.number, engine.time.nanoTime() - start);
            if (attempt.trace != null) {
                attempt.trace.callEnded(Outcome.CANCELLED, attempt.number, false,
                        new CancellationException("call to upstream '" + engine.name + "' cancelled"));
            }
        }
    }

    /**
     * Levee's own code failed where it never should: the future still completes, with that failure, and the
     * call is still counted once (as a failure). The permit of an attempt in flight is returned by its
     * completion as usual.
     */
    private void crashed(Throwable t) {
        if (finished.compareAndSet(false, true)) {
            try {
                engine.observer.onCall(Outcome.FAILURE, false, attempt.number, engine.time.nanoTime() - start);
                if (attempt.trace != null) {
                    attempt.trace.callEnded(Outcome.FAILURE, attempt.number, false, t);
                }
            } finally {
                result.completeExceptionally(t);
            }
        }
    }
}
