package dev.levee.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one registry: a scheduler for asynchronous timeouts and retry delays, the executor that
 * runs synchronous attempts whose timeouts are enforced, and the one that runs abandon actions (which may
 * block, such as a statement cancel that opens a connection of its own, so they never run on the scheduler).
 */
public final class Scheduling implements AutoCloseable {

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService attempts;
    private final ExecutorService cleanup;
    private final boolean virtualThreads;

    public Scheduling(int maxAttemptThreads) {
        scheduler = new ScheduledThreadPoolExecutor(1, daemonFactory("levee-scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true);
        ExecutorService virtual = virtualThreadExecutor();
        virtualThreads = virtual != null;
        attempts = virtual != null ? virtual : new BoundedPool(maxAttemptThreads, daemonFactory("levee-attempt-"));
        if (virtual != null) {
            cleanup = virtualThreadExecutor();
        } else {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(100_000), daemonFactory("levee-abandon-"));
            pool.allowCoreThreadTimeOut(true);
            cleanup = pool;
        }
    }

    /** Runs abandon actions: virtual threads on JDK 21+, four daemon threads and a queue before. */
    public ExecutorService cleanup() {
        return cleanup;
    }

    /** Timers: fire and hand work to {@link #attempts()}; never run user code themselves. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Runs attempts: virtual threads on JDK 21+, a bounded pool of daemon threads before. */
    public ExecutorService attempts() {
        return attempts;
    }

    /**
     * Whether attempts run on virtual threads (JDK 21+), one started per attempt and inheriting no thread
     * locals: such a thread has no context of its own to clear or put back.
     */
    public boolean usesVirtualThreads() {
        return virtualThreads;
    }

    /**
     * Stops the timers and takes no more work. Attempts still running are not interrupted here: each
     * upstream abandoned its own by its interrupt policy when the registry closed it.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        attempts.shutdown();
        cleanup.shutdown();
    }

    /**
     * Frees the attempt thread of a task whose work has ended, before the task publishes its result (JDK 17
     * to 20): its caller may hand the next attempt over as soon as it has the result, and must find a thread
     * free. Once per task, whichever of this and the pool's own bookkeeping comes first.
     *
     * @param freed the task's flag, set by whichever frees its thread first
     */
    void threadFreed(AtomicBoolean freed) {
        if (attempts instanceof BoundedPool pool) {
            pool.free(freed);
        }
    }

    /**
     * The attempt threads of JDK 17 to 20: at most {@code max} tasks at once, each on its own thread; beyond
     * that, {@link #execute} rejects. A task goes to an idle thread if there is one, else to a new thread
     * while fewer than {@code max} exist; threads idle for 30 s end.
     *
     * <p>Its count of tasks, not the pool's threads, decides the rejection, and an {@link AttemptTask} leaves
     * the count when its work ends ({@link #threadFreed}), before its caller sees the result: the thread is
     * free for the next attempt even before it is back waiting for work (the next task waits in the queue for
     * it, an instant). A plain pool over a {@code SynchronousQueue} rejects in that instant, which a caller
     * making one call after another hits nearly every time once every thread has been used.
     */
    private static final class BoundedPool extends ThreadPoolExecutor {

        private final Semaphore tasks;

        BoundedPool(int max, ThreadFactory threads) {
            super(0, max, 30, TimeUnit.SECONDS, new HandOffQueue(), threads, (task, pool) -> {
                if (pool.isShutdown()) {
                    throw new RejectedExecutionException("attempt threads shut down");
                }
                ((HandOffQueue) pool.getQueue()).enqueue(task); // every thread exists, and one's task has ended
            });
            this.tasks = new Semaphore(max);
        }

        @Override
        public void execute(Runnable task) {
            if (!tasks.tryAcquire()) {
                throw new RejectedExecutionException("all " + getMaximumPoolSize() + " attempt threads are busy");
            }
            try {
                super.execute(task);
            } catch (RuntimeException | Error e) {
                tasks.release();
                throw e;
            }
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            if (task instanceof AttemptTask<?> attempt) {
                free(attempt.threadFreed);
            } else {
                tasks.release();
            }
        }

        void free(AtomicBoolean freed) {
            if (freed.compareAndSet(false, true)) {
                tasks.release();
            }
        }
    }

    /**
     * Takes a task only when an idle thread is waiting for it, so the pool starts a new thread instead of
     * queueing while it has fewer than its maximum; at the maximum, the pool's rejection handler queues it.
     */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }

    /**
     * A new virtual thread per task (JDK 21+), inheriting no inheritable thread locals from the thread that
     * hands the task over: what an attempt sees of its caller is what context propagation carries, as on
     * JDK 17's pooled threads, and nothing else.
     */
    private static ExecutorService virtualThreadExecutor() {
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("inheritInheritableThreadLocals", boolean.class).invoke(builder, false);
            ThreadFactory threads = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            Method m = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
            return (ExecutorService) m.invoke(null, threads);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 17 to 20
        }
    }

    /**
     * Daemon threads that inherit no inheritable thread locals: a thread started while one caller's call
     * runs would otherwise keep that caller's request-scoped values for every later call it serves.
     */
    private static ThreadFactory daemonFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, prefix + n.incrementAndGet(), 0, false);
            t.setDaemon(true);
            return t;
        };
    }
}
