package dev.levee.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * The breaker's metrics as health, gauges and users read them: Levee's {@link OutcomeWindow} while the
 * circuit is closed (and, kept as it was when the circuit opened, while it is open), resilience4j's own
 * counts while it probes (half-open) and for a count window, which resilience4j keeps. Read one at a time:
 * each count is taken at the moment it is asked for.
 */
final class WindowMetrics implements CircuitBreaker.Metrics {

    private final UpstreamEngine engine;

    WindowMetrics(UpstreamEngine engine) {
        this.engine = engine;
    }

    /** The window's counts now, or null when resilience4j's own metrics apply. */
    private OutcomeWindow.Counts counts() {
        OutcomeWindow w = engine.shownWindow(engine.breaker.getState());
        return w == null ? null : w.counts(engine.time.nanoTime());
    }

    private CircuitBreaker.Metrics own() {
        return engine.breaker.getMetrics();
    }

    @Override
    public float getFailureRate() {
        OutcomeWindow.Counts c = counts();
        return c == null ? own().getFailureRate() : c.failureRate();
    }

    @Override
    public float getSlowCallRate() {
        OutcomeWindow.Counts c = counts();
        return c == null ? own().getSlowCallRate() : c.slowCallRate();
    }

    @Override
    public int getNumberOfSlowCalls() {
        OutcomeWindow.Counts c = counts();
        return c == null ? own().getNumberOfSlowCalls() : c.slow();
    }

    @Override
    public int getNumberOfSlowSuccessfulCalls() {
        OutcomeWindow.Counts c = counts();
        return c == null ? own().getNumberOfSlowSuccessfulCalls() : c.slow() - c.slowFailed();
    }

    @Override
    public int getNumberOfSlowFailedCalls() {
        OutcomeWindow.Counts c = counts();
        return c == null ? own().getNumberOfSlowFailedCalls() : c.slowFailed();
    }

    @Override
    public int getNumberOfBufferedCalls() {
        OutcomeWindow.Counts c = counts();
        return c == null ? own().getNumberOfBufferedCalls() : c.calls();
    }

    @Override
    public int getNumberOfFailedCalls() {
        OutcomeWindow.Counts c = counts();
        return c == null ? own().getNumberOfFailedCalls() : c.failed();
    }

    /** Rejections resilience4j made itself (Levee's open-circuit gate rejects without asking it; its meters count those). */
    @Override
    public long getNumberOfNotPermittedCalls() {
        return own().getNumberOfNotPermittedCalls();
    }

    @Override
    public int getNumberOfSuccessfulCalls() {
        OutcomeWindow.Counts c = counts();
        return c == null ? own().getNumberOfSuccessfulCalls() : c.calls() - c.failed();
    }

    /**
     * The breaker {@code unwrap(CircuitBreaker.class)} hands out: resilience4j's own for everything, except
     * that its metrics are {@link UpstreamEngine#metrics} and a reset (or a close) also empties Levee's window.
     */
    static CircuitBreaker expose(UpstreamEngine engine) {
        CircuitBreaker breaker = engine.breaker;
        return (CircuitBreaker) Proxy.newProxyInstance(CircuitBreaker.class.getClassLoader(), new Class<?>[] {CircuitBreaker.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    int arity = args == null ? 0 : args.length;
                    if (arity == 0 && name.equals("getMetrics")) {
                        return engine.metrics;
                    }
                    if (arity == 0 && name.equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (arity == 1 && name.equals("equals")) {
                        return proxy == args[0];
                    }
                    Object result;
                    try {
                        result = method.invoke(breaker, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (name.equals("reset") || name.equals("transitionToClosedState")) {
                        engine.freshWindow(); // as resilience4j empties its own window
                    }
                    return result; // a transition is noticed at the next call, state read or health evaluation, as before
                });
    }
}
