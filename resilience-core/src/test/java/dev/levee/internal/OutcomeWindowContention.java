package dev.levee.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * For tests outside this package: makes a recorder wait for the outcome window's lock, for certain. The
 * calling thread holds every stripe, hands one {@code record} to another thread, waits until that thread is
 * seen spinning for a stripe, then lets go.
 */
public final class OutcomeWindowContention {

    private OutcomeWindowContention() {
    }

    /**
     * Records one outcome on a thread of {@code executor} while the calling thread holds every stripe.
     *
     * @return whether the recording thread was seen waiting for a stripe before the stripes were let go
     */
    public static boolean recordWhileEveryStripeIsHeld(Consumer<Runnable> executor) throws Exception {
        OutcomeWindow window = new OutcomeWindow(10, 100, 50f, 100f, Long.MAX_VALUE, 0L, 2);
        CompletableFuture<Thread> recorder = new CompletableFuture<>();
        CompletableFuture<Boolean> recorded = new CompletableFuture<>();
        boolean sawItWait = false;
        for (OutcomeWindow.Stripe s : window.stripes) {
            s.lock();
        }
        try {
            executor.accept(() -> {
                recorder.complete(Thread.currentThread());
                recorded.complete(window.record(1_000_000L, 1_000L, false));
            });
            Thread t = recorder.get(10, TimeUnit.SECONDS);
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!sawItWait && System.nanoTime() < giveUp) {
                for (StackTraceElement e : t.getStackTrace()) {
                    if (e.getClassName().equals(OutcomeWindow.class.getName()) && e.getMethodName().equals("lockOwn")) {
                        sawItWait = true;
                    }
                }
                Thread.onSpinWait();
            }
        } finally {
            for (OutcomeWindow.Stripe s : window.stripes) {
                s.unlock();
            }
        }
        recorded.get(10, TimeUnit.SECONDS);
        return sawItWait;
    }
}
