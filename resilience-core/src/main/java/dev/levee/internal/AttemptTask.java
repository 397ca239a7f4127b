package dev.levee.internal;

import dev.levee.UpstreamCall;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One synchronous attempt handed to an attempt thread. The bulkhead permit is released exactly once, when
 * the work really stops: by the worker when it ends, or by the caller if the task is abandoned before a
 * worker ever started it.
 */
final class AttemptTask<U> extends FutureTask<U> {

    private final AtomicBoolean claimed;
    private final Bulkhead bulkhead;

    AttemptTask(UpstreamCall<U> call, Attempt context, Bulkhead bulkhead) {
        this(new AtomicBoolean(), call, context, bulkhead);
    }

    private AttemptTask(AtomicBoolean claimed, UpstreamCall<U> call, Attempt context, Bulkhead bulkhead) {
        super(work(claimed, call, context, bulkhead));
        this.claimed = claimed;
        this.bulkhead = bulkhead;
    }

    private static <U> Callable<U> work(AtomicBoolean claimed, UpstreamCall<U> call, Attempt context, Bulkhead bulkhead) {
        return () -> {
            if (!claimed.compareAndSet(false, true)) {
                return null; // abandoned before it started; the caller released the permit
            }
            try {
                return call.call(context);
            } finally {
                bulkhead.release();
            }
        };
    }

    /** Gives up on the attempt: interrupts the worker, or makes sure the work never starts. */
    void abandon() {
        cancel(true);
        if (claimed.compareAndSet(false, true)) {
            bulkhead.release();
        }
    }
}
