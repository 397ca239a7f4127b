package dev.levee.internal;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What one attempt registered to stop its work ({@link dev.levee.CallContext#onAbandon}), and whether the
 * attempt ended by itself or was abandoned. Either happens once: an attempt that ended drops its actions; one
 * that was abandoned runs them, once, on the registry's cleanup threads, and runs any action registered later
 * at once. While it holds actions, an instance is known to its engine, so that closing the registry can
 * abandon it. The actions run in the context of the call that registered them ({@link CallerContext}).
 */
final class Abandonment {

    private static final Runnable[] ENDED = new Runnable[0];
    private static final Runnable[] ABANDONED = new Runnable[0];

    private final UpstreamEngine engine;
    /** The context of the call, in which the actions run. */
    private final CallerContext context;
    /** null (nothing registered), the actions registered so far, {@link #ENDED} or {@link #ABANDONED}. */
    private final AtomicReference<Runnable @Nullable []> actions = new AtomicReference<>();
    /** In {@link dev.levee.TimeoutMode#COOPERATIVE} mode, the timer that abandons the attempt when its time is up. */
    private volatile @Nullable Future<?> timer;

    Abandonment(UpstreamEngine engine, CallerContext context) {
        this.engine = engine;
        this.context = context;
    }

    /**
     * Registers an action; runs it now (on the cleanup threads) if the attempt was already abandoned, drops it
     * if the attempt ended. Returns whether it was registered.
     */
    boolean add(Runnable action) {
        Objects.requireNonNull(action, "action");
        for (;;) {
            Runnable[] current = actions.get();
            if (current == ABANDONED) {
                engine.runAbandonAction(context.wrap(action));
                return false;
            }
            if (current == ENDED) {
                return false; // the work has ended: nothing left to stop
            }
            Runnable[] next = current == null ? new Runnable[] {action} : append(current, action);
            if (actions.compareAndSet(current, next)) {
                if (current == null) {
                    engine.abandonable.add(this);
                }
                return true;
            }
        }
    }

    /** Abandons the attempt when {@code delayNanos} have passed, unless it ends first (cooperative attempts). */
    void abandonAfter(long delayNanos) {
        try {
            timer = engine.scheduling.scheduler().schedule(this::abandon, Math.max(0, delayNanos),
                    java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            abandon();
        }
    }

    /** The attempt ended by itself: its actions will never run. */
    void end() {
        for (;;) {
            Runnable[] current = actions.get();
            if (current == ENDED || current == ABANDONED) {
                return;
            }
            if (actions.compareAndSet(current, ENDED)) {
                finished(current);
                return;
            }
        }
    }

    /**
     * Levee gave up on the attempt: hands its actions to the cleanup threads (never run on the calling thread,
     * which may be the caller's).
     *
     * @return whether the attempt had registered any action
     */
    boolean abandon() {
        Runnable[] actions = markAbandoned();
        run(actions);
        return actions != null;
    }

    /**
     * Marks the attempt abandoned and returns its actions without running them, so the caller can first
     * settle the attempt (cancel its task) and then {@link #run} them; null if it had none, or had already
     * ended or been abandoned.
     */
    Runnable @Nullable [] markAbandoned() {
        for (;;) {
            Runnable[] current = actions.get();
            if (current == ENDED || current == ABANDONED) {
                return null;
            }
            if (actions.compareAndSet(current, ABANDONED)) {
                finished(current);
                return current;
            }
        }
    }

    /** Hands actions taken by {@link #markAbandoned} to the cleanup threads, in the context of the attempt's caller. */
    void run(Runnable @Nullable [] taken) {
        if (taken != null) {
            for (Runnable action : taken) {
                engine.runAbandonAction(context.wrap(action));
            }
        }
    }

    private void finished(Runnable @Nullable [] registered) {
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        if (registered != null) {
            engine.abandonable.remove(this);
        }
    }

    private static Runnable[] append(Runnable[] current, Runnable action) {
        Runnable[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = action;
        return next;
    }
}
