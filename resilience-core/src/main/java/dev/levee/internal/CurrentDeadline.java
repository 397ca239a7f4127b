package dev.levee.internal;

import dev.levee.Deadline;
import org.jspecify.annotations.Nullable;

/**
 * The deadline bound on each thread: the state behind {@link Deadline#bind()} and {@link Deadline#current()},
 * kept here so that {@link DeadlineAccessor} can carry it to other threads.
 */
public final class CurrentDeadline {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private CurrentDeadline() {
    }

    /**
     * The deadline bound on the calling thread.
     *
     * @return the deadline, or null if none is bound
     */
    public static @Nullable Deadline get() {
        return CURRENT.get();
    }

    /**
     * Binds a deadline to the calling thread.
     *
     * @param deadline the deadline, or null to unbind
     */
    public static void set(@Nullable Deadline deadline) {
        if (deadline == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(deadline);
        }
    }
}
