package dev.levee.internal;

import dev.levee.CircuitState;
import dev.levee.Outcome;
import dev.levee.Upstream;
import dev.levee.spi.RetryRefusal;
import dev.levee.spi.UpstreamObserver;
import dev.levee.spi.UpstreamObserverFactory;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Combines the observers of one upstream, and keeps a failing observer from breaking the call path. */
final class Observers {

    private static final Logger LOG = LoggerFactory.getLogger(Observers.class);

    private Observers() {
    }

    static UpstreamObserver create(Upstream upstream, List<UpstreamObserverFactory> factories, @Nullable UpstreamObserver first) {
        List<UpstreamObserver> observers = new ArrayList<>();
        if (first != null) {
            observers.add(first);
        }
        for (UpstreamObserverFactory factory : factories) {
            UpstreamObserver o = factory.create(upstream);
            if (o != UpstreamObserver.NOOP) {
                observers.add(o);
            }
        }
        if (observers.isEmpty()) {
            return UpstreamObserver.NOOP;
        }
        return new Composite(observers.toArray(new UpstreamObserver[0]));
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /**
     * Calls each observer in turn; one that throws, an exception or an error, is logged and skipped, and never
     * breaks the call or its accounting.
     */
    private static final class Composite implements UpstreamObserver {
        private final UpstreamObserver[] observers;

        Composite(UpstreamObserver[] observers) {
            this.observers = observers;
        }

        @Override
        public void onAttempt(int attempt, Outcome outcome, long durationNanos) {
            for (UpstreamObserver o : observers) {
                try {
                    o.onAttempt(attempt, outcome, durationNanos);
                } catch (Throwable e) {
                    failed(o, e);
                }
            }
        }

        @Override
        public void onCall(Outcome outcome, boolean fallbackUsed, int attempts, long durationNanos) {
            for (UpstreamObserver o : observers) {
                try {
                    o.onCall(outcome, fallbackUsed, attempts, durationNanos);
                } catch (Throwable e) {
                    failed(o, e);
                }
            }
        }

        @Override
        public void onRetryRefused(RetryRefusal reason) {
            for (UpstreamObserver o : observers) {
                try {
                    o.onRetryRefused(reason);
                } catch (Throwable e) {
                    failed(o, e);
                }
            }
        }

        @Override
        public void onContractViolation(String expectation) {
            for (UpstreamObserver o : observers) {
                try {
                    o.onContractViolation(expectation);
                } catch (Throwable e) {
                    failed(o, e);
                }
            }
        }

        @Override
        public void onCircuitStateChange(CircuitState from, CircuitState to) {
            for (UpstreamObserver o : observers) {
                try {
                    o.onCircuitStateChange(from, to);
                } catch (Throwable e) {
                    failed(o, e);
                }
            }
        }

        private static void failed(UpstreamObserver o, Throwable e) {
            LOG.error("Levee observer {} threw; it is skipped for this event", o.getClass().getName(), e);
        }
    }
}
