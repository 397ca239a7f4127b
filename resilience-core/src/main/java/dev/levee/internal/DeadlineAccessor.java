package dev.levee.internal;

import dev.levee.Deadline;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Exposes the {@link Deadline} bound on a thread to Micrometer's context-propagation under
 * {@link Deadline#CONTEXT_KEY}, so that an executor, a task decorator or a reactive pipeline that propagates
 * context carries a request's deadline to the threads serving it. Registered in the global
 * {@code ContextRegistry} by {@code META-INF/services}; public only because the service loader needs it.
 */
public final class DeadlineAccessor implements ThreadLocalAccessor<Deadline> {

    /** Called by the service loader. */
    public DeadlineAccessor() {
    }

    @Override
    public Object key() {
        return Deadline.CONTEXT_KEY;
    }

    @Override
    public @Nullable Deadline getValue() {
        return CurrentDeadline.get();
    }

    @Override
    public void setValue(Deadline value) {
        CurrentDeadline.set(value);
    }

    @Override
    public void setValue() {
        CurrentDeadline.set(null);
    }
}
