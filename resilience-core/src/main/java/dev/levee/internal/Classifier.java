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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what an attempt returned or threw into an {@link Outcome}, a domain value or a Levee exception:
 * the adapter's verdict first, then the spec's rules. Shared by the synchronous and asynchronous paths.
 */
final class Classifier {

    private final String upstream;
    private final ClassificationRules rules;

    Classifier(String upstream, ClassificationRules rules) {
        this.upstream = upstream;
        this.rules = rules;
    }

    <U, D> void value(Attempt a, Adapter<U, D> adapter, U value) {
        Verdict<D> verdict;
        try {
            verdict = adapter.classify(value);
        } catch (RuntimeException e) {
            a.fail(Outcome.CONTRACT_VIOLATION, new ContractViolationException(upstream, ContractViolationException.TRANSLATION, e), false);
            return;
        }
        switch (verdict.kind()) {
            case PROCEED:
            case UNCLASSIFIED:
                checkAndTranslate(a, adapter, value);
                return;
            default:
                apply(a, verdict, null);
        }
    }

    private <U, D> void checkAndTranslate(Attempt a, Adapter<U, D> adapter, U value) {
        List<Expectation<? super U>> expectations = adapter.expectations();
        for (int i = 0, n = expectations.size(); i < n; i++) {
            Expectation<? super U> expectation = expectations.get(i);
            RuntimeException broken = null;
            boolean met;
            try {
                met = expectation.test(value);
            } catch (RuntimeException e) {
                met = false;
                broken = e;
            }
            if (!met) {
                a.fail(Outcome.CONTRACT_VIOLATION, new ContractViolationException(upstream, expectation.name(), broken), false);
                return;
            }
        }
        try {
            a.succeed(Outcome.SUCCESS, adapter.translate(value));
        } catch (Exception e) {
            a.fail(Outcome.CONTRACT_VIOLATION, new ContractViolationException(upstream, ContractViolationException.TRANSLATION, e), false);
        }
    }

    <U, D> void error(Attempt a, Adapter<U, D> adapter, Throwable thrown) {
        Throwable error = unwrap(thrown);
        Verdict<D> verdict;
        try {
            verdict = adapter.classifyError(error);
        } catch (RuntimeException e) {
            verdict = Verdict.unclassified();
        }
        if (verdict.kind() == Verdict.Kind.PROCEED || verdict.kind() == Verdict.Kind.UNCLASSIFIED) {
            byRules(a, error);
        } else {
            apply(a, verdict, error);
        }
    }

    private void apply(Attempt a, Verdict<?> verdict, Throwable cause) {
        switch (verdict.kind()) {
            case ANSWER:
                a.succeed(Outcome.CALLER_FAULT, verdict.answer());
                return;
            case CALLER_FAULT:
                a.fail(Outcome.CALLER_FAULT, new CallerFaultException(upstream, verdict.reason(), cause), false);
                return;
            default: // FAILURE
                Duration retryAfter = verdict.retryAfterNanos() > 0 ? Duration.ofNanos(verdict.retryAfterNanos()) : null;
                a.fail(Outcome.FAILURE, new UpstreamFailureException(upstream, verdict.reason(), a.number, retryAfter, cause),
                        verdict.retryable());
        }
    }

    private void byRules(Attempt a, Throwable error) {
        if (matches(rules.passThrough(), error)) {
            a.fail(Outcome.CALLER_FAULT, error, false);
        } else if (matches(rules.callerFault(), error)) {
            a.fail(Outcome.CALLER_FAULT, new CallerFaultException(upstream, error.getClass().getSimpleName(), error), false);
        } else if (matches(rules.timeout(), error)) {
            a.fail(Outcome.TIMEOUT, new UpstreamTimeoutException(upstream, Duration.ofNanos(a.timeoutNanos), a.number, error), true);
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
