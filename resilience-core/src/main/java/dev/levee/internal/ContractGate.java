package dev.levee.internal;

import dev.levee.ContractViolationException;
import dev.levee.Outcome;
import dev.levee.TimeSource;
import dev.levee.contract.Contract;
import dev.levee.contract.ContractAdapter;
import dev.levee.contract.ContractPolicy;
import dev.levee.contract.ContractResult;
import dev.levee.contract.Violation;
import dev.levee.contract.ViolationKind;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces an upstream's {@link ContractPolicy} on the call path: reads a good response with its
 * {@link ContractAdapter}, checks the contract on a sample of responses, counts every violated expectation,
 * logs each at most once per interval, and fails the call or lets it go on as the policy says.
 */
final class ContractGate {

    private static final Logger LOG = LoggerFactory.getLogger("dev.levee.contract");

    private final UpstreamEngine engine;
    private final String upstream;
    private final ContractPolicy policy;
    private final TimeSource time;
    private final long logIntervalNanos;
    private final AtomicLong responses = new AtomicLong();
    /** Per expectation: when it may be logged next, and how many violations were not logged since. */
    private final ConcurrentHashMap<String, long[]> logState = new ConcurrentHashMap<>();

    ContractGate(UpstreamEngine engine, String upstream, ContractPolicy policy, TimeSource time) {
        this.engine = engine;
        this.upstream = upstream;
        this.policy = policy;
        this.time = time;
        this.logIntervalNanos = policy.logInterval().toNanos();
    }

    /**
     * Reads, checks and translates a good response. Only {@code toDomain}'s exception leaves, for the classifier
     * to count as a translation failure, as for any adapter.
     */
    @SuppressWarnings("unchecked")
    <U, B, D> void apply(Attempt a, ContractAdapter<U, B, D> adapter, U value) throws Exception {
        B body;
        try {
            body = adapter.read(value);
            if (body == null) {
                throw new NullPointerException(adapter.getClass().getName() + ".read returned null");
            }
        } catch (Exception | StackOverflowError e) { // a recursive reader on a deep body: typed, not raw
            log(Contract.UNREADABLE, "", ViolationKind.UNREADABLE);
            a.fail(Outcome.CONTRACT_VIOLATION, new ContractViolationException(upstream, Contract.UNREADABLE, e), false);
            return;
        }
        Contract<? super B> contract = adapter.contract();
        if (contract != null && sampled()) {
            ContractResult result = ((Contract<B>) contract).check(body);
            if (!result.holds()) {
                List<String> broken = result.broken();
                boolean fail = policy.action() != ContractPolicy.Action.RECORD;
                // A failed call's first expectation is counted when its attempt is recorded, as for every violation.
                for (int i = fail ? 1 : 0; i < broken.size(); i++) {
                    engine.observer.onContractViolation(broken.get(i));
                }
                for (Violation v : result.violations()) {
                    log(v.expectation(), v.path(), v.kind());
                }
                if (fail) {
                    a.fail(Outcome.CONTRACT_VIOLATION, new ContractViolationException(upstream, broken.get(0), null), false);
                    a.noFallback = policy.action() == ContractPolicy.Action.FAIL;
                    return;
                }
            }
        }
        a.succeed(Outcome.SUCCESS, adapter.toDomain(body));
    }

    /** Spreads the checked responses evenly: exactly {@code rate} of them, whatever the thread interleaving. */
    private boolean sampled() {
        double rate = policy.sampleRate();
        if (rate >= 1.0) {
            return true;
        }
        if (rate <= 0.0) {
            return false;
        }
        long n = responses.getAndIncrement();
        return (long) ((n + 1) * rate) > (long) (n * rate);
    }

    private void log(String expectation, String path, ViolationKind kind) {
        if (!LOG.isWarnEnabled()) {
            return;
        }
        long now = time.nanoTime();
        long[] state = logState.computeIfAbsent(expectation, e -> new long[] {now, 0});
        long suppressed;
        synchronized (state) {
            if (now - state[0] < 0) {
                state[1]++;
                return;
            }
            state[0] = now + logIntervalNanos;
            suppressed = state[1];
            state[1] = 0;
        }
        LOG.warn("Upstream '{}': response broke expectation '{}' at {} ({}), action {}; {} more since last logged "
                + "(logged at most once per {} per expectation)", upstream, expectation, path.isEmpty() ? "(response)" : path,
                kind.label(), policy.action(), suppressed, Check.format(policy.logInterval()));
    }
}
