package dev.levee;

import dev.levee.internal.Scheduling;
import dev.levee.internal.UpstreamEngine;
import dev.levee.internal.Check;
import dev.levee.internal.MigrationEngine;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationSpec;
import dev.levee.spi.UpstreamObserverFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

    private final int maxUpstreams;
    private final List<UpstreamObserverFactory> observers;
    private final Scheduling scheduling;
    private final @Nullable MeterRegistry registry;
    private final @Nullable ObservationRegistry observations;
    private final boolean contextPropagation;
    private final List<HealthListener> healthListeners;
    private final Map<String, UpstreamEngine> byName = new ConcurrentHashMap<>();
    private final List<UpstreamEngine> ordered = new CopyOnWriteArrayList<>();
    private final List<MigrationEngine<?, ?>> migrations = new CopyOnWriteArrayList<>();
    private boolean closed;

    private Upstreams(Builder b) {
        this.maxUpstreams = b.maxUpstreams;
        this.observers = List.copyOf(b.observers);
        this.registry = b.registry;
        this.observations = b.observations;
        this.contextPropagation = b.contextPropagation;
        this.healthListeners = List.copyOf(b.healthListeners);
        this.scheduling = new Scheduling(b.maxAttemptThreads);
        if (!b.healthCheckInterval.isZero()) {
            long every = b.healthCheckInterval.toNanos();
            scheduling.scheduler().scheduleWithFixedDelay(this::evaluateHealth, every, every, TimeUnit.NANOSECONDS);
        }
    }

    private void evaluateHealth() {
        for (UpstreamEngine engine : ordered) {
            try {
                engine.health();
            } catch (RuntimeException e) {
                LOG.error("Evaluating the health of upstream '{}' failed", engine.name(), e);
            }
        }
    }

    /**
     * A builder with the defaults: at most 100 upstreams, no meter registry, no observation registry, no
     * observers, context propagation on, health evaluated every second.
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
     * @throws IllegalArgumentException if an upstream of that name is already registered (here, or in another
     *     open {@code Upstreams} publishing to the same meter registry), or the maximum number of upstreams is reached
     * @throws IllegalStateException if this registry is closed
     * @throws InvalidSpecException if a meter registry is given and the spec's
     *     {@link UpstreamSpec#percentileHistogram()} differs from the upstreams already registered: one registry
     *     cannot expose {@code levee.calls} both as a histogram and as a summary (Prometheus fails its whole scrape)
     */
    public synchronized Upstream register(UpstreamSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (closed) {
            throw new IllegalStateException("cannot register upstream '" + spec.name() + "': upstreams closed");
        }
        if (byName.containsKey(spec.name())) {
            throw new IllegalArgumentException("upstream '" + spec.name() + "' is already registered; names must be unique");
        }
        if (byName.size() >= maxUpstreams) {
            throw new IllegalArgumentException("cannot register upstream '" + spec.name() + "': the maximum of "
                    + maxUpstreams + " upstreams is reached (raise Upstreams.builder().maxUpstreams)");
        }
        if (registry != null && !ordered.isEmpty() && ordered.get(0).spec().percentileHistogram() != spec.percentileHistogram()) {
            throw new InvalidSpecException("percentileHistogram", spec.percentileHistogram(), ordered.get(0).spec().percentileHistogram()
                    + ", as on upstream '" + ordered.get(0).name() + "' (one meter registry cannot expose "
                    + "levee.calls both as a histogram and as a summary)");
        }
        UpstreamEngine engine = new UpstreamEngine(spec, scheduling, observers, registry, healthListeners, contextPropagation, observations);
        byName.put(spec.name(), engine);
        ordered.add(engine);
        return engine;
    }

    /**
     * Creates a migration between two upstreams registered here: see {@link Migration} for how it routes,
     * shadows, compares and rolls back. Its meters ({@code levee.migration.*}) go to this registry's meter
     * registry; {@link #close()} removes them.
     *
     * @param spec the migration's spec, whose providers name upstreams registered here
     * @param <Q> the request type
     * @param <R> the domain answer type
     * @return the migration, to call in place of the primary
     * @throws IllegalArgumentException if a migration of that name exists already, or a provider's upstream is
     *     not registered here (the message names the registered ones)
     * @throws IllegalStateException if this registry is closed
     * @since 0.3
     */
    public synchronized <Q, R> Migration<Q, R> migrate(MigrationSpec<Q, R> spec) {
        Objects.requireNonNull(spec, "spec");
        if (closed) {
            throw new IllegalStateException("cannot create migration '" + spec.name() + "': upstreams closed");
        }
        if (findMigration(spec.name()).isPresent()) {
            throw new IllegalArgumentException("migration '" + spec.name() + "' already exists; names must be unique");
        }
        UpstreamEngine primary = engine("primary", spec.primary().upstream(), spec.name());
        UpstreamEngine candidate = engine("candidate", spec.candidate().upstream(), spec.name());
        MigrationEngine<Q, R> migration = new MigrationEngine<>(spec, primary, candidate, registry);
        migrations.add(migration);
        return migration;
    }

    private UpstreamEngine engine(String side, String upstream, String migration) {
        UpstreamEngine engine = byName.get(upstream);
        if (engine == null) {
            throw new IllegalArgumentException("migration '" + migration + "': its " + side + " upstream '" + upstream
                    + "' is not registered; registered: " + names());
        }
        return engine;
    }

    /**
     * The migrations created here, in the order of creation.
     *
     * @return an unmodifiable snapshot
     * @since 0.3
     */
    public List<Migration<?, ?>> migrations() {
        return List.<Migration<?, ?>>copyOf(migrations);
    }

    /**
     * Finds a migration by name.
     *
     * @param name the migration's name
     * @return the migration, or empty if none has that name
     * @since 0.3
     */
    public Optional<Migration<?, ?>> findMigration(String name) {
        Objects.requireNonNull(name, "name");
        for (MigrationEngine<?, ?> m : migrations) {
            if (m.name().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
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
        return List.<Upstream>copyOf(ordered);
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

    /**
     * Evaluates the health of every upstream now, in the order of registration.
     *
     * @return a fresh snapshot of each upstream
     */
    public List<UpstreamHealth> health() {
        List<UpstreamHealth> all = new ArrayList<>();
        for (UpstreamEngine engine : ordered) {
            all.add(engine.health());
        }
        return List.copyOf(all);
    }

    @Override
    public Iterator<Upstream> iterator() {
        return all().iterator();
    }

    /**
     * Abandons every attempt in flight: their {@linkplain CallContext#onAbandon abandon actions} run, their
     * threads are interrupted as each upstream's {@link InterruptPolicy} says, and their callers get a
     * {@code CancellationException} (outcome {@link Outcome#CANCELLED}); cancels the asynchronous calls in
     * flight; stops the scheduler and the attempt threads; removes Levee's meters from the meter registry.
     * Calls made afterwards are rejected as {@link Outcome#CLOSED}, and {@link #register} fails.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (MigrationEngine<?, ?> migration : migrations) {
            migration.close();
        }
        for (UpstreamEngine engine : ordered) {
            engine.close();
        }
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
        private final List<HealthListener> healthListeners = new ArrayList<>();
        private @Nullable MeterRegistry registry;
        private @Nullable ObservationRegistry observations;
        private boolean contextPropagation = true;
        private Duration healthCheckInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        /**
         * Publishes every upstream's meters (see {@link dev.levee.metrics.LeveeMeters}) to a registry. Without
         * one, nothing is recorded and nothing is allocated for metrics.
         *
         * @param registry the application's meter registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Observes every call and each of its attempts through Micrometer's Observation API: a
         * {@code levee.call} observation per call, a child of the observation current on the caller's thread,
         * and beneath it a {@code levee.attempt} observation per attempt that reached the upstream, current on
         * the thread that runs the upstream call while it runs, so that an observation the upstream's client
         * makes (an HTTP client's) is its child. With a tracing handler on the registry, each is a span:
         *
         * <pre>
         * GET /checkout                       (the caller's own span)
         * └─ call pricing                     levee.call     outcome=success, events retry.scheduled ×2
         *    ├─ attempt pricing               levee.attempt  kind=first, outcome=timeout
         *    ├─ attempt pricing               levee.attempt  kind=retry, outcome=failure, error.type=ConnectException
         *    └─ attempt pricing               levee.attempt  kind=retry, outcome=success
         *       └─ http get                   (the client's span)
         * </pre>
         *
         * <p>Keys and events are documented in {@link dev.levee.observation.LeveeObservation}; only
         * low-cardinality values become metric tags. Without an observation registry (the default), or with
         * one that has no handler, nothing is observed and nothing is allocated for it.
         *
         * @param registry the application's observation registry
         * @return this builder
         * @since 0.2
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observations = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Whether each call carries its caller's context to the threads that run parts of it: the attempts of
         * {@link TimeoutMode#ENFORCED} calls (which run on attempt threads), and the retries, timeouts,
         * fallbacks and completion callbacks of asynchronous calls. On by default.
         *
         * <p>The context is captured once, when the call starts, and consists of the SLF4J MDC (all of it) and
         * every {@code ThreadLocalAccessor} registered in Micrometer's global
         * {@code io.micrometer.context.ContextRegistry} at that moment: the current Observation (so spans
         * nest), the bound {@link Deadline}, and whatever the application registers, such as
         * {@code ContextRegistry.getInstance().registerThreadLocalAccessor("tenant", TENANT)}. It is restored
         * around each such part, values the caller lacked are cleared, and the thread's own values are put
         * back afterwards, so an attempt thread never carries one call's MDC, or a key a client set and
         * forgot, into the next. Abandon actions ({@link CallContext#onAbandon}) run in the context of the
         * attempt that registered them. A {@link TimeoutMode#COOPERATIVE} synchronous call runs wholly on its
         * caller's thread and captures nothing.
         *
         * <p>Switching it off saves the capture (a few hundred nanoseconds per enforced or asynchronous call,
         * more with a large MDC) at the cost of all of the above: attempt threads then keep whatever the
         * upstream's client left on them.
         *
         * @param enabled {@code false} to carry nothing
         * @return this builder
         * @since 0.2
         */
        public Builder contextPropagation(boolean enabled) {
            this.contextPropagation = enabled;
            return this;
        }

        /**
         * Adds a listener told once whenever an upstream's health state changes.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder healthListener(HealthListener listener) {
            healthListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * How often every upstream's health is evaluated in the background, so that a change is logged and
         * told even when nobody asks; it is also evaluated on every circuit state change and every
         * {@link Upstream#health()}. Zero switches the background evaluation off.
         *
         * @param interval 0, or 100 ms to 1 min; 1 s by default
         * @return this builder
         */
        public Builder healthCheckInterval(Duration interval) {
            this.healthCheckInterval = Objects.requireNonNull(interval, "healthCheckInterval");
            return this;
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
            if (!healthCheckInterval.isZero()) {
                Check.range("healthCheckInterval", healthCheckInterval, Duration.ofMillis(100), Duration.ofMinutes(1));
            }
            return new Upstreams(this);
        }
    }
}
