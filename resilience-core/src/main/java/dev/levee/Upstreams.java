package dev.levee;

import dev.levee.internal.Scheduling;
import dev.levee.internal.UpstreamEngine;
import dev.levee.internal.Check;
import dev.levee.spi.UpstreamObserverFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application's registry of upstreams: the entry point of Levee. Register each upstream once, at
 * startup, from its {@link UpstreamSpec}; then call it through the returned {@link Upstream}, whose javadoc
 * draws the call path every call goes through.
 *
 * <pre>{@code
 * try (Upstreams upstreams = Upstreams.builder().build()) {
 *     Upstream pricing = upstreams.register(UpstreamSpec.named("pricing").owner("pricing-team").build());
 *     Price price = pricing.call(ctx -> client.quote(sku, ctx.remaining()), PriceAdapter.INSTANCE);
 * }
 * }</pre>
 *
 * <p>The number of upstreams is capped ({@link Builder#maxUpstreams(int)}) because each one has its own
 * metrics: an upstream name must come from configuration, never from request data.
 *
 * <p>Thread-safe. {@link #close()} stops the threads that enforce timeouts; calls after it fail.
 *
 * @since 0.1
 */
public final class Upstreams implements Iterable<Upstream>, AutoCloseable {

    private final int maxUpstreams;
    private final List<UpstreamObserverFactory> observers;
    private final Scheduling scheduling;
    private final Map<String, UpstreamEngine> byName = new ConcurrentHashMap<>();
    private final List<Upstream> ordered = new CopyOnWriteArrayList<>();

    private Upstreams(Builder b) {
        this.maxUpstreams = b.maxUpstreams;
        this.observers = List.copyOf(b.observers);
        this.scheduling = new Scheduling(b.maxAttemptThreads);
    }

    /**
     * A builder with the defaults: at most 100 upstreams, no observers.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers an upstream.
     *
     * @param spec the upstream's spec
     * @return the upstream, ready to be called
     * @throws IllegalArgumentException if an upstream of that name is already registered, or the maximum
     *     number of upstreams is reached
     */
    public synchronized Upstream register(UpstreamSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (byName.containsKey(spec.name())) {
            throw new IllegalArgumentException("upstream '" + spec.name() + "' is already registered; names must be unique");
        }
        if (byName.size() >= maxUpstreams) {
            throw new IllegalArgumentException("cannot register upstream '" + spec.name() + "': the maximum of "
                    + maxUpstreams + " upstreams is reached (raise Upstreams.builder().maxUpstreams)");
        }
        UpstreamEngine engine = new UpstreamEngine(spec, scheduling, observers);
        byName.put(spec.name(), engine);
        ordered.add(engine);
        return engine;
    }

    /**
     * Finds an upstream by name.
     *
     * @param name the upstream's name
     * @return the upstream, or empty if none is registered under that name
     */
    public Optional<Upstream> find(String name) {
        return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * Gets an upstream that must be registered.
     *
     * @param name the upstream's name
     * @return the upstream
     * @throws IllegalArgumentException naming the registered upstreams if there is none of that name
     */
    public Upstream get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "no upstream named '" + name + "'; registered: " + names()));
    }

    /**
     * The registered upstreams, in the order of registration.
     *
     * @return an unmodifiable snapshot
     */
    public List<Upstream> all() {
        return List.copyOf(ordered);
    }

    /**
     * The names of the registered upstreams, in the order of registration.
     *
     * @return an unmodifiable snapshot
     */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Upstream u : ordered) {
            names.add(u.name());
        }
        return List.copyOf(names);
    }

    @Override
    public Iterator<Upstream> iterator() {
        return all().iterator();
    }

    /** Stops the scheduler and the attempt threads; attempts in flight are interrupted. */
    @Override
    public void close() {
        scheduling.close();
    }

    /**
     * Builds {@link Upstreams}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private int maxUpstreams = 100;
        private int maxAttemptThreads = 256;
        private final List<UpstreamObserverFactory> observers = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param max the most upstreams that may be registered, 1 to 1,000
         * @return this builder
         */
        public Builder maxUpstreams(int max) {
            this.maxUpstreams = max;
            return this;
        }

        /**
         * Bounds the platform threads that run synchronous attempts with {@link TimeoutMode#ENFORCED} on
         * JDKs without virtual threads (17 to 20). Beyond it, attempts are rejected as
         * {@link Outcome#BULKHEAD_FULL}. On JDK 21+ attempts run on virtual threads and only the bulkheads
         * bound them.
         *
         * @param max the most attempt threads, 1 to 10,000
         * @return this builder
         */
        public Builder maxAttemptThreads(int max) {
            this.maxAttemptThreads = max;
            return this;
        }

        /**
         * Adds an observer of every upstream's calls (metrics, health, logging).
         *
         * @param factory creates each upstream's observer at registration
         * @return this builder
         */
        public Builder observer(UpstreamObserverFactory factory) {
            observers.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /**
         * Validates and builds the registry.
         *
         * @return the registry
         * @throws InvalidSpecException naming the first setting out of range
         */
        public Upstreams build() {
            Check.range("maxUpstreams", maxUpstreams, 1, 1_000);
            Check.range("maxAttemptThreads", maxAttemptThreads, 1, 10_000);
            return new Upstreams(this);
        }
    }
}
