package dev.levee.internal;

import dev.levee.CircuitState;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.metrics.LeveeMeters;
import dev.levee.spi.RetryRefusal;
import dev.levee.spi.UpstreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The Micrometer meters of one upstream. Gauges are registered at once; a timer or counter per outcome is
 * created the first time that outcome happens and then kept in an array slot, so the call path never
 * looks a meter up and allocates nothing.
 */
final class MicrometerObserver implements UpstreamObserver {

    private static final Outcome[] OUTCOMES = Outcome.values();

    private final MeterRegistry registry;
    private final UpstreamSpec spec;
    private final Tags tags;
    private final AtomicReferenceArray<Timer> calls = new AtomicReferenceArray<>(OUTCOMES.length * 2);
    private final AtomicReferenceArray<Counter> attempts = new AtomicReferenceArray<>(OUTCOMES.length * 2);
    private final Counter refusedByBudget;
    private final Counter refusedByDeadline;
    private final Map<String, Counter> violations = new ConcurrentHashMap<>();
    private static final CircuitState[] STATES = CircuitState.values();
    private final AtomicReferenceArray<Counter> transitions = new AtomicReferenceArray<>(STATES.length * STATES.length);
    private final dev.levee.TimeSource time;
    /** Time spent not closed by the circuit's earlier spells; guarded by this. */
    private long notClosedNanos;
    /** When the current spell not closed began, or -1 while closed; guarded by this. */
    private long notClosedSince = -1;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    MicrometerObserver(MeterRegistry registry, UpstreamEngine upstream) {
        this.registry = registry;
        this.spec = upstream.spec();
        this.time = spec.timeSource();
        this.tags = Tags.of(LeveeMeters.TAG_UPSTREAM, spec.name());
        if (registry.find(LeveeMeters.INFO).tags(tags).meter() != null) {
            // Its gauges would read the other upstream, and closing either would remove the other's meters.
            throw new IllegalArgumentException("upstream '" + spec.name() + "' already publishes meters to this registry "
                    + "from another Upstreams; close that one first or give this upstream another name");
        }
        refusedByBudget = refused(RetryRefusal.BUDGET);
        refusedByDeadline = refused(RetryRefusal.DEADLINE);
        for (CircuitState state : CircuitState.values()) {
            // Read without noticing a change: a scrape never logs or calls listeners (the calls and the
            // registry's periodic health check notice changes).
            keep(Gauge.builder(LeveeMeters.CIRCUIT_STATE, upstream, u -> u.peekCircuitState() == state ? 1 : 0)
                    .tags(tags).tag(LeveeMeters.TAG_STATE, state.name().toLowerCase(Locale.ROOT))
                    .description("1 for the circuit breaker's current state, 0 for the others")
                    .register(registry));
        }
        keep(Gauge.builder(LeveeMeters.HEALTH, upstream, u -> u.peekHealth().gaugeValue()).tags(tags)
                .description("Health of the upstream: 2 healthy, 1 degraded, 0 unavailable")
                .register(registry));
        keep(Gauge.builder(LeveeMeters.IN_FLIGHT, upstream, Upstream::inFlight).tags(tags)
                .description("Attempts holding a bulkhead permit right now")
                .register(registry));
        keep(Gauge.builder(LeveeMeters.BULKHEAD_LIMIT, spec, s -> s.bulkhead().maxConcurrentCalls()).tags(tags)
                .description("The bulkhead's limit of concurrent calls")
                .register(registry));
        keep(Gauge.builder(LeveeMeters.INFO, () -> 1).tags(tags)
                .tag(LeveeMeters.TAG_OWNER, spec.owner())
                .tag(LeveeMeters.TAG_CRITICALITY, spec.criticality().name().toLowerCase(Locale.ROOT))
                .description("Always 1; carries the upstream's owner and criticality")
                .register(registry));
        keep(io.micrometer.core.instrument.FunctionCounter.builder(LeveeMeters.CIRCUIT_NOT_CLOSED, this,
                        MicrometerObserver::notClosedSeconds).tags(tags).baseUnit("seconds")
                .description("Seconds the circuit has spent open, half-open or forced open")
                .register(registry));
    }

    @Override
    public void onCircuitStateChange(CircuitState from, CircuitState to) {
        int slot = from.ordinal() * STATES.length + to.ordinal();
        Counter c = transitions.get(slot);
        if (c == null) {
            c = keep(Counter.builder(LeveeMeters.CIRCUIT_TRANSITIONS).tags(tags)
                    .tag(LeveeMeters.TAG_FROM, from.name().toLowerCase(Locale.ROOT))
                    .tag(LeveeMeters.TAG_TO, to.name().toLowerCase(Locale.ROOT))
                    .description("Circuit state transitions, by the state left and the state entered")
                    .register(registry));
            transitions.set(slot, c);
        }
        c.increment();
        synchronized (this) {
            long now = time.nanoTime();
            boolean notClosed = to == CircuitState.OPEN || to == CircuitState.HALF_OPEN || to == CircuitState.FORCED_OPEN;
            if (notClosed && notClosedSince < 0) {
                notClosedSince = now;
            } else if (!notClosed && notClosedSince >= 0) {
                notClosedNanos += now - notClosedSince;
                notClosedSince = -1;
            }
        }
    }

    private synchronized double notClosedSeconds() {
        long total = notClosedNanos + (notClosedSince < 0 ? 0 : time.nanoTime() - notClosedSince);
        return total / 1e9;
    }

    @Override
    public void onAttempt(int attempt, Outcome outcome, long durationNanos) {
        int slot = outcome.ordinal() * 2 + (attempt > 1 ? 1 : 0);
        Counter c = attempts.get(slot);
        if (c == null) {
            c = keep(Counter.builder(LeveeMeters.ATTEMPTS).tags(tags)
                    .tag(LeveeMeters.TAG_KIND, attempt > 1 ? LeveeMeters.KIND_RETRY : LeveeMeters.KIND_FIRST)
                    .tag(LeveeMeters.TAG_OUTCOME, outcome.tag())
                    .description("Attempts to call the upstream, first and retries, by outcome; attempts / calls is the retry amplification")
                    .register(registry));
            attempts.set(slot, c);
        }
        c.increment();
    }

    @Override
    public void onCall(Outcome outcome, boolean fallbackUsed, int attemptCount, long durationNanos) {
        int slot = outcome.ordinal() * 2 + (fallbackUsed ? 1 : 0);
        Timer t = calls.get(slot);
        if (t == null) {
            t = keep(Timer.builder(LeveeMeters.CALLS).tags(tags)
                    .tag(LeveeMeters.TAG_OUTCOME, outcome.tag())
                    .tag(LeveeMeters.TAG_FALLBACK, Boolean.toString(fallbackUsed))
                    .publishPercentileHistogram(spec.percentileHistogram())
                    .description("Calls to the upstream, from start to the last attempt's end, by outcome and fallback use")
                    .register(registry));
            calls.set(slot, t);
        }
        t.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onRetryRefused(RetryRefusal reason) {
        (reason == RetryRefusal.BUDGET ? refusedByBudget : refusedByDeadline).increment();
    }

    @Override
    public void onContractViolation(String expectation) {
        Counter c = violations.get(expectation);
        if (c == null) {
            c = violationCounter(expectation);
        }
        c.increment();
    }

    /** The rare path, serialized so that racing new names cannot pass the cap together. */
    private synchronized Counter violationCounter(String expectation) {
        Counter c = violations.get(expectation);
        if (c != null) {
            return c;
        }
        // Keyed by tag value, so the map (like the series) stays bounded whatever names arrive.
        String tag = violations.size() >= LeveeMeters.MAX_EXPECTATIONS ? LeveeMeters.EXPECTATION_OTHER : expectation;
        return violations.computeIfAbsent(tag, t -> keep(Counter.builder(LeveeMeters.CONTRACT_VIOLATIONS).tags(tags)
                .tag(LeveeMeters.TAG_EXPECTATION, t)
                .description("Responses that broke a named expectation of the consumer, or could not be translated")
                .register(registry)));
    }

    /** Removes this upstream's meters from the registry. */
    void close() {
        closed = true;
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }

    private Counter refused(RetryRefusal reason) {
        return keep(Counter.builder(LeveeMeters.RETRIES_REFUSED).tags(tags)
                .tag(LeveeMeters.TAG_REASON, reason.name().toLowerCase(Locale.ROOT))
                .description("Retries that were due but not made: the retry budget was spent, or the deadline left no room")
                .register(registry));
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        if (closed) {
            registry.remove(meter); // first registered by a call during or after close: never left behind
        }
        return meter;
    }
}
