package dev.levee.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Upstream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds an upstream's only bulkhead permit: a thread whose call blocks inside the upstream until closed.
 * Closing releases it, joins the thread and checks that its call ended without error.
 */
public final class PermitHolder implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final Thread holder;

    private PermitHolder(Upstream upstream) throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        holder = new Thread(() -> {
            try {
                upstream.call(ctx -> {
                    entered.countDown();
                    return release.await(10, TimeUnit.SECONDS);
                });
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        holder.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the holder's call reached the upstream").isTrue();
    }

    /** Starts a call that takes a permit of {@code upstream} and keeps it until {@link #close()}. */
    public static PermitHolder hold(Upstream upstream) throws InterruptedException {
        return new PermitHolder(upstream);
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        holder.join(10_000);
        assertThat(holder.isAlive()).isFalse();
        assertThat(errors).isEmpty();
    }
}
