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
 * One asynchronous call: the same path as the synchronous one, driven by completions and timers instead of
 * a waiting thread. Each attempt is settled exactly once, by its completion or by its timer, whichever wins
 * ({@link #settled}); the call is finished exactly once ({@link #finished}), by its end or its cancellation.
 */
final class AsyncCall<U, D> {

    private final UpstreamEngine engine;
    private final AsyncUpstreamCall<U> call;
    private final Adapter<U, D> adapter;
    private final @Nullable Function<UpstreamException, CompletionStage<? extends D>> fallback;
    private final Attempt attempt;
    private final long start;
    private final CompletableFuture<D> result = new CompletableFuture<>();
    private final AtomicInteger settled = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile @Nullable CompletableFuture<U> inFlight;
    private volatile @Nullable Future<?> timer;

    AsyncCall(UpstreamEngine engine, AsyncUpstreamCall<U> call, Adapter<U, D> adapter, boolean idempotent,
            @Nullable Function<UpstreamException, CompletionStage<? extends D>> fallback) {
        this.engine = engine;
        this.call = call;
        this.adapter = adapter;
        this.fallback = fallback;
        this.start = engine.time.nanoTime();
        this.attempt = new Attempt(engine.name, idempotent, engine.time, start, engine.effectiveDeadline());
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
        begin(1, start);
        return result;
    }

    private void begin(int n, long now) {
        if (result.isDone()) {
            return; // cancelled while waiting to retry
        }
        Attempt a = attempt;
        a.begin(n, now, Math.min(engine.attemptTimeoutNanos, a.deadlineAt - now));
        if (engine.outOfTime(a)) {
            finish(now);
            return;
        }
        if (!engine.permitted(now)) {
            engine.reject(a, Outcome.CIRCUIT_OPEN);
            finish(now);
            return;
        }
        if (engine.scheduling.scheduler().isShutdown() || !engine.bulkhead.tryAcquire()) {
            // a closed registry has no timer to bound the attempt: rejected like a synchronous call
            engine.breaker.releasePermission();
            engine.reject(a, Outcome.BULKHEAD_FULL);
            finish(now);
            return;
        }
        CompletableFuture<U> future;
        try {
            CompletionStage<U> stage = call.call(a);
            future = stage == null
                    ? CompletableFuture.failedFuture(new NullPointerException("the asynchronous upstream call returned null"))
                    : stage.toCompletableFuture();
        } catch (Throwable t) {
            future = CompletableFuture.failedFuture(t);
        }
        inFlight = future;
        try {
            timer = engine.scheduling.scheduler().schedule(() -> onTimer(n), a.timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            future.cancel(true); // closed meanwhile: nothing could time the attempt out, so it ends now
        }
        future.whenComplete((value, error) -> {
            engine.bulkhead.release(); // the work's future has ended, cancelled or not
            onDone(n, value, error);
        });
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
        if (!settled.compareAndSet(n - 1, n)) {
            return;
        }
        long end = engine.time.nanoTime();
        CompletableFuture<U> future = inFlight;
        if (future != null) {
            future.cancel(true);
        }
        if (result.isDone()) {
            attempt.fail(Outcome.CANCELLED, new CancellationException("call cancelled"), false);
        } else {
            engine.timedOut(attempt, null);
        }
        engine.record(attempt, end - attempt.startedAt);
        next(end);
    }

    private void onDone(int n, @Nullable U value, @Nullable Throwable error) {
        if (!settled.compareAndSet(n - 1, n)) {
            return; // the timer won
        }
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        long end = engine.time.nanoTime();
        Attempt a = attempt;
        if (result.isDone()) {
            a.fail(Outcome.CANCELLED, new CancellationException("call cancelled"), false);
        } else if (error != null) {
            Throwable cause = Classifier.unwrap(error);
            if (cause instanceof VirtualMachineError) {
                engine.breaker.releasePermission();
                finished.set(true);
                result.completeExceptionally(cause);
                return;
            }
            if (end - a.startedAt >= a.timeoutNanos && !(cause instanceof Error)) {
                engine.timedOut(a, cause); // the client's own timeout won the race with ours: same as the sync path
            } else {
                engine.classifier.error(a, adapter, cause);
            }
        } else {
            engine.classifier.value(a, adapter, value);
        }
        engine.record(a, end - a.startedAt);
        next(end);
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
        timer = engine.scheduling.scheduler().schedule(() -> {
            try {
                engine.scheduling.attempts().execute(() -> begin(n, engine.time.nanoTime()));
            } catch (RejectedExecutionException e) {
                begin(n, engine.time.nanoTime());
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    @SuppressWarnings("unchecked")
    private void finish(long now) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        Attempt a = attempt;
        long took = now - start;
        Throwable failure = a.failure;
        if (failure == null) {
            engine.observer.onCall(a.outcome, false, a.number, took);
            result.complete((D) a.value);
            return;
        }
        if (fallback != null && a.outcome.isFallbackEligible()) {
            engine.observer.onCall(a.outcome, true, a.number, took);
            CompletionStage<? extends D> recovered;
            try {
                recovered = fallback.apply((UpstreamException) failure);
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            recovered.whenComplete((value, error) -> {
                if (error != null) {
                    result.completeExceptionally(Classifier.unwrap(error));
                } else {
                    result.complete(value);
                }
            });
            return;
        }
        engine.observer.onCall(a.outcome, false, a.number, took);
        result.completeExceptionally(failure);
    }

    /** The caller cancelled the returned future: stop the attempt in flight or the pending retry. */
    private void cancelled() {
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        CompletableFuture<U> future = inFlight;
        if (future != null) {
            future.cancel(true);
        }
        if (finished.compareAndSet(false, true)) {
            engine.observer.onCall(Outcome.CANCELLED, false, attempt.number, engine.time.nanoTime() - start);
        }
    }
}
