package dev.levee.spring.actuate;

import dev.levee.CircuitState;
import dev.levee.HealthListener;
import dev.levee.Upstream;
import dev.levee.UpstreamHealth;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.spi.UpstreamObserver;
import dev.levee.spi.UpstreamObserverFactory;
import dev.levee.spring.UpstreamsBuilderCustomizer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the last few circuit transitions and health changes of every upstream, for the {@code upstreams}
 * endpoint: a bounded ring per upstream, the oldest event dropped first. Attached to the registry as an
 * {@link UpstreamsBuilderCustomizer}, which Levee's auto-configuration applies; with an {@link Upstreams} bean of
 * your own, call {@link #customize(Upstreams.Builder)} on its builder to have its events recorded.
 *
 * <p>Events are rare (never one per call), so recording one costs a lock on its upstream's ring. Thread-safe.
 *
 * @since 0.1
 */
public final class UpstreamEvents implements UpstreamsBuilderCustomizer {

    private final int capacity;
    private final Clock clock;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private volatile boolean attached;

    /**
     * Creates the recorder, with the system clock.
     *
     * @param perUpstream how many events to keep per upstream, 0 to 1000
     * @throws IllegalArgumentException if {@code perUpstream} is out of range
     */
    public UpstreamEvents(int perUpstream) {
        this(perUpstream, Clock.systemUTC());
    }

    /**
     * Creates the recorder.
     *
     * @param perUpstream how many events to keep per upstream, 0 to 1000
     * @param clock the clock circuit transitions are timed by (health changes carry their own time)
     * @throws IllegalArgumentException if {@code perUpstream} is out of range
     */
    public UpstreamEvents(int perUpstream, Clock clock) {
        if (perUpstream < 0 || perUpstream > 1000) {
            throw new IllegalArgumentException("perUpstream must be between 0 and 1000, but was " + perUpstream);
        }
        this.capacity = perUpstream;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Attaches the recorder to a registry's builder: an observer of every upstream's circuit and a health
     * listener. Does nothing if it keeps no events.
     *
     * @param builder the registry's builder
     */
    @Override
    public void customize(Upstreams.Builder builder) {
        if (capacity == 0) {
            return;
        }
        builder.observer(new CircuitRecorder()).healthListener(new HealthRecorder());
        attached = true;
    }

    /**
     * The recent events of an upstream, oldest first.
     *
     * @param upstream the upstream's name
     * @return the events, oldest first (an empty list if none was recorded yet); or empty if the recorder keeps no
     *     events or is attached to no registry, so that "nothing happened" and "nothing is recorded" differ
     */
    public Optional<List<UpstreamEvent>> recent(String upstream) {
        if (!attached) {
            return Optional.empty();
        }
        Ring ring = rings.get(upstream);
        return Optional.of(ring == null ? List.of() : ring.snapshot());
    }

    private Ring ring(String upstream) {
        return rings.computeIfAbsent(upstream, name -> new Ring(capacity));
    }

    /** A bounded ring of events; the oldest is dropped when a new one does not fit. */
    private static final class Ring {
        private final int capacity;
        private final ArrayDeque<UpstreamEvent> events;

        Ring(int capacity) {
            this.capacity = capacity;
            this.events = new ArrayDeque<>(capacity);
        }

        synchronized void add(UpstreamEvent event) {
            if (events.size() == capacity) {
                events.removeFirst();
            }
            events.addLast(event);
        }

        synchronized List<UpstreamEvent> snapshot() {
            return List.copyOf(events);
        }
    }

    private final class CircuitRecorder implements UpstreamObserverFactory {
        @Override
        public UpstreamObserver create(Upstream upstream) {
            Ring ring = ring(upstream.name());
            UpstreamSpec spec = upstream.spec();
            return new UpstreamObserver() {
                @Override
                public void onCircuitStateChange(CircuitState from, CircuitState to) {
                    ring.add(new UpstreamEvent(clock.instant(), UpstreamEvent.Type.CIRCUIT, from.name(), to.name(),
                            CircuitReasons.of(spec, from, to)));
                }
            };
        }
    }

    private final class HealthRecorder implements HealthListener {
        @Override
        public void onHealthChange(UpstreamHealth previous, UpstreamHealth current) {
            ring(current.upstream()).add(new UpstreamEvent(current.since(), UpstreamEvent.Type.HEALTH,
                    previous.state().name(), current.state().name(), current.reason()));
        }
    }
}
