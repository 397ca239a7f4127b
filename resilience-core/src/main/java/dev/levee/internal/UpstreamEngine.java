package dev.levee.internal;

import dev.levee.Adapter;
import dev.levee.AsyncUpstreamCall;
import dev.levee.BreakerSpec;
import dev.levee.CallOptions;
import dev.levee.CircuitState;
import dev.levee.ContractViolationException;
import dev.levee.Deadline;
import dev.levee.DeadlineExceededException;
import dev.levee.Fallback;
import dev.levee.HealthListener;
import dev.levee.InterruptPolicy;
import dev.levee.UpstreamHealth;
import dev.levee.Outcome;
import dev.levee.TimeSource;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamCall;
import dev.levee.UpstreamException;
import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamRejectedException;
import dev.levee.UpstreamSpec;
import dev.levee.UpstreamTimeoutException;
import dev.levee.spi.RetryRefusal;
import dev.levee.spi.UpstreamObserver;
import dev.levee.spi.UpstreamObserverFactory;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.context.ContextRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The call path of one upstream. The synchronous path lives here; the asynchronous one in {@link AsyncCall}.
 * Both share one attempt lifecycle: admission ({@link #outOfTime}, {@link #permitted}, the bulkhead), the
 * settling of an ended attempt however it ended ({@link #settle}: classification and accounting), the retry
 * decision ({@link #retryDelay}) and the call's end ({@link #callEnded}).
 */
public final class UpstreamEngine implements Upstream {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.levee.health");

    final UpstreamSpec spec;
    final String name;
    final TimeSource time;
    final CircuitBreaker breaker;
    private final Breakers.BreakerClock breakerClock;
    final Bulkhead bulkhead;
    final RetryBudget budget;
    private final Backoff backoff;
    final Classifier classifier;
    final Scheduling scheduling;
    final long attemptTimeoutNanos;
    final long deadlineNanos;
    final int maxAttempts;
    private final boolean enforced;
    private final InterruptPolicy interruptPolicy;
    private final UpstreamRejectedException circuitOpen;
    private final UpstreamRejectedException bulkheadFull;
    private final UpstreamRejectedException closedRejection;
    final UpstreamObserver observer;
    /** Captures the caller's context for the parts of a call that run on other threads. */
    final CallerContext.Capture context;
    /** Where calls and attempts are observed; null when they are not. */
    final @Nullable ObservationRegistry observations;
    private final @Nullable MicrometerObserver meters;
    private final HealthTracker health;
    /** Set once the registry is closed: every later attempt is rejected as {@link Outcome#CLOSED}. */
    private volatile boolean closed;
    /** The results of asynchronous calls not yet complete, so closing the registry can cancel them. */
    final java.util.Set<CompletableFuture<?>> asyncInFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Synchronous attempts running on attempt threads, so closing the registry can abandon them. */
    private final java.util.Set<AttemptTask<?>> tasksInFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Attempts holding abandon actions, so closing the registry can run them. */
    final java.util.Set<Abandonment> abandonable = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean abandonFailureLogged = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Levee's own window of outcomes, which decides when a closed circuit opens (see {@link OutcomeWindow});
     * null for a count window, which resilience4j keeps. Replaced by a fresh one whenever the circuit leaves
     * closed or is reset, as resilience4j starts a fresh window for every closed state.
     */
    private volatile @Nullable OutcomeWindow window;
    /** The window as it was when the circuit left closed: what the metrics show while it is open. */
    private volatile @Nullable OutcomeWindow windowAtOpening;
    /** The breaker's metrics as users and health read them: Levee's window while closed or open. */
    final CircuitBreaker.Metrics metrics;
    /** The breaker handed out by {@link #unwrap}: resilience4j's, with {@link #metrics} as its metrics. */
    private final CircuitBreaker exposedBreaker;
    /** The breaker state last told to the observer and the health tracker (see {@link #syncCircuitState}). */
    private volatile CircuitBreaker.State seenState;
    /** While the circuit is open, the time-source reading until which it rejects without asking resilience4j. */
    private volatile long openUntil;
    private final long waitInOpenNanos;
    /** The failed attempts in a row so far (see {@link BreakerSpec#consecutiveFailures()}); reset by any success. */
    private volatile int failureRun;
    /** The run of failed attempts that opens the circuit; {@link Integer#MAX_VALUE} when the trigger is off. */
    private final int runToOpen;
    /**
     * A deadline-clamped attempt that ran out after at least this long without an answer counts against the
     * upstream (the slow-call threshold): it was given as long as a call judged slow. A shorter one says
     * nothing of the upstream, only that the caller had little time left.
     */
    private final long unansweredCountsFromNanos;

    private static final java.lang.invoke.VarHandle FAILURE_RUN;

    static {
        try {
            FAILURE_RUN = java.lang.invoke.MethodHandles.lookup().findVarHandle(UpstreamEngine.class, "failureRun", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param spec the upstream's spec
     * @param scheduling the registry's threads
     * @param observers the registry's observer factories
     * @param registry where meters are published, or null
     * @param healthListeners told of health changes
     * @param propagateContext whether the caller's context (every accessor of the global {@code ContextRegistry}
     *     and the MDC) is carried to the threads that run parts of a call
     * @param observations where calls and attempts are observed, or null
     */
    public UpstreamEngine(UpstreamSpec spec, Scheduling scheduling, List<UpstreamObserverFactory> observers,
            @Nullable MeterRegistry registry, List<HealthListener> healthListeners, boolean propagateContext,
            @Nullable ObservationRegistry observations) {
        this.spec = spec;
        this.context = propagateContext ? CallerContext.Capture.of(ContextRegistry.getInstance()) : CallerContext.Capture.OFF;
        this.observations = observations;
        this.name = spec.name();
        this.time = spec.timeSource();
        this.scheduling = scheduling;
        Clock wallClock = Breakers.wallClock(time);
        this.breakerClock = Breakers.breakerClock(time);
        this.breaker = Breakers.create(spec, breakerClock);
        this.bulkhead = new Bulkhead(spec.bulkhead().maxConcurrentCalls(), spec.bulkhead().maxWait().toNanos());
        this.budget = new RetryBudget(spec.retry().budgetWindow().toNanos(), spec.retry().budgetRatio(),
                spec.retry().budgetMinRetries());
        this.backoff = new Backoff(spec.retry());
        this.classifier = new Classifier(name, spec.classification(), new ContractGate(this, name, spec.contractPolicy(), time));
        this.attemptTimeoutNanos = spec.attemptTimeout().toNanos();
        this.deadlineNanos = spec.deadline().toNanos();
        this.maxAttempts = spec.retry().maxAttempts();
        this.enforced = spec.timeoutMode() == TimeoutMode.ENFORCED;
        this.interruptPolicy = spec.interruptPolicy();
        this.circuitOpen = new UpstreamRejectedException(name, Outcome.CIRCUIT_OPEN, bulkhead.max());
        this.bulkheadFull = new UpstreamRejectedException(name, Outcome.BULKHEAD_FULL, bulkhead.max());
        this.closedRejection = new UpstreamRejectedException(name, Outcome.CLOSED, bulkhead.max());
        this.window = newWindow();
        this.metrics = new WindowMetrics(this);
        this.exposedBreaker = WindowMetrics.expose(this);
        this.health = new HealthTracker(spec, breaker, metrics, bulkhead, budget, wallClock, healthListeners, () -> failureRun);
        this.meters = registry == null ? null : new MicrometerObserver(registry, this);
        this.observer = Observers.create(this, observers, meters);
        // No listener on the breaker's events: with any listener registered, resilience4j builds an event
        // (with a ZonedDateTime) for every successful call. State changes are polled instead.
        this.waitInOpenNanos = spec.circuitBreaker().waitInOpenState().toNanos();
        this.seenState = breaker.getState();
        int run = spec.circuitBreaker().consecutiveFailures();
        this.runToOpen = run == 0 ? Integer.MAX_VALUE : run;
        this.unansweredCountsFromNanos = spec.slowCallThreshold().toNanos();
    }

    /**
     * Rejects every later call; abandons the attempts in flight (their abandon actions run, their threads are
     * interrupted by the interrupt policy, their callers see {@link Outcome#CANCELLED}); cancels the
     * asynchronous calls still in flight; removes the meters.
     */
    public void close() {
        closed = true;
        for (AttemptTask<?> task : tasksInFlight) {
            task.abandon(interruptPolicy);
        }
        for (Abandonment attempt : abandonable) {
            attempt.abandon();
        }
        for (CompletableFuture<?> call : asyncInFlight) {
            call.cancel(true); // stops its attempt or pending retry, and is recorded once as CANCELLED
        }
        if (meters != null) {
            meters.close();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public UpstreamSpec spec() {
        return spec;
    }

    // ---------------------------------------------------------------- synchronous path

    @Override
    public <U> U call(UpstreamCall<U> call) {
        return call(call, Adapter.identity(), CallOptions.defaults());
    }

    @Override
    public <U, D> D call(UpstreamCall<U> call, Adapter<U, D> adapter) {
        return call(call, adapter, CallOptions.defaults());
    }

    @Override
    public <U, D> D call(UpstreamCall<U> call, Adapter<U, D> adapter, CallOptions<D> options) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(options, "options");
        long start = time.nanoTime();
        // Attempts on the caller's thread use the thread's spare context: nothing allocated per call.
        Attempt a;
        if (enforced) {
            a = new Attempt(this, options.isIdempotent(), start, effectiveDeadline());
            a.context = context.capture(); // once per call: every attempt runs on an attempt thread
        } else {
            // Nothing captured: every attempt and the fallback run on the caller's thread, in its own context.
            a = Attempt.borrow(this, options.isIdempotent(), start, effectiveDeadline());
        }
        if (observations != null) {
            a.trace = CallTrace.start(observations, name);
        }
        budget.recordCall(start);
        long now = start;
        for (int n = 1; ; n++) {
            a.begin(n, now, Math.min(attemptTimeoutNanos, a.deadlineAt - now));
            now = attempt(call, adapter, a, now);
            long delay = retryDelay(a, now);
            if (delay < 0) {
                break;
            }
            try {
                time.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                a.fail(Outcome.CANCELLED, new CancellationException("interrupted while waiting to retry upstream '" + name + "'"), false);
                break;
            }
            now = time.nanoTime();
        }
        return finish(a, options.fallback(), now - start);
    }

    /**
     * Makes one synchronous attempt; returns the clock reading at its end. The attempt on the caller's thread
     * is the hot path and is kept small, so that the JIT inlines it whole into the caller; everything rarer
     * (waiting for a permit, the hand-off of an enforced timeout, a thrown failure) lives in its own method.
     */
    private <U, D> long attempt(UpstreamCall<U> call, Adapter<U, D> adapter, Attempt a, long start) {
        if (outOfTime(a)) {
            return start;
        }
        if (!permitted(start)) {
            reject(a, Outcome.CIRCUIT_OPEN);
            return start;
        }
        if (!bulkheadPermit(a, start)) {
            return start;
        }
        if (bulkhead.waits()) { // the wait for a permit is not the upstream's time, but it is the deadline's
            start = time.nanoTime();
            a.begin(a.number, start, Math.min(attemptTimeoutNanos, a.deadlineAt - start));
        }
        if (enforced) {
            return attemptElsewhere(call, adapter, a, start);
        }
        U value;
        try {
            CallTrace trace = a.trace;
            value = trace == null ? call.call(a) : CallTrace.inScope(trace.attemptStarted(a.number), call, a);
        } catch (InterruptedException e) {
            bulkhead.release();
            a.attemptEnded();
            return ended(a, adapter, null, null, INTERRUPTED, start);
        } catch (Throwable t) {
            bulkhead.release();
            a.attemptEnded();
            return ended(a, adapter, null, t, RETURNED, start);
        }
        bulkhead.release();
        a.attemptEnded();
        long end = time.nanoTime();
        classifier.value(a, adapter, value, end - start);
        record(a, end - start);
        return end;
    }

    /** Takes a bulkhead permit for an attempt that holds the breaker's; {@code false} if the attempt ends here. */
    private boolean bulkheadPermit(Attempt a, long start) {
        boolean permit;
        try {
            permit = bulkhead.acquire(a.deadlineAt - start);
        } catch (InterruptedException e) {
            breaker.releasePermission();
            Thread.currentThread().interrupt();
            a.fail(Outcome.CANCELLED, new CancellationException("interrupted while waiting for a permit of upstream '" + name + "'"), false);
            observer.onAttempt(a.number, Outcome.CANCELLED, 0);
            return false;
        }
        if (!permit) {
            breaker.releasePermission();
            reject(a, Outcome.BULKHEAD_FULL);
            return false;
        }
        return true;
    }

    /** Runs the attempt on an attempt thread and waits for it at most its timeout ({@link TimeoutMode#ENFORCED}). */
    private <U, D> long attemptElsewhere(UpstreamCall<U> call, Adapter<U, D> adapter, Attempt a, long start) {
        AttemptView view = new AttemptView(a, this, a.context, a.trace == null ? null : a.trace.attemptStarted(a.number));
        AttemptTask<U> task = new AttemptTask<>(call, view, bulkhead, scheduling);
        tasksInFlight.add(task);
        try {
            scheduling.attempts().execute(task);
        } catch (RejectedExecutionException e) {
            tasksInFlight.remove(task);
            bulkhead.release();
            breaker.releasePermission();
            reject(a, closed ? Outcome.CLOSED : Outcome.BULKHEAD_FULL); // closed, or every attempt thread busy (JDK 17)
            return start;
        }
        if (closed) {
            task.abandon(interruptPolicy); // closed between the admission and the hand-off: close() may have missed it
        }
        U value = null;
        Throwable error = null;
        int how = RETURNED;
        try {
            value = task.get(a.timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            error = e.getCause();
        } catch (TimeoutException e) {
            task.abandon(interruptPolicy);
            how = TIMED_OUT;
        } catch (InterruptedException e) {
            task.abandon(interruptPolicy);
            how = INTERRUPTED;
        } catch (CancellationException e) {
            how = CLOSED_UNDER; // abandoned by close()
        } finally {
            tasksInFlight.remove(task);
        }
        return ended(a, adapter, value, error, how, start);
    }

    /**
     * A client whose request timeout was set from {@link dev.levee.CallContext#remaining()} times out a little
     * before the attempt's full timeout (the time it took to read it and start the request); an error this
     * close to the timeout is the attempt's timeout, not an earlier one of the client's.
     */
    private static final long CLIENT_TIMEOUT_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** How an attempt ended, for {@link #settle}. */
    static final int RETURNED = 0;
    static final int TIMED_OUT = 1;
    static final int INTERRUPTED = 2;
    static final int CALL_CANCELLED = 3;
    static final int CLOSED_UNDER = 4;

    /** Settles a synchronous attempt that has ended, however it ended; returns the clock reading at its end. */
    private <U, D> long ended(Attempt a, Adapter<U, D> adapter, @Nullable U value, @Nullable Throwable error, int how, long start) {
        long end = time.nanoTime();
        if (how == INTERRUPTED) {
            Thread.currentThread().interrupt();
        }
        settle(a, adapter, value, error, how, end - start);
        return end;
    }

    /**
     * Classifies an ended attempt and records it, for both paths. Never throws: whatever user code throws
     * while the answer is classified is an outcome of the attempt (see {@link Classifier}).
     *
     * @param how {@link #RETURNED} (with a value or an error), {@link #TIMED_OUT} (Levee's timer fired),
     *     {@link #INTERRUPTED} (the caller's thread), {@link #CALL_CANCELLED} (an asynchronous call's future)
     *     or {@link #CLOSED_UNDER} (the registry closed)
     */
    <U, D> void settle(Attempt a, Adapter<U, D> adapter, @Nullable U value, @Nullable Throwable error, int how, long took) {
        switch (how) {
            case TIMED_OUT:
                timedOut(a, null);
                break;
            case INTERRUPTED:
                a.fail(Outcome.CANCELLED, new CancellationException("interrupted while calling upstream '" + name + "'"), false);
                break;
            case CALL_CANCELLED:
                a.fail(Outcome.CANCELLED, new CancellationException("call to upstream '" + name + "' cancelled"), false);
                break;
            case CLOSED_UNDER:
                a.fail(Outcome.CANCELLED, new CancellationException("upstreams closed while upstream '" + name + "' was being called"), false);
                break;
            default:
                if (error == null) {
                    classifier.value(a, adapter, value, took);
                } else if (closed) { // the close stopped the work: says nothing of the upstream
                    a.fail(Outcome.CANCELLED, new CancellationException("upstreams closed while upstream '" + name + "' was being called"), false);
                } else if (took >= a.timeoutNanos - CLIENT_TIMEOUT_SLACK_NANOS && !(error instanceof Error)) {
                    timedOut(a, error); // the client's own timeout at ours (set from remaining()): the same as ours
                } else {
                    classifier.error(a, adapter, error, took);
                }
        }
        record(a, took);
    }

    /** The spec's deadline, clamped by the {@link Deadline} bound on the calling thread, if any. */
    long effectiveDeadline() {
        return Math.min(deadlineNanos, Deadline.currentRemainingNanos());
    }

    /**
     * Fails an attempt that cannot start: the registry is closed, or no time is left (a bound deadline that
     * already passed).
     */
    boolean outOfTime(Attempt a) {
        if (closed) {
            reject(a, Outcome.CLOSED);
            return true;
        }
        if (a.timeoutNanos > 0) {
            return false;
        }
        a.fail(Outcome.DEADLINE_EXCEEDED,
                new DeadlineExceededException(name, Duration.ofNanos(Math.max(0, a.deadlineNanos)), a.number - 1, null), false);
        observer.onAttempt(a.number, Outcome.DEADLINE_EXCEEDED, 0);
        return true;
    }

    /** The attempt ran out of time: its own timeout, or the call's deadline that clamped it. */
    void timedOut(Attempt a, @Nullable Throwable cause) {
        if (a.timeoutNanos < attemptTimeoutNanos) {
            a.fail(Outcome.DEADLINE_EXCEEDED, new DeadlineExceededException(name, Duration.ofNanos(a.deadlineNanos), a.number, cause), false);
            a.unanswered = a.timeoutNanos >= unansweredCountsFromNanos;
        } else {
            a.fail(Outcome.TIMEOUT, new UpstreamTimeoutException(name, spec.attemptTimeout(), a.number, cause), true);
        }
    }

    /**
     * Asks the breaker for a permit. While the circuit is open and its wait is running, the answer is no
     * without asking resilience4j, whose rejection builds an event with a {@code ZonedDateTime} each time
     * (120 B, tens of nanoseconds) and reads the wall clock. The wait is timed from when this engine noticed
     * the circuit open, so it is never shorter than resilience4j's own, only longer by the delay in noticing:
     * nothing for a circuit opened by a call, up to the health-check interval for one opened by hand through
     * {@link #unwrap}. After the wait, resilience4j decides (and moves the circuit to half-open).
     * Rejections made here are not in resilience4j's not-permitted count; Levee's own metrics count them.
     */
    boolean permitted(long now) {
        if (seenState == CircuitBreaker.State.CLOSED) {
            // The common case: nothing to gate. A transition made meanwhile (by hand) shows in the permit.
            return breaker.tryAcquirePermission();
        }
        syncCircuitState(); // a circuit seen open may have been closed by hand: never gate on a stale state
        CircuitBreaker.State seen = seenState;
        if (seen == CircuitBreaker.State.FORCED_OPEN || (seen == CircuitBreaker.State.OPEN && now - openUntil < 0)) {
            return false;
        }
        boolean permitted = breaker.tryAcquirePermission();
        syncCircuitState(); // the permit may have moved an open circuit to half-open
        return permitted;
    }

    /**
     * Whether a call made now would be rejected by the open circuit without trying: a migration's shadow
     * gate, which skips the candidate while this holds and lets a call through once the wait in open is over.
     */
    boolean circuitRejectsNow() {
        syncCircuitState();
        CircuitBreaker.State seen = seenState;
        return seen == CircuitBreaker.State.FORCED_OPEN || (seen == CircuitBreaker.State.OPEN && time.nanoTime() - openUntil < 0);
    }

    void reject(Attempt a, Outcome outcome) {
        syncCircuitState(); // a bulkhead rejection follows no permit check; a racing transition shows here
        a.fail(outcome, outcome == Outcome.CIRCUIT_OPEN ? circuitOpen : outcome == Outcome.CLOSED ? closedRejection : bulkheadFull, false);
        observer.onAttempt(a.number, outcome, 0);
        if (a.trace != null) {
            a.trace.rejected(outcome, a.failure);
        }
    }

    /**
     * Notices a change of the breaker's state and tells it, once and in order, to the observer and the health
     * tracker. Called before and after every permit, after every attempt's accounting, and on every read of
     * the state or the health, so a
     * transition made by a call is told by that call; one made directly on the unwrapped breaker is told at
     * the next call, state read or health evaluation (the registry evaluates every upstream's health
     * periodically). Costs two volatile reads when nothing changed.
     */
    void syncCircuitState() {
        if (breaker.getState() != seenState) {
            circuitStateChanged();
        }
    }

    private synchronized void circuitStateChanged() {
        CircuitBreaker.State from = seenState;
        CircuitBreaker.State to = breaker.getState();
        if (from == to) {
            return; // another thread told it first
        }
        if (from == CircuitBreaker.State.CLOSED && window != null) {
            windowAtOpening = window; // shown while the circuit is open
            window = newWindow(); // the next closed state starts afresh, as resilience4j's does
        }
        if (to == CircuitBreaker.State.OPEN) {
            openUntil = time.nanoTime() + waitInOpenNanos; // written before seenState, which publishes it
        } else {
            failureRun = 0; // a circuit that closes or starts probing counts runs afresh
        }
        seenState = to;
        observer.onCircuitStateChange(Breakers.state(from), Breakers.state(to));
        health.evaluate();
    }

    /**
     * Feeds one ended attempt to the breaker and the observer: one duration serves both, and the attempt's
     * end (its start plus that duration) serves as the breaker's clock reading.
     */
    void record(Attempt a, long took) {
        switch (a.outcome) {
            case SUCCESS:
            case CALLER_FAULT:
                if (!recordedClosed(a, took, false)) {
                    recordSuccessInBreaker(a, took);
                }
                if (failureRun != 0) { // a plain read first: the success path writes nothing shared
                    failureRun = 0;
                }
                break;
            case FAILURE:
            case TIMEOUT:
            case CONTRACT_VIOLATION:
                failed(a, took);
                break;
            case DEADLINE_EXCEEDED:
                if (a.unanswered) { // the upstream did not answer within a slow call's time
                    failed(a, took);
                    break;
                }
                breaker.releasePermission();
                break;
            default:
                breaker.releasePermission(); // the caller ran out of time or gave up: says nothing of the upstream
        }
        syncCircuitState();
        if (a.outcome == Outcome.CONTRACT_VIOLATION) {
            observer.onContractViolation(((ContractViolationException) a.failure).expectation());
        }
        observer.onAttempt(a.number, a.outcome, took);
        if (a.trace != null) {
            a.trace.attemptEnded(a.outcome, a.failure);
        }
    }

    /**
     * Records an attempt in Levee's window while the circuit is closed; {@code false} if resilience4j records
     * it: the circuit is not closed (its probes and the state machine are resilience4j's), or the window
     * counts calls. The window read first: an attempt racing the circuit's opening lands in the window kept
     * for the open state, never in the next closed state's.
     */
    private boolean recordedClosed(Attempt a, long took, boolean failed) {
        OutcomeWindow w = window;
        if (w == null || seenState != CircuitBreaker.State.CLOSED) {
            return false;
        }
        if (w.record(a.startedAt + took, took, failed)) {
            openedByWindow(w);
        }
        return true;
    }

    /** The window's rates reached a threshold: resilience4j's breaker moves to open, as its own window would make it. */
    private void openedByWindow(OutcomeWindow w) {
        if (w == window && breaker.getState() == CircuitBreaker.State.CLOSED) {
            try {
                breaker.transitionToOpenState();
            } catch (RuntimeException raced) {
                // The circuit left CLOSED meanwhile (by another thread, or by hand): nothing to do.
            }
        }
    }

    /** A fresh window for a time window; null for a count window, which resilience4j keeps. */
    private @Nullable OutcomeWindow newWindow() {
        BreakerSpec b = spec.circuitBreaker();
        if (b.windowType() == BreakerSpec.WindowType.COUNT_BASED) {
            return null;
        }
        return new OutcomeWindow(b.windowSize(), b.minimumCalls(), b.failureRateThreshold(), b.slowCallRateThreshold(),
                spec.slowCallThreshold().toNanos(), time.nanoTime());
    }

    /** Forgets every recorded outcome: the circuit was reset or closed by hand. */
    void freshWindow() {
        if (window != null) {
            windowAtOpening = null;
            window = newWindow();
        }
    }

    /** The window the metrics show now: the live one while closed, the one kept at opening while open. */
    @Nullable OutcomeWindow shownWindow(CircuitBreaker.State state) {
        switch (state) {
            case CLOSED:
                return window;
            case OPEN:
            case FORCED_OPEN:
                OutcomeWindow kept = windowAtOpening;
                return kept != null ? kept : window;
            default:
                return null; // half-open (the probes) and the rest: resilience4j's own counts
        }
    }

    /** A success while the circuit is not closed (a probe), or in a count window: resilience4j records it. */
    private void recordSuccessInBreaker(Attempt a, long took) {
        breakerClock.hint(a.startedAt + took);
        try {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        } finally {
            breakerClock.unhint();
        }
    }

    /** Records a failed attempt; the one that completes a run of {@link #runToOpen} opens a closed circuit. */
    private void failed(Attempt a, long took) {
        if (!recordedClosed(a, took, true)) {
            breakerClock.hint(a.startedAt + took);
            try {
                breaker.onError(took, TimeUnit.NANOSECONDS, Breakers.FAILED);
            } finally {
                breakerClock.unhint();
            }
        }
        // Exactly one thread sees the run reach the threshold, until a success or a transition resets it.
        if (runToOpen != Integer.MAX_VALUE && (int) FAILURE_RUN.getAndAdd(this, 1) == runToOpen - 1
                && breaker.getState() == CircuitBreaker.State.CLOSED) {
            try {
                breaker.transitionToOpenState();
            } catch (RuntimeException raced) {
                // The circuit left CLOSED meanwhile (opened by the window, or by hand): nothing to do.
            }
        }
    }

    /** The wait before the next attempt, or -1 if the call ends here. */
    long retryDelay(Attempt a, long now) {
        if (a.failure == null || !a.retryable || !a.idempotent() || a.number >= maxAttempts) {
            return -1;
        }
        long hint = a.failure instanceof UpstreamFailureException f ? f.retryAfter().map(Duration::toNanos).orElse(0L) : 0L;
        long nanos = backoff.delayNanos(a.number, hint);
        // Whole milliseconds, rounded up (what a sleep can honour); an enormous hint saturates instead of overflowing.
        long delay = nanos > Long.MAX_VALUE - 999_999 ? Long.MAX_VALUE : (nanos + 999_999) / 1_000_000 * 1_000_000;
        if (delay >= a.deadlineAt - now) { // not now + delay: an enormous delay would overflow
            observer.onRetryRefused(RetryRefusal.DEADLINE);
            // No time left for another attempt: the call's deadline ran out, with the last failure as the cause.
            a.fail(Outcome.DEADLINE_EXCEEDED, new DeadlineExceededException(name, Duration.ofNanos(a.deadlineNanos), a.number, a.failure), false);
            return -1;
        }
        if (!budget.tryAcquireRetry(now)) {
            observer.onRetryRefused(RetryRefusal.BUDGET);
            return -1;
        }
        if (a.trace != null) {
            a.trace.retryScheduled();
        }
        return delay;
    }

    @SuppressWarnings("unchecked")
    private <D> D finish(Attempt a, @Nullable Fallback<? extends D> fallback, long took) {
        Throwable failure = a.failure;
        Object value = a.value;
        boolean useFallback = callEnded(a, fallback != null, took);
        a.giveBack(); // before the fallback, which may call upstreams itself
        if (failure == null) {
            return (D) value;
        }
        if (useFallback) {
            return fallback.recover((UpstreamException) failure);
        }
        throw Observers.<RuntimeException>sneaky(failure); // an Error from user code leaves unchanged
    }

    /**
     * Counts the end of a call, once, for both paths; returns whether its fallback answers: only for a Levee
     * failure whose outcome allows one, never for an {@link Error} thrown by user code, which leaves as it is.
     */
    boolean callEnded(Attempt a, boolean hasFallback, long took) {
        boolean useFallback = hasFallback && a.failure instanceof UpstreamException && a.outcome.isFallbackEligible() && !a.noFallback;
        observer.onCall(a.outcome, useFallback, a.number, took);
        if (a.trace != null) {
            a.trace.callEnded(a.outcome, a.number, useFallback, useFallback ? null : a.failure);
        }
        return useFallback;
    }

    /** Runs an abandon action on the cleanup threads, never on the caller's; a failure is logged, never thrown. */
    void runAbandonAction(Runnable action) {
        Runnable quietly = () -> {
            try {
                action.run();
            } catch (Throwable t) {
                if (abandonFailureLogged.compareAndSet(false, true)) {
                    LOG.warn("Upstream '{}': an abandon action threw (logged once; later ones at DEBUG)", name, t);
                } else {
                    LOG.debug("Upstream '{}': an abandon action threw", name, t);
                }
            }
        };
        try {
            scheduling.cleanup().execute(quietly);
        } catch (RejectedExecutionException closedOrFull) {
            Thread t = new Thread(quietly, "levee-abandon-" + name);
            t.setDaemon(true);
            t.start();
        }
    }

    // ---------------------------------------------------------------- asynchronous path

    @Override
    public <U> CompletableFuture<U> callAsync(AsyncUpstreamCall<U> call) {
        return callAsync(call, Adapter.identity(), CallOptions.defaults());
    }

    @Override
    public <U, D> CompletableFuture<D> callAsync(AsyncUpstreamCall<U> call, Adapter<U, D> adapter) {
        return callAsync(call, adapter, CallOptions.defaults());
    }

    @Override
    public <U, D> CompletableFuture<D> callAsync(AsyncUpstreamCall<U> call, Adapter<U, D> adapter, CallOptions<D> options) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(options, "options");
        Fallback<? extends D> fallback = options.fallback();
        return new AsyncCall<>(this, call, adapter, options.isIdempotent(),
                fallback == null ? null : e -> CompletableFuture.completedFuture(fallback.recover(e))).start();
    }

    // ---------------------------------------------------------------- ports and state

    @Override
    public <P> P protect(Class<P> port, P implementation) {
        return PortHandler.proxy(this, port, implementation, null);
    }

    @Override
    public <P> P protect(Class<P> port, P implementation, P fallback) {
        return PortHandler.proxy(this, port, implementation, Objects.requireNonNull(fallback, "fallback"));
    }

    @Override
    public CircuitState circuitState() {
        syncCircuitState();
        return Breakers.state(breaker.getState());
    }

    /** The circuit's state as the breaker holds it, without noticing a change (no log line, no listener call). */
    CircuitState peekCircuitState() {
        return Breakers.state(breaker.getState());
    }

    /** The health state by the documented rule, derived now without noticing a change: for gauges. */
    dev.levee.HealthState peekHealth() {
        return health.peek();
    }

    @Override
    public UpstreamHealth health() {
        syncCircuitState();
        return health.evaluate();
    }

    @Override
    public void forceCircuitOpen() {
        LOG.warn("Upstream '{}': circuit forced open by hand (forceCircuitOpen)", name);
        breaker.transitionToForcedOpenState();
        syncCircuitState(); // told to observers and health now, not at the next call
    }

    @Override
    public void closeCircuit() {
        LOG.warn("Upstream '{}': circuit closed by hand (closeCircuit)", name);
        breaker.transitionToClosedState();
        freshWindow(); // the window starts anew, as resilience4j's does
        syncCircuitState();
    }

    @Override
    public void resetCircuit() {
        LOG.warn("Upstream '{}': circuit reset by hand (resetCircuit)", name);
        breaker.reset();
        freshWindow(); // forgets every recorded outcome
        syncCircuitState(); // the transition first, then the health it leads to
        health.evaluate();
    }

    @Override
    public int inFlight() {
        return bulkhead.inFlight();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type.isAssignableFrom(CircuitBreaker.class)) {
            return type.cast(exposedBreaker); // resilience4j's breaker, its metrics Levee's window's
        }
        if (type.isInstance(breaker)) {
            return type.cast(breaker);
        }
        throw new IllegalArgumentException("upstream '" + name + "' has nothing of type " + type.getName()
                + " underneath; available: " + CircuitBreaker.class.getName());
    }

    @Override
    public String toString() {
        return "Upstream[" + name + ", " + circuitState() + ", inFlight=" + inFlight() + "]";
    }
}
