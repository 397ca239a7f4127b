package dev.levee.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
        attempts = virtual != null ? virtual
                : new ThreadPoolExecutor(0, maxAttemptThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                        daemonFactory("levee-attempt-"));
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

    private static ExecutorService virtualThreadExecutor() {
        try {
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 17 to 20
        }
    }

    private static ThreadFactory daemonFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
