package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The DEFAULT spec ({@code UpstreamSpec.named(...).build()}: enforced timeouts, so every attempt runs on an
 * attempt thread) under closed-loop load: 8 threads call back to back, half of their calls with a request id in
 * the MDC and half with nothing to carry, some failing once and retried. Every attempt, first or retry, sees
 * exactly its own caller's context and nothing of another call's: attempt threads that served a caller with a
 * context are clean for the next caller with none (JDK 17's pool), and a caller with nothing to carry is given
 * nothing (JDK 21+'s virtual threads skip restoring it).
 */
class ContextUnderLoadTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 300;

    @Test
    void everyAttemptSeesItsOwnCallersContextAndNoOtherUnderLoad() throws Exception {
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        try (Upstreams upstreams = Upstreams.builder().healthCheckInterval(Duration.ZERO).build()) {
            Upstream u = upstreams.register(UpstreamSpec.named("defaults").build());
            CountDownLatch done = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread caller = new Thread(() -> {
                    try {
                        for (int i = 0; i < CALLS_PER_THREAD; i++) {
                            String id = i % 2 == 0 ? "req-" + thread + "-" + i : null;
                            if (id == null) {
                                MDC.clear();
                            } else {
                                MDC.put("requestId", id);
                            }
                            boolean failFirst = i % 10 == 3;
                            String answer = u.call(ctx -> {
                                attempts.incrementAndGet();
                                String seen = MDC.get("requestId");
                                if (!Objects.equals(seen, id)) {
                                    wrong.add("attempt " + ctx.attempt() + " of " + id + " saw " + seen);
                                }
                                if (MDC.get("leftover") != null) {
                                    wrong.add("attempt " + ctx.attempt() + " of " + id + " saw another attempt's leftover");
                                }
                                MDC.put("leftover", "by the client"); // must not reach any other call
                                if (failFirst && ctx.attempt() == 1) {
                                    throw new IOException("reset");
                                }
                                return String.valueOf(MDC.get("requestId"));
                            }, Adapter.identity(), CallOptions.idempotent());
                            calls.incrementAndGet();
                            if (!Objects.equals(answer, String.valueOf(id))) {
                                wrong.add("call " + id + " answered " + answer);
                            }
                            if (MDC.get("leftover") != null) {
                                wrong.add("the caller of " + id + " got the attempt's MDC");
                            }
                        }
                    } catch (RuntimeException e) {
                        wrong.add("thread " + thread + " failed: " + e);
                    } finally {
                        MDC.clear();
                        done.countDown();
                    }
                }, "caller-" + t);
                caller.start();
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).as("every caller finished within 60 s").isTrue();
        }

        assertThat(wrong).as("context seen by attempts and callers").isEmpty();
        assertThat(calls.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
        assertThat(attempts.get()).as("one retry per call that failed first").isEqualTo(THREADS * CALLS_PER_THREAD * 11 / 10);
    }
}
