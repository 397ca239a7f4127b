package dev.levee.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.CircuitState;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.spi.RetryRefusal;
import dev.levee.spi.UpstreamObserver;
import dev.levee.spi.UpstreamObserverFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the call path tells its observers, per upstream, for assertions. Thread-safe. */
final class RecordingObserver implements UpstreamObserver {

    record AttemptEvent(int attempt, Outcome outcome, long durationNanos) { }

    record CallEvent(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) { }

    record StateChange(CircuitState from, CircuitState to) { }

    final List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
    final List<CallEvent> calls = new CopyOnWriteArrayList<>();
    final List<RetryRefusal> refusals = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<StateChange> stateChanges = new CopyOnWriteArrayList<>();

    @Override
    public void onAttempt(int attempt, Outcome outcome, long durationNanos) {
        attempts.add(new AttemptEvent(attempt, outcome, durationNanos));
    }

    @Override
    public void onCall(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) {
        calls.add(new CallEvent(outcome, fallbackUsed, attempts, durationNanos));
    }

    @Override
    public void onRetryRefused(RetryRefusal reason) {
        refusals.add(reason);
    }

    @Override
    public void onContractViolation(String expectation) {
        violations.add(expectation);
    }

    @Override
    public void onCircuitStateChange(CircuitState from, CircuitState to) {
        stateChanges.add(new StateChange(from, to));
    }

    /** The outcomes of the recorded attempts, in order. */
    List<Outcome> attemptOutcomes() {
        return attempts.stream().map(AttemptEvent::outcome).toList();
    }

    /** The numbers of the recorded attempts, in order. */
    List<Integer> attemptNumbers() {
        return attempts.stream().map(AttemptEvent::attempt).toList();
    }

    /** The one call recorded so far; fails if there is not exactly one. */
    CallEvent onlyCall() {
        assertThat(calls).as("onCall events").hasSize(1);
        return calls.get(0);
    }

    /** The last call recorded; fails if there is none. */
    CallEvent lastCall() {
        assertThat(calls).as("onCall events").isNotEmpty();
        return calls.get(calls.size() - 1);
    }

    void clear() {
        attempts.clear();
        calls.clear();
        refusals.clear();
        violations.clear();
        stateChanges.clear();
    }

    /** Creates one recording observer per registered upstream and finds it again by name. */
    static final class Factory implements UpstreamObserverFactory {
        private final Map<String, RecordingObserver> byUpstream = new ConcurrentHashMap<>();

        @Override
        public UpstreamObserver create(Upstream upstream) {
            return byUpstream.computeIfAbsent(upstream.name(), n -> new RecordingObserver());
        }

        RecordingObserver of(String upstream) {
            RecordingObserver o = byUpstream.get(upstream);
            assertThat(o).as("observer of upstream '%s'", upstream).isNotNull();
            return o;
        }
    }
}
