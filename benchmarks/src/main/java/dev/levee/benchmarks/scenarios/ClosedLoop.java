package dev.levee.benchmarks.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load: a fixed number of threads, each making its next request as soon as its last one
 * returned (an application's request threads under constant demand). Unlike {@link OpenLoop}, the rate
 * follows the upstream: fast failures raise it, hangs lower it. Runs until {@link #stop}.
 */
final class ClosedLoop {

    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder requests = new LongAdder();
    private volatile boolean stopped;

    private ClosedLoop() {
    }

    /**
     * Starts the threads.
     *
     * @param count how many threads
     * @param request what each request does; what it returns or throws is ignored
     * @return the running load
     */
    static ClosedLoop start(int count, OpenLoop.Request request) {
        ClosedLoop load = new ClosedLoop();
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(load.loop(request), "closed-loop-" + (i + 1));
            t.setDaemon(true);
            load.threads.add(t);
        }
        load.threads.forEach(Thread::start);
        return load;
    }

    private Runnable loop(OpenLoop.Request request) {
        return () -> {
            while (!stopped) {
                try {
                    request.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a failed request is still a request: go on
                }
                requests.increment();
            }
        };
    }

    /** Requests completed so far. */
    long requests() {
        return requests.sum();
    }

    /**
     * Stops the threads after their current request; interrupts those still busy after {@code graceMillis}.
     *
     * @param graceMillis how long to wait for current requests
     */
    void stop(long graceMillis) throws InterruptedException {
        stopped = true;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (t.isAlive()) {
                t.interrupt();
            }
        }
    }
}
