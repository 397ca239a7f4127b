package dev.levee.testing;

import dev.levee.CircuitState;
import dev.levee.Outcome;
import dev.levee.spi.RetryRefusal;
import dev.levee.spi.UpstreamObserver;
import dev.levee.spi.UpstreamObserverFactory;
import java.util.ArrayList;
import java.util.List;

/** An observer that records every event it receives, in order; thread-safe. Use one per upstream. */
public final class RecordingObserver implements UpstreamObserver, UpstreamObserverFactory {

    /** One attempt as reported to {@link #onAttempt}. */
    public record AttemptEvent(int attempt, Outcome outcome, long durationNanos) { }

    /** One call as reported to {@link #onCall}. */
    public record CallEvent(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) { }

    /** One circuit transition. */
    public record Transition(CircuitState from, CircuitState to) { }

    private final List<AttemptEvent> attempts = new ArrayList<>();
    private final List<CallEvent> calls = new ArrayList<>();
    private final List<RetryRefusal> refusals = new ArrayList<>();
    private final List<Transition> transitions = new ArrayList<>();

    @Override
    public UpstreamObserver create(dev.levee.Upstream upstream) {
        return this;
    }

    @Override
    public synchronized void onAttempt(int attempt, Outcome outcome, long durationNanos) {
        attempts.add(new AttemptEvent(attempt, outcome, durationNanos));
    }

    @Override
    public synchronized void onCall(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) {
        calls.add(new CallEvent(outcome, fallbackUsed, attempts, durationNanos));
    }

    @Override
    public synchronized void onRetryRefused(RetryRefusal reason) {
        refusals.add(reason);
    }

    @Override
    public synchronized void onCircuitStateChange(CircuitState from, CircuitState to) {
        transitions.add(new Transition(from, to));
    }

    public synchronized List<AttemptEvent> attempts() {
        return List.copyOf(attempts);
    }

    public synchronized List<Outcome> attemptOutcomes() {
        return attempts.stream().map(AttemptEvent::outcome).toList();
    }

    public synchronized List<CallEvent> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<RetryRefusal> refusals() {
        return List.copyOf(refusals);
    }

    public synchronized List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    public synchronized void clear() {
        attempts.clear();
        calls.clear();
        refusals.clear();
        transitions.clear();
    }
}
