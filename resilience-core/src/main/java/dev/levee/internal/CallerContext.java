package dev.levee.internal;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The caller's context, captured once when a call starts and restored around each piece of the call that
 * runs on another thread: an attempt on an attempt thread, an asynchronous retry, timeout or completion (and
 * so the fallback and the callbacks of the returned future), an abandon action. It holds a snapshot of every
 * {@code ThreadLocalAccessor} of a Micrometer {@link ContextRegistry} (the current Observation, the bound
 * {@link dev.levee.Deadline}, whatever the application registered) and a copy of the whole SLF4J
 * {@link MDC}, which Levee carries itself rather than registering an MDC accessor globally: that would make
 * every other user of the registry (Reactor, task decorators) copy the MDC on every hop.
 *
 * <p>Restoring clears what the snapshot lacks, so a thread never shows a value a previous task left behind,
 * and {@link Restored#close()} puts the thread's own state back, MDC included, whatever the work in between
 * did to it. A caller with nothing to carry (no accessor holds a value, no MDC) is captured as an empty
 * context, which a fresh thread (a virtual thread started for this piece of work, inheriting nothing) skips
 * altogether: it has nothing to clear and nothing to put back. Immutable; one instance may be restored on
 * several threads at once.
 */
final class CallerContext {

    /** Nothing captured (propagation off): restoring does nothing. */
    static final CallerContext NONE = new CallerContext(null, null, false);

    private final @Nullable ContextSnapshot snapshot;
    private final @Nullable Map<String, String> mdc;
    /** Nothing was captured but the absence of everything: restoring only clears. */
    private final boolean empty;

    private CallerContext(@Nullable ContextSnapshot snapshot, @Nullable Map<String, String> mdc, boolean empty) {
        this.snapshot = snapshot;
        this.mdc = mdc;
        this.empty = empty;
    }

    /** Sets the captured context on the calling thread until the returned scope is closed. */
    Restored restore() {
        return restore(false);
    }

    /**
     * Sets the captured context on the calling thread until the returned scope is closed.
     *
     * @param freshThread whether the calling thread was started for this work and inherited no thread locals
     *     (Levee's virtual attempt threads): an empty context then has nothing to clear and nothing to put back
     */
    Restored restore(boolean freshThread) {
        ContextSnapshot s = snapshot;
        if (s == null || (empty && freshThread)) {
            return Restored.NOTHING;
        }
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        setMdc(mdc);
        ContextSnapshot.Scope scope;
        try {
            scope = s.setThreadLocals();
        } catch (RuntimeException | Error e) {
            setMdc(previousMdc);
            throw e;
        }
        return new Restored(scope, previousMdc);
    }

    /** The action, run in this context: for work whose thread is not known yet (abandon actions). */
    Runnable wrap(Runnable action) {
        if (snapshot == null) {
            return action;
        }
        return () -> {
            try (Restored restored = restore()) {
                action.run();
            }
        };
    }

    private static void setMdc(@Nullable Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(map);
        }
    }

    /**
     * Captures the calling thread's context for a registry: on by default, over the global
     * {@link ContextRegistry#getInstance()}.
     */
    static final class Capture {

        /** Propagation switched off: captures nothing. */
        static final Capture OFF = new Capture(null);

        private final @Nullable ContextSnapshotFactory factory;
        /** What a caller with nothing to carry is captured as: one instance, restored as often as needed. */
        private final CallerContext empty;

        private Capture(@Nullable ContextSnapshotFactory factory) {
            this.factory = factory;
            this.empty = factory == null ? NONE : new CallerContext(factory.captureFrom(), null, true);
        }

        /** Captures the accessors registered in {@code registry} at each call, as they are then, and the MDC. */
        static Capture of(ContextRegistry registry) {
            return new Capture(ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build());
        }

        CallerContext capture() {
            ContextSnapshotFactory f = factory;
            if (f == null) {
                return NONE;
            }
            ContextSnapshot snapshot = f.captureAll();
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            if ((mdc == null || mdc.isEmpty()) && holdsNothing(snapshot)) {
                return empty;
            }
            return new CallerContext(snapshot, mdc, false);
        }

        /**
         * Whether a snapshot holds no value. context-propagation's snapshot is the map of what it holds; a
         * snapshot of any other kind counts as holding something, so it is restored in full.
         */
        private static boolean holdsNothing(ContextSnapshot snapshot) {
            return snapshot instanceof Map<?, ?> values && values.isEmpty();
        }
    }

    /** The captured context set on a thread; closing it puts the thread's own state back. */
    static final class Restored implements AutoCloseable {

        static final Restored NOTHING = new Restored(null, null);

        private final ContextSnapshot.@Nullable Scope scope;
        private final @Nullable Map<String, String> previousMdc;

        private Restored(ContextSnapshot.@Nullable Scope scope, @Nullable Map<String, String> previousMdc) {
            this.scope = scope;
            this.previousMdc = previousMdc;
        }

        @Override
        public void close() {
            if (scope == null) {
                return;
            }
            try {
                scope.close();
            } finally {
                setMdc(previousMdc); // last, so the MDC is the thread's own whatever an accessor did to it
            }
        }
    }
}
