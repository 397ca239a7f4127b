package dev.levee.internal;

import dev.levee.Adapter;
import dev.levee.CallerFaultException;
import dev.levee.ClassificationRules;
import dev.levee.ContractViolationException;
import dev.levee.Expectation;
import dev.levee.Outcome;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamTimeoutException;
import dev.levee.Verdict;
import dev.levee.contract.ContractAdapter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what an attempt returned or threw into an {@link Outcome}, a domain value or a Levee exception:
 * the adapter's verdict first, then the spec's rules. Shared by the synchronous and asynchronous paths.
 *
 * <p>Never throws. An exception thrown by the adapter (its verdicts, its expectations, its translation) is a
 * contract violation; an {@link Error} thrown by the upstream call or the adapter (a {@code StackOverflowError}
 * from a recursive parser on a deeply nested body, an {@code AssertionError}) is a {@link Outcome#FAILURE}
 * that is not retried, has no fallback, and reaches the caller unchanged once the call is counted.
 */
final class Classifier {

    private final String upstream;
    private final ClassificationRules rules;
    private final ContractGate contracts;

    Classifier(String upstream, ClassificationRules rules, ContractGate contracts) {
        this.upstream = upstream;
        this.rules = rules;
        this.contracts = contracts;
    }

    /** Classifies a returned value; {@code took} is how long the attempt took. */
    <U, D> void value(Attempt a, Adapter<U, D> adapter, U value, long took) {
        Verdict<D> verdict;
        try {
            verdict = adapter.classify(value);
            if (verdict == null) {
                throw new NullPointerException(adapter.getClass().getName() + ".classify returned null");
            }
        } catch (RuntimeException e) {
            a.fail(Outcome.CONTRACT_VIOLATION, new ContractViolationException(upstream, ContractViolationException.TRANSLATION, e), false);
            return;
        } catch (Error e) {
            fatal(a, e);
            return;
        }
        switch (verdict.kind()) {
            case PROCEED:
            case UNCLASSIFIED:
                checkAndTranslate(a, adapter, value);
                return;
            default:
                apply(a, verdict, null, took);
        }
    }

    private <U, D> void checkAndTranslate(Attempt a, Adapter<U, D> adapter, U value) {
        try {
            List<Expectation<? super U>> expectations = adapter.expectations();
            if (expectations == null) {
                throw new NullPointerException(adapter.getClass().getName() + ".expectations returned null");
            }
            for (int i = 0, n = expectations.size(); i < n; i++) {
                Expectation<? super U> current = expectations.get(i);
                RuntimeException broken = null;
                boolean met;
                try {
                    met = current.test(value);
                } catch (RuntimeException e) {
                    met = false;
                    broken = e;
                }
                if (!met) {
                    a.fail(Outcome.CONTRACT_VIOLATION, new ContractViolationException(upstream, current.name(), broken), false);
                    return;
                }
            }
            if (adapter instanceof ContractAdapter<U, ?, D> contracted) {
                contracts.apply(a, contracted, value);
                return;
            }
            a.succeed(Outcome.SUCCESS, adapter.translate(value));
        } catch (Error e) {
            fatal(a, e);
        } catch (Exception e) {
            a.fail(Outcome.CONTRACT_VIOLATION, new ContractViolationException(upstream, ContractViolationException.TRANSLATION, e), false);
        }
    }

    /** Classifies a thrown error; {@code took} is how long the attempt took (a client's own timeout reports it). */
    <U, D> void error(Attempt a, Adapter<U, D> adapter, Throwable thrown, long took) {
        Throwable error = unwrap(thrown);
        if (error instanceof Error e) {
            fatal(a, e);
            return;
        }
        Verdict<D> verdict;
        try {
            verdict = adapter.classifyError(error);
            if (verdict == null) {
                verdict = Verdict.unclassified();
            }
        } catch (RuntimeException e) {
            verdict = Verdict.unclassified();
        } catch (Error e) {
            fatal(a, e);
            return;
        }
        if (verdict.kind() == Verdict.Kind.PROCEED || verdict.kind() == Verdict.Kind.UNCLASSIFIED) {
            byRules(a, error, took);
        } else {
            apply(a, verdict, error, took);
        }
    }

    /** An Error from user code: counted as a failure, never retried, reaching the caller unchanged. */
    private static void fatal(Attempt a, Error e) {
        a.fail(Outcome.FAILURE, e, false);
    }

    private void apply(Attempt a, Verdict<?> verdict, Throwable cause, long took) {
        switch (verdict.kind()) {
            case ANSWER:
                a.succeed(Outcome.CALLER_FAULT, verdict.answer());
                return;
            case CALLER_FAULT:
                a.fail(Outcome.CALLER_FAULT, new CallerFaultException(upstream, verdict.reason(), cause), false);
                return;
            case TIMEOUT:
                a.fail(Outcome.TIMEOUT, new UpstreamTimeoutException(upstream, Duration.ofNanos(took), a.number, cause), verdict.retryable());
                return;
            default: // FAILURE
                Duration retryAfter = verdict.retryAfterNanos() > 0 ? Duration.ofNanos(verdict.retryAfterNanos()) : null;
                a.fail(Outcome.FAILURE, new UpstreamFailureException(upstream, verdict.reason(), a.number, retryAfter, cause),
                        verdict.retryable());
        }
    }

    private void byRules(Attempt a, Throwable error, long took) {
        if (matches(rules.passThrough(), error)) {
            a.fail(Outcome.CALLER_FAULT, error, false);
        } else if (matches(rules.callerFault(), error)) {
            a.fail(Outcome.CALLER_FAULT, new CallerFaultException(upstream, error.getClass().getSimpleName(), error), false);
        } else if (matches(rules.timeout(), error)) {
            a.fail(Outcome.TIMEOUT, new UpstreamTimeoutException(upstream, Duration.ofNanos(took), a.number, error), true);
        } else {
            boolean retryable = !matches(rules.notRetryable(), error);
            a.fail(Outcome.FAILURE, new UpstreamFailureException(upstream, error.getClass().getSimpleName(), a.number, null, error),
                    retryable);
        }
    }

    private static boolean matches(List<Class<? extends Throwable>> types, Throwable error) {
        for (int i = 0, n = types.size(); i < n; i++) {
            if (types.get(i).isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
