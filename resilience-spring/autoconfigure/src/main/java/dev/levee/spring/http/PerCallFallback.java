package dev.levee.spring.http;

import dev.levee.Fallback;
import dev.levee.UpstreamException;
import org.jspecify.annotations.Nullable;

/**
 * The fallback of a call made through {@link UpstreamRestClients#call(String, java.util.function.Supplier, Fallback)},
 * bound to the calling thread while the call runs, innermost first. The interceptor of the upstream it names
 * hands it to the core as the exchange's fallback ({@code CallOptions.withFallback}), so the call is counted as
 * fallen back; its domain answer then leaves the exchange as an {@link Answer}, which skips the client's
 * response handling and is caught by the call that bound this scope.
 */
final class PerCallFallback implements AutoCloseable {

    private static final ThreadLocal<@Nullable PerCallFallback> CURRENT = new ThreadLocal<>();

    private final String upstream;
    private final Fallback<?> fallback;
    private final @Nullable PerCallFallback outer;

    private PerCallFallback(String upstream, Fallback<?> fallback, @Nullable PerCallFallback outer) {
        this.upstream = upstream;
        this.fallback = fallback;
        this.outer = outer;
    }

    /** Binds a fallback for the upstream's exchanges on this thread until {@link #close()}. */
    static PerCallFallback open(String upstream, Fallback<?> fallback) {
        PerCallFallback scope = new PerCallFallback(upstream, fallback, CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** The innermost fallback bound on this thread for the upstream, if any. */
    static @Nullable PerCallFallback current(String upstream) {
        for (PerCallFallback s = CURRENT.get(); s != null; s = s.outer) {
            if (s.upstream.equals(upstream)) {
                return s;
            }
        }
        return null;
    }

    /** Used as the exchange's fallback: never returns, the answer leaves as an {@link Answer} for this scope. */
    <T> T recover(UpstreamException failure) {
        throw new Answer(this, fallback.recover(failure));
    }

    @Override
    public void close() {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    /** Carries a per-call fallback's answer from the exchange out to its call; no stack trace, never escapes the call. */
    static final class Answer extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient PerCallFallback scope;
        private final transient @Nullable Object value;

        Answer(PerCallFallback scope, @Nullable Object value) {
            super("a per-call fallback answered for upstream '" + scope.upstream + "'", null, false, false);
            this.scope = scope;
            this.value = value;
        }

        boolean isFor(PerCallFallback s) {
            return scope == s;
        }

        @Nullable Object value() {
            return value;
        }
    }
}
