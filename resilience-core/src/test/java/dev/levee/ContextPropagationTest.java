package dev.levee;

import static dev.levee.Behaviour.await;
import static dev.levee.Behaviour.get;
import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.MDC;

/**
 * The caller's context (the whole SLF4J MDC, and every {@code ThreadLocalAccessor} of Micrometer's global
 * {@link ContextRegistry}) travels with each call: it is seen by every attempt, retries included, by the
 * fallback and by the callbacks of an asynchronous call, whichever thread runs them, and the threads Levee
 * borrows are left as they were found.
 */
class ContextPropagationTest {

    /** The application's own ThreadLocal, made known to context-propagation through its own accessor. */
    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    private static final String TENANT_KEY = "test.tenant";

    /**
     * A "ThreadLocal" the test can read on any thread: its value on each thread, by thread. It shows what
     * an attempt thread holds after Levee is done with it, which a real ThreadLocal would hide.
     */
    private static final Map<Thread, String> SESSION = new ConcurrentHashMap<>();
    private static final String SESSION_KEY = "test.session";
    /** The threads that read the session, one entry a read: a capture reads it on the caller's thread. */
    private static final List<Thread> SESSION_READS = new CopyOnWriteArrayList<>();

    private Upstreams upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).build();

    @BeforeEach
    void registerAccessors() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(TENANT_KEY, TENANT);
        ContextRegistry.getInstance().registerThreadLocalAccessor(new ThreadLocalAccessor<String>() {
            @Override
            public Object key() {
                return SESSION_KEY;
            }

            @Override
            public @Nullable String getValue() {
                SESSION_READS.add(Thread.currentThread());
                return SESSION.get(Thread.currentThread());
            }

            @Override
            public void setValue(String value) {
                SESSION.put(Thread.currentThread(), value);
            }

            @Override
            public void setValue() {
                SESSION.remove(Thread.currentThread());
            }
        });
        SESSION_READS.clear();
    }

    @AfterEach
    void cleanUp() {
        upstreams.close();
        ContextRegistry.getInstance().removeThreadLocalAccessor(TENANT_KEY);
        ContextRegistry.getInstance().removeThreadLocalAccessor(SESSION_KEY);
        MDC.clear();
        TENANT.remove();
        SESSION.clear();
    }

    /** What one piece of work saw of the caller's context, and where it ran. */
    record Seen(String where, @Nullable String requestId, @Nullable String tenant, @Nullable String session, Thread thread) {
        static Seen now(String where) {
            return new Seen(where, MDC.get("requestId"), TENANT.get(), SESSION.get(Thread.currentThread()), Thread.currentThread());
        }
    }

    /** Sets the caller's context on this thread: an MDC key, the tenant and the session. */
    private static void callerContext(String requestId) {
        MDC.put("requestId", requestId);
        TENANT.set("tenant-of-" + requestId);
        SESSION.put(Thread.currentThread(), "session-of-" + requestId);
    }

    private static void assertSawCallerContext(List<Seen> seen, String requestId) {
        assertThat(seen).isNotEmpty().allSatisfy(s -> {
            assertThat(s.requestId()).as("MDC requestId in %s", s.where()).isEqualTo(requestId);
            assertThat(s.tenant()).as("tenant in %s", s.where()).isEqualTo("tenant-of-" + requestId);
            assertThat(s.session()).as("session in %s", s.where()).isEqualTo("session-of-" + requestId);
        });
    }

    private Upstream retrying(String name, TimeoutMode mode) {
        return upstreams.register(Behaviour.threeAttempts(name, mode));
    }

    // ---------------------------------------------------------------- synchronous calls

    @ParameterizedTest
    @EnumSource(TimeoutMode.class)
    void everyAttemptFirstAndRetriesSeesTheCallersMdcAndThreadLocals(TimeoutMode mode) {
        Upstream u = retrying("pricing", mode);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        callerContext("req-1");

        String answer = u.call(ctx -> {
            seen.add(Seen.now("attempt " + ctx.attempt()));
            if (ctx.attempt() < 3) {
                throw new IOException("connection reset");
            }
            return "42";
        }, Adapter.identity(), CallOptions.idempotent());

        assertThat(answer).isEqualTo("42");
        assertThat(seen).extracting(Seen::where).containsExactly("attempt 1", "attempt 2", "attempt 3");
        assertSawCallerContext(seen, "req-1");
        if (mode == TimeoutMode.ENFORCED) {
            assertThat(seen).as("enforced attempts run on attempt threads").noneMatch(s -> s.thread() == Thread.currentThread());
        } else {
            assertThat(seen).as("cooperative attempts run on the caller's thread").allMatch(s -> s.thread() == Thread.currentThread());
        }
        assertThat(MDC.get("requestId")).as("the caller's own MDC is untouched").isEqualTo("req-1");
        assertThat(TENANT.get()).isEqualTo("tenant-of-req-1");
    }

    @ParameterizedTest
    @EnumSource(TimeoutMode.class)
    void theFallbackSeesTheCallersContext(TimeoutMode mode) {
        Upstream u = retrying("pricing", mode);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        callerContext("req-2");

        String answer = u.call(ctx -> {
            seen.add(Seen.now("attempt " + ctx.attempt()));
            throw new IOException("down");
        }, Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> {
            seen.add(Seen.now("fallback"));
            return "cached";
        }));

        assertThat(answer).isEqualTo("cached");
        assertThat(seen).extracting(Seen::where).containsExactly("attempt 1", "attempt 2", "attempt 3", "fallback");
        assertSawCallerContext(seen, "req-2");
    }

    @Test
    void anEnforcedAttemptThatTimesOutRanInTheCallersContextAndItsThreadIsPutBackWhenItsWorkEnds() {
        Upstream u = upstreams.register(spec("slow").attemptTimeout(Duration.ofMillis(200)).build());
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch workEnded = new CountDownLatch(1);
        AtomicReference<Thread> attemptThread = new AtomicReference<>();
        callerContext("req-3");

        assertThatThrownBy(() -> u.call(ctx -> {
            attemptThread.set(Thread.currentThread());
            try {
                release.await(); // ignores nothing: the test releases it after the timeout
            } finally {
                seen.add(Seen.now("abandoned attempt"));
                workEnded.countDown();
            }
            return "late";
        })).isInstanceOf(UpstreamTimeoutException.class);
        release.countDown();
        await(workEnded, "the abandoned attempt's work to end");

        assertSawCallerContext(seen, "req-3");
        Behaviour.awaitUntil(() -> !SESSION.containsKey(attemptThread.get()), "the attempt thread's session is put back");
    }

    @Test
    void anAttemptThreadsOwnStateIsPutBackAfterTheAttemptWhateverTheClientLeftOnIt() {
        Upstream u = upstreams.register(spec("leaky").build());
        AtomicReference<Thread> attemptThread = new AtomicReference<>();
        callerContext("req-4");

        u.call(ctx -> {
            attemptThread.set(Thread.currentThread());
            SESSION.put(Thread.currentThread(), "set by the client and never removed");
            return "ok";
        });

        assertThat(attemptThread.get()).isNotSameAs(Thread.currentThread());
        assertThat(SESSION).as("the attempt thread holds neither the caller's session nor the client's")
                .doesNotContainKey(attemptThread.get());
        assertThat(SESSION.get(Thread.currentThread())).isEqualTo("session-of-req-4");
    }

    @Test
    void anAttemptThreadDirtiedByAClientIsCleanForTheNextCall() {
        upstreams.close();
        upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).maxAttemptThreads(1).build();
        Upstream u = upstreams.register(spec("leaky").build());
        List<Seen> seen = new CopyOnWriteArrayList<>();
        List<String> leaked = new CopyOnWriteArrayList<>();

        callerContext("req-5");
        u.call(ctx -> {
            seen.add(Seen.now("first call"));
            MDC.put("leaked", "by a client that forgot to remove it");
            TENANT.set("dirty");
            return "ok";
        });
        MDC.clear();
        TENANT.remove();
        SESSION.remove(Thread.currentThread());
        MDC.put("requestId", "req-6");
        u.call(ctx -> {
            seen.add(Seen.now("second call"));
            leaked.add(String.valueOf(MDC.get("leaked")));
            leaked.add(String.valueOf(TENANT.get()));
            return "ok";
        });

        if (!Behaviour.virtualThreads()) {
            assertThat(seen.get(1).thread()).as("JDK 17's single attempt thread served both calls").isSameAs(seen.get(0).thread());
        }
        assertThat(seen.get(1).requestId()).isEqualTo("req-6");
        assertThat(leaked).containsExactly("null", "null");
    }

    @Test
    void aPooledAttemptThreadDirtiedByAClientIsCleanForACallerWithNothingToCarry() {
        upstreams.close();
        upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).maxAttemptThreads(1).build();
        Upstream u = upstreams.register(spec("leaky").build());
        List<String> leaked = new CopyOnWriteArrayList<>();

        callerContext("req-9");
        u.call(ctx -> {
            MDC.put("leaked", "by a client that forgot to remove it");
            TENANT.set("dirty");
            SESSION.put(Thread.currentThread(), "dirty");
            return "ok";
        });
        MDC.clear();
        TENANT.remove();
        SESSION.remove(Thread.currentThread());
        u.call(ctx -> { // a caller with no MDC and no value in any accessor: an empty context
            leaked.add(String.valueOf(MDC.get("leaked")));
            leaked.add(String.valueOf(TENANT.get()));
            leaked.add(String.valueOf(SESSION.get(Thread.currentThread())));
            return "ok";
        });

        assertThat(leaked).containsExactly("null", "null", "null");
    }

    @Test
    void aCallerWithNothingToCarryCostsAFreshAttemptThreadNothingAndAPooledOneAClearing() {
        Upstream u = upstreams.register(spec("empty-context").build());
        List<Seen> seen = new CopyOnWriteArrayList<>();

        u.call(ctx -> {
            seen.add(Seen.now("attempt"));
            return "ok";
        });

        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.thread()).isNotSameAs(Thread.currentThread());
            assertThat(s.requestId()).isNull();
            assertThat(s.tenant()).isNull();
            assertThat(s.session()).isNull();
        });
        List<Thread> attemptThreadReads = SESSION_READS.stream().filter(t -> t != Thread.currentThread()).toList();
        if (Behaviour.virtualThreads()) {
            assertThat(attemptThreadReads).as("a virtual attempt thread inherits nothing: nothing to clear or put back").isEmpty();
        } else {
            assertThat(attemptThreadReads).as("a pooled attempt thread is cleared, its own value read to be put back")
                    .hasSize(1);
        }
    }

    @Test
    void anAttemptThreadInheritsNothingFromTheThreadThatHandsItTheAttempt() {
        InheritableThreadLocal<String> requestScoped = new InheritableThreadLocal<>(); // known to no accessor
        upstreams.close();
        upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).maxAttemptThreads(1).build();
        Upstream u = upstreams.register(spec("inheriting").build());
        List<String> seen = new CopyOnWriteArrayList<>();

        requestScoped.set("request-a"); // the caller whose call starts the attempt thread (JDK 17's pool)
        try {
            u.call(ctx -> {
                seen.add(String.valueOf(requestScoped.get()));
                return "ok";
            });
            requestScoped.set("request-b");
            u.call(ctx -> {
                seen.add(String.valueOf(requestScoped.get()));
                return "ok";
            });
        } finally {
            requestScoped.remove();
        }

        assertThat(seen).as("only what context propagation carries reaches an attempt; request-a never outlives its call")
                .containsExactly("null", "null");
    }

    @Test
    void withPropagationOffAClientsLeftoversStayOnTheAttemptThread() {
        assumeFalse(Behaviour.virtualThreads(), "a virtual thread serves one attempt only: nothing to leak into");
        upstreams.close();
        upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).maxAttemptThreads(1).contextPropagation(false).build();
        Upstream u = upstreams.register(spec("unprotected").build());
        List<String> seen = new CopyOnWriteArrayList<>();
        MDC.put("requestId", "req-7");

        u.call(ctx -> {
            seen.add(String.valueOf(MDC.get("requestId")));
            MDC.put("leaked", "x");
            return "ok";
        });
        u.call(ctx -> {
            seen.add(String.valueOf(MDC.get("leaked")));
            return "ok";
        });

        assertThat(seen).as("nothing carried, nothing cleaned: what this feature prevents").containsExactly("null", "x");
    }

    @Test
    void theContextIsCapturedOncePerCallAndNeverForACooperativeCall() {
        Upstream enforced = retrying("enforced", TimeoutMode.ENFORCED);
        Upstream cooperative = retrying("cooperative", TimeoutMode.COOPERATIVE);
        callerContext("req-8");
        UpstreamCall<String> failTwice = ctx -> {
            if (ctx.attempt() < 3) {
                throw new IOException("reset");
            }
            return "ok";
        };

        cooperative.call(failTwice, Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> "fallback"));
        List<Thread> readByCooperative = List.copyOf(SESSION_READS);
        SESSION_READS.clear();
        enforced.call(failTwice, Adapter.identity(), CallOptions.idempotent());

        assertThat(readByCooperative).as("a cooperative call, fallback included, runs on the caller's thread: nothing captured").isEmpty();
        assertThat(SESSION_READS).as("an enforced call captures once, on the caller's thread, whatever its retries")
                .filteredOn(t -> t == Thread.currentThread()).hasSize(1);
        assertThat(SESSION_READS).as("each of its 3 attempts reads its own thread's value, to put it back")
                .filteredOn(t -> t != Thread.currentThread()).hasSize(3);
    }

    @Test
    void theCallersCurrentObservationIsCurrentOnTheAttemptThreadWithoutLeveeObservingAnything() {
        Upstream u = upstreams.register(spec("traced-elsewhere").build());
        TestObservationRegistry registry = TestObservationRegistry.create();
        Observation server = Observation.start("http.server.requests", registry);
        AtomicReference<Object> current = new AtomicReference<>();
        AtomicReference<Thread> attemptThread = new AtomicReference<>();

        try (Observation.Scope scope = server.openScope()) {
            u.call(ctx -> {
                attemptThread.set(Thread.currentThread());
                current.set(registry.getCurrentObservation());
                return "ok";
            });
            assertThat(registry.getCurrentObservation()).isSameAs(server);
        }
        server.stop();

        assertThat(attemptThread.get()).isNotSameAs(Thread.currentThread());
        assertThat(current.get()).as("the application's accessors (here Micrometer's) just work").isSameAs(server);
    }

    @ParameterizedTest
    @EnumSource(TimeoutMode.class)
    void abandonActionsRunInTheContextOfTheAttemptThatRegisteredThem(TimeoutMode mode) {
        Upstream u = upstreams.register(spec("cancellable").timeoutMode(mode).attemptTimeout(Duration.ofMillis(200)).build());
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        callerContext("req-9");

        assertThatThrownBy(() -> u.call(ctx -> {
            ctx.onAbandon(() -> {
                seen.add(Seen.now("abandon action"));
                stop.countDown();
            });
            await(stop, "the abandon action");
            throw new IOException("statement cancelled"); // what a client stopped by its abandon action throws
        })).isInstanceOf(UpstreamTimeoutException.class);
        await(stop, "the abandon action");

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).thread()).isNotSameAs(Thread.currentThread());
        assertSawCallerContext(seen, "req-9");
    }

    // ---------------------------------------------------------------- asynchronous calls

    @Test
    void asyncRetriesTheAdapterAndTheCallbacksSeeTheCallersContextOnWhateverThreadRunsThem() throws Exception {
        Upstream u = retrying("async", TimeoutMode.ENFORCED);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<String> third = new CompletableFuture<>();
        callerContext("req-10");

        CompletableFuture<String> result = u.callAsync(ctx -> {
            seen.add(Seen.now("attempt " + ctx.attempt()));
            return ctx.attempt() < 3 ? CompletableFuture.failedFuture(new IOException("reset")) : third;
        }, (Adapter<String, String>) response -> {
            seen.add(Seen.now("adapter"));
            return "#" + response;
        }, CallOptions.idempotent());
        CompletableFuture<String> callback = result.thenApply(v -> {
            seen.add(Seen.now("callback"));
            return v;
        });
        // Levee waits on the third attempt's future before the completer completes it, or the completion
        // would run on the attempt thread that attached to an already completed future
        Behaviour.awaitUntil(() -> seen.size() >= 3 && third.getNumberOfDependents() > 0, "the third attempt, awaited");
        List<Seen> onCompleter = new CopyOnWriteArrayList<>();
        Thread completer = new Thread(() -> {
            MDC.put("requestId", "completer's own");
            SESSION.put(Thread.currentThread(), "completer's session");
            third.complete("42");
            onCompleter.add(Seen.now("completer after completing"));
        }, "completer");
        completer.start();
        Behaviour.join(completer);

        assertThat(get(callback)).isEqualTo("#42");
        assertThat(seen).extracting(Seen::where).containsExactly("attempt 1", "attempt 2", "attempt 3", "adapter", "callback");
        assertSawCallerContext(seen, "req-10");
        assertThat(seen.get(1).thread()).as("a retry runs on an attempt thread").isNotSameAs(Thread.currentThread());
        assertThat(seen.get(3).thread()).as("the completion ran on the completer's thread").isSameAs(completer);
        assertThat(onCompleter.get(0).requestId()).as("the completer's own MDC is put back").isEqualTo("completer's own");
        assertThat(onCompleter.get(0).session()).isEqualTo("completer's session");
        assertThat(onCompleter.get(0).tenant()).isNull();
    }

    @Test
    void anAsyncFallbackAndTheCallbacksAfterItSeeTheCallersContext() {
        Upstream u = retrying("async-fallback", TimeoutMode.ENFORCED);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        callerContext("req-11");

        CompletableFuture<String> result = u.callAsync(ctx -> {
            seen.add(Seen.now("attempt " + ctx.attempt()));
            return CompletableFuture.<String>failedFuture(new IOException("down"));
        }, Adapter.identity(), CallOptions.<String>idempotent().withFallback(e -> {
            seen.add(Seen.now("fallback"));
            return "cached";
        })).thenApply(v -> {
            seen.add(Seen.now("callback"));
            return v;
        });

        assertThat(get(result)).isEqualTo("cached");
        assertThat(seen).extracting(Seen::where).containsExactly("attempt 1", "attempt 2", "attempt 3", "fallback", "callback");
        assertSawCallerContext(seen, "req-11");
        assertThat(seen.get(3).thread()).as("the fallback ran after a retry, off the caller's thread").isNotSameAs(Thread.currentThread());
    }

    /** A port whose asynchronous fallback answers later, from another thread. */
    interface QuotePort {
        CompletionStage<String> quote(String sku);
    }

    @Test
    void theCallbacksOfAnAsyncFallbackThatCompletesOnAnotherThreadSeeTheCallersContext() {
        Upstream u = upstreams.register(spec("port").build());
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<String> later = new CompletableFuture<>();
        QuotePort port = u.protect(QuotePort.class,
                sku -> CompletableFuture.failedFuture(new IOException("down")),
                sku -> later);
        callerContext("req-12");

        CompletableFuture<String> result = port.quote("sku-1").toCompletableFuture().thenApply(v -> {
            seen.add(Seen.now("callback"));
            return v;
        });
        Thread completer = new Thread(() -> later.complete("cached"), "fallback-completer");
        completer.start();
        Behaviour.join(completer);

        assertThat(get(result)).isEqualTo("cached");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).thread()).isSameAs(completer);
        assertSawCallerContext(seen, "req-12");
    }

    // ---------------------------------------------------------------- deadline

    @Test
    void theDeadlineIsRegisteredWithContextPropagation() {
        assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
                .anySatisfy(a -> assertThat(a.key()).isEqualTo(Deadline.CONTEXT_KEY));
    }

    @Test
    void aDeadlineBoundOnTheCallerBoundsACallMadeFromAnExecutorThatPropagatesContext() throws Exception {
        Upstream u = upstreams.register(spec("inventory").attemptTimeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(10)).build());
        ExecutorService executor = ContextExecutorService.wrap(Executors.newSingleThreadExecutor());
        try {
            Future<Long> remaining;
            Future<Boolean> deadlineSeen;
            try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(800)).bind()) {
                deadlineSeen = executor.submit(() -> Deadline.current().isPresent());
                remaining = executor.submit(() -> u.call(ctx -> ctx.remainingNanos()));
            }
            Future<Boolean> afterTheScope = executor.submit(() -> Deadline.current().isPresent());

            assertThat(get(deadlineSeen)).isTrue();
            assertThat(Duration.ofNanos(get(remaining))).as("clamped by the caller's deadline, not the spec's 5 s")
                    .isPositive().isLessThanOrEqualTo(Duration.ofMillis(800));
            assertThat(get(afterTheScope)).as("the executor's thread does not keep it").isFalse();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aPassedDeadlineFailsACallMadeFromAnExecutorThatPropagatesContext() {
        Upstream u = upstreams.register(spec("inventory").build());
        ExecutorService executor = ContextExecutorService.wrap(Executors.newSingleThreadExecutor());
        try {
            Future<String> call;
            try (Deadline.Scope scope = Deadline.after(Duration.ZERO).bind()) {
                call = executor.submit(() -> u.call(ctx -> "should not be called"));
            }
            assertThat(Behaviour.failureOf(call)).isInstanceOf(DeadlineExceededException.class);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void anEnforcedAttemptSeesTheCallersDeadlineSoTheCallsItMakesAreBoundedToo() {
        Upstream outer = upstreams.register(spec("outer").build());
        Upstream inner = upstreams.register(spec("inner").attemptTimeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(10)).build());
        AtomicReference<Boolean> deadlineOnAttemptThread = new AtomicReference<>();
        long innerRemaining;
        try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(700)).bind()) {
            innerRemaining = outer.call(ctx -> {
                deadlineOnAttemptThread.set(Deadline.current().isPresent());
                return inner.call(innerCtx -> innerCtx.remainingNanos());
            });
        }
        assertThat(deadlineOnAttemptThread.get()).isTrue();
        assertThat(Duration.ofNanos(innerRemaining)).isPositive().isLessThanOrEqualTo(Duration.ofMillis(700));
    }
}
