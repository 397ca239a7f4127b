package dev.levee.internal;

import dev.levee.InterruptPolicy;
import dev.levee.UpstreamCall;
import io.micrometer.observation.Observation;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One synchronous attempt handed to an attempt thread. The bulkhead permit is released exactly once, when
 * the work really stops: by the worker when it ends, or by the caller if the task is abandoned before a
 * worker ever started it. So a hung upstream never holds more threads than its bulkhead allows.
 *
 * <p>The worker runs the call in the caller's context and with the attempt's observation current, and puts
 * its own context back afterwards, so no attempt thread carries a caller's MDC (or a client's) into the next.
 */
final class AttemptTask<U> extends FutureTask<U> {

    private final AtomicBoolean claimed;
    private final Bulkhead bulkhead;
    final AttemptView view;
    /** Whether this task's attempt thread was given back to the pool (see {@link Scheduling#threadFreed}). */
    final AtomicBoolean threadFreed;

    AttemptTask(UpstreamCall<U> call, AttemptView view, Bulkhead bulkhead, Scheduling scheduling) {
        this(new AtomicBoolean(), new AtomicBoolean(), call, view, bulkhead, scheduling);
    }

    private AttemptTask(AtomicBoolean claimed, AtomicBoolean threadFreed, UpstreamCall<U> call, AttemptView view,
            Bulkhead bulkhead, Scheduling scheduling) {
        super(work(claimed, threadFreed, call, view, bulkhead, scheduling));
        this.claimed = claimed;
        this.threadFreed = threadFreed;
        this.bulkhead = bulkhead;
        this.view = view;
    }

    private static <U> Callable<U> work(AtomicBoolean claimed, AtomicBoolean threadFreed, UpstreamCall<U> call,
            AttemptView view, Bulkhead bulkhead, Scheduling scheduling) {
        return () -> {
            try {
                if (!claimed.compareAndSet(false, true)) {
                    return null; // abandoned before it started; the caller released the permit
                }
                // a virtual attempt thread is started for this attempt and inherits nothing: it is fresh
                try (CallerContext.Restored restored = view.context.restore(scheduling.usesVirtualThreads())) {
                    Observation observation = view.observation;
                    return observation == null ? call.call(view) : CallTrace.inScope(observation, call, view);
                } finally {
                    view.abandonment.end(); // the work has ended: nothing left to stop
                    bulkhead.release();
                }
            } finally {
                scheduling.threadFreed(threadFreed); // before the result is published: the caller's next attempt finds it free
            }
        };
    }

    /**
     * Gives up on the attempt: runs its abandon actions (on the cleanup threads), interrupts the worker if
     * the policy says so given whether there were any, and makes sure the work never starts if no
     * worker has picked it up yet.
     *
     * @param policy whether to interrupt, given whether the attempt registered abandon actions
     */
    void abandon(InterruptPolicy policy) {
        Runnable[] actions = view.abandonment.markAbandoned();
        // Cancelled before the actions run: an action that makes the work return at once must not let it
        // complete the task first, or the caller would take its answer for the attempt's.
        cancel(policy == InterruptPolicy.ALWAYS || (policy == InterruptPolicy.WHEN_NO_ABANDON_ACTION && actions == null));
        if (claimed.compareAndSet(false, true)) {
            bulkhead.release();
        }
        view.abandonment.run(actions);
    }
}
