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
 * The threads of one registry: a scheduler for asynchronous timeouts and retry delays, and the executor
 * that runs synchronous attempts whose timeouts are enforced.
 */
public final class Scheduling implements AutoCloseable {

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService attempts;
    private final boolean virtualThreads;

    public Scheduling(int maxAttemptThreads) {
        scheduler = new ScheduledThreadPoolExecutor(1, daemonFactory("levee-scheduler-"));
        scheduler.setRemoveOnCancelPolicy(true);
        ExecutorService virtual = virtualThreadExecutor();
        virtualThreads = virtual != null;
        attempts = virtual != null ? virtual
                : new ThreadPoolExecutor(0, maxAttemptThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                        daemonFactory("levee-attempt-"));
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

    @Override
    public void close() {
        scheduler.shutdownNow();
        attempts.shutdownNow();
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
