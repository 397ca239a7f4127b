package dev.levee.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * {@link CallerContext}: what is captured on one thread is what another sees while it is restored, and the
 * other thread's own state, its whole MDC included, is what it holds again afterwards.
 */
class CallerContextTest {

    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    private final CallerContext.Capture capture;

    CallerContextTest() {
        ContextRegistry registry = new ContextRegistry();
        registry.registerThreadLocalAccessor("tenant", TENANT);
        capture = CallerContext.Capture.of(registry);
    }

    @AfterEach
    void clear() {
        MDC.clear();
        TENANT.remove();
    }

    /** Runs on a fresh thread and returns what it returns. */
    private static <T> T onAnotherThread(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.start();
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the other thread did not finish in 10 s");
        }
    }

    @Test
    void theOtherThreadSeesTheCapturedContextAndHoldsItsOwnAgainAfterwards() throws Exception {
        MDC.put("requestId", "req-1");
        TENANT.set("acme");
        CallerContext captured = capture.capture();

        String seen = onAnotherThread(() -> {
            MDC.put("thread", "worker's own");
            TENANT.set("worker's tenant");
            String during;
            try (CallerContext.Restored restored = captured.restore()) {
                during = MDC.getCopyOfContextMap() + " " + TENANT.get();
                MDC.put("leaked", "by the work");
                TENANT.set("dirtied by the work");
            }
            return during + " | " + MDC.getCopyOfContextMap() + " " + TENANT.get();
        });

        assertThat(seen).isEqualTo("{requestId=req-1} acme | {thread=worker's own} worker's tenant");
    }

    @Test
    void whatTheCallerLackedIsClearedWhileRestoredAndPutBackAfterwards() throws Exception {
        CallerContext captured = capture.capture(); // no MDC, no tenant

        String seen = onAnotherThread(() -> {
            MDC.put("stale", "from an earlier task");
            TENANT.set("stale tenant");
            String during;
            try (CallerContext.Restored restored = captured.restore()) {
                Map<String, String> mdc = MDC.getCopyOfContextMap();
                during = (mdc == null || mdc.isEmpty() ? "no MDC" : mdc.toString()) + " " + TENANT.get();
            }
            return during + " | " + MDC.get("stale") + " " + TENANT.get();
        });

        assertThat(seen).isEqualTo("no MDC null | from an earlier task stale tenant");
    }

    @Test
    void aCallerWithNothingToCarryIsOneEmptyContextWhichOnlyAThreadThatIsNotFreshRestores() throws Exception {
        CallerContext first = capture.capture(); // no MDC, no tenant
        MDC.put("requestId", "req-4");
        CallerContext carrying = capture.capture();
        MDC.clear();
        CallerContext second = capture.capture();

        String seen = onAnotherThread(() -> {
            TENANT.set("own tenant");
            String onFresh;
            try (CallerContext.Restored restored = first.restore(true)) {
                onFresh = (restored == CallerContext.Restored.NOTHING) + " " + TENANT.get();
            }
            String onPooled;
            try (CallerContext.Restored restored = first.restore(false)) {
                onPooled = (restored == CallerContext.Restored.NOTHING) + " " + TENANT.get();
            }
            String carried;
            try (CallerContext.Restored restored = carrying.restore(true)) {
                carried = MDC.get("requestId") + " " + TENANT.get();
            }
            return onFresh + " | " + onPooled + " | " + carried + " | " + TENANT.get();
        });

        assertThat(second).as("one shared instance: nothing allocated to hold nothing").isSameAs(first);
        assertThat(carrying).isNotSameAs(first);
        assertThat(seen).as("fresh: untouched; not fresh: cleared; a context with values: restored in full, fresh or not")
                .isEqualTo("true own tenant | false null | req-4 null | own tenant");
    }

    @Test
    void nothingCapturedRestoresNothing() throws Exception {
        MDC.put("requestId", "req-2");
        CallerContext captured = CallerContext.Capture.OFF.capture();

        String seen = onAnotherThread(() -> {
            MDC.put("thread", "own");
            try (CallerContext.Restored restored = captured.restore()) {
                return String.valueOf(MDC.getCopyOfContextMap());
            }
        });

        assertThat(captured).isSameAs(CallerContext.NONE);
        assertThat(seen).isEqualTo("{thread=own}");
    }

    @Test
    void aWrappedActionRunsInTheCapturedContext() throws Exception {
        MDC.put("requestId", "req-3");
        TENANT.set("acme");
        Runnable action = capture.capture().wrap(() -> {
            assertThat(MDC.get("requestId")).isEqualTo("req-3");
            assertThat(TENANT.get()).isEqualTo("acme");
        });

        String after = onAnotherThread(() -> {
            action.run();
            return MDC.get("requestId") + " " + TENANT.get();
        });

        assertThat(after).isEqualTo("null null");
    }
}
