package dev.levee;

import dev.levee.internal.CurrentDeadline;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A point in time by which the work serving a request must be done, propagated to every upstream call made
 * on the same thread: while a deadline is {@link #bind() bound}, each call's own deadline is clamped to what
 * remains of it, so an upstream call never outlives the request it serves. A call that starts after the
 * deadline has passed fails at once with {@link DeadlineExceededException}, without touching the upstream.
 *
 * <pre>{@code
 * Deadline deadline = Deadline.after(Duration.ofMillis(800)); // e.g. from an incoming request header
 * try (Deadline.Scope scope = deadline.bind()) {
 *     Price price = pricing.call(...);       // bounded by min(pricing's deadline, what remains of 800 ms)
 *     Stock stock = inventory.call(...);     // bounded by what remains after pricing
 * }
 * }</pre>
 *
 * <p>Deadlines are measured on the JVM's monotonic clock. An asynchronous call reads the deadline bound on
 * the thread that starts it. Immutable and thread-safe; a scope belongs to the thread that opened it.
 *
 * <p>The bound deadline travels with the rest of the caller's context: Levee registers it with Micrometer's
 * context-propagation (under {@link #CONTEXT_KEY}), so work handed to an executor that propagates context
 * (a {@code ContextSnapshot}-wrapped task, Spring's {@code ContextPropagatingTaskDecorator}, Reactor's
 * automatic context propagation) sees it too, and so do the upstream calls made there:
 *
 * <pre>{@code
 * ExecutorService executor = ContextExecutorService.wrap(Executors.newFixedThreadPool(4));
 * try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(800)).bind()) {
 *     executor.submit(() -> pricing.call(...)); // bounded by what remains of the 800 ms
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class Deadline {

    /**
     * The key under which the bound deadline is known to Micrometer's context-propagation
     * ({@code io.micrometer.context.ThreadLocalAccessor#key()}), for example to filter what a
     * {@code ContextSnapshotFactory} captures.
     *
     * @since 0.2
     */
    public static final String CONTEXT_KEY = "levee.deadline";

    private final long at;

    private Deadline(long at) {
        this.at = at;
    }

    /**
     * A deadline the given time from now.
     *
     * @param budget the time left, zero or more
     * @return the deadline
     * @throws InvalidSpecException if {@code budget} is negative
     */
    public static Deadline after(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative()) {
            throw new InvalidSpecException("deadline", dev.levee.internal.Check.format(budget), "zero or more");
        }
        long nanos;
        try {
            nanos = budget.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        return new Deadline(System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 2));
    }

    /**
     * The deadline bound on the calling thread, if any.
     *
     * @return the current deadline, or empty
     */
    public static Optional<Deadline> current() {
        return Optional.ofNullable(CurrentDeadline.get());
    }

    /**
     * What remains of the deadline bound on the calling thread, without allocating.
     *
     * @return the remaining nanoseconds (zero or less once passed), or {@link Long#MAX_VALUE} if none is bound
     */
    public static long currentRemainingNanos() {
        Deadline d = CurrentDeadline.get();
        return d == null ? Long.MAX_VALUE : d.remainingNanos();
    }

    /**
     * The time left.
     *
     * @return the remaining time, {@link Duration#ZERO} once passed
     */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }

    /**
     * The time left in nanoseconds.
     *
     * @return the remaining nanoseconds, zero or less once passed
     */
    public long remainingNanos() {
        return at - System.nanoTime();
    }

    /**
     * Whether the deadline has passed.
     *
     * @return {@code true} once no time is left
     */
    public boolean isExpired() {
        return remainingNanos() <= 0;
    }

    /**
     * Makes this the current deadline of the calling thread until the scope is closed; the earlier deadline
     * of an enclosing scope still applies if it is sooner.
     *
     * @return the scope to close, in a try-with-resources block
     */
    public Scope bind() {
        Deadline previous = CurrentDeadline.get();
        Deadline effective = previous != null && previous.at - at < 0 ? previous : this;
        CurrentDeadline.set(effective);
        return new Scope(previous);
    }

    @Override
    public String toString() {
        return "Deadline[remaining=" + Math.max(0, remainingNanos() / 1_000_000) + " ms]";
    }

    /**
     * A binding of a deadline to the current thread; closing it restores the enclosing one.
     *
     * @since 0.1
     */
    public static final class Scope implements AutoCloseable {
        private final @Nullable Deadline previous;
        private final Thread owner = Thread.currentThread();

        private Scope(@Nullable Deadline previous) {
            this.previous = previous;
        }

        /**
         * Restores the deadline that was current when this scope was opened.
         *
         * @throws IllegalStateException if closed on another thread than the one that opened it
         */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a Deadline.Scope must be closed on the thread that opened it ("
                        + owner.getName() + "), not on " + Thread.currentThread().getName());
            }
            CurrentDeadline.set(previous);
        }
    }
}
