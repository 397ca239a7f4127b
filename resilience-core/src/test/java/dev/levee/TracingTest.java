package dev.levee;

import static dev.levee.Behaviour.get;
import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The spans a tracer makes of Levee's observations (micrometer-tracing's test tracer): a call retried twice
 * is one call span with three attempt spans beneath it, each with its outcome, and the span an HTTP client
 * opens inside an attempt is that attempt's child, all in the caller's trace.
 */
class TracingTest {

    private final SimpleTracer tracer = new SimpleTracer();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final Upstreams upstreams;

    TracingTest() {
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        upstreams = Upstreams.builder().observationRegistry(registry).healthCheckInterval(Duration.ZERO).build();
    }

    @AfterEach
    void close() {
        upstreams.close();
    }

    private Upstream retrying(String name, TimeoutMode mode) {
        return upstreams.register(Behaviour.threeAttempts(name, mode));
    }

    /** The HTTP client, simulated: its own observation (so its own span) around the request. */
    private String httpGet(Map<String, String> clientSpanToCurrentAtStart, int attempt) throws IOException {
        String current = tracer.currentSpan().context().spanId(); // the attempt's span, current on this thread
        Observation client = Observation.createNotStarted("http.client.requests", registry).contextualName("http get").start();
        try (Observation.Scope scope = client.openScope()) {
            clientSpanToCurrentAtStart.put(tracer.currentSpan().context().spanId(), current);
            if (attempt < 3) {
                IOException e = new IOException("503 from pricing");
                client.error(e);
                throw e;
            }
            return "42";
        } finally {
            client.stop();
        }
    }

    private List<SimpleSpan> spansNamed(String name) {
        return tracer.getSpans().stream().filter(s -> s.getName().equals(name)).toList();
    }

    private void assertTraceOfACallRetriedTwice(SimpleSpan server, Map<String, String> clientSpanToCurrentAtStart) {
        List<SimpleSpan> calls = spansNamed("call pricing");
        List<SimpleSpan> attempts = spansNamed("attempt pricing");
        List<SimpleSpan> clients = spansNamed("http get");
        assertThat(calls).hasSize(1);
        assertThat(attempts).hasSize(3);
        assertThat(clients).hasSize(3);
        SimpleSpan call = calls.get(0);

        assertThat(tracer.getSpans()).as("one trace: the caller's").allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(server.getTraceId()));
        assertThat(tracer.getSpans()).as("every span ended").allSatisfy(s -> assertThat(s.getEndTimestamp().toEpochMilli()).isPositive());
        assertThat(call.getParentId()).as("the call span is a child of the caller's span").isEqualTo(server.getSpanId());
        assertThat(call.getTags()).containsEntry("upstream", "pricing").containsEntry("outcome", "success")
                .containsEntry("levee.attempts", "3");
        assertThat(call.getEvents()).extracting(Map.Entry::getValue).containsExactly("retry scheduled", "retry scheduled");

        assertThat(attempts).as("attempt spans are children of the call span")
                .allSatisfy(a -> assertThat(a.getParentId()).isEqualTo(call.getSpanId()));
        assertThat(attempts).extracting(a -> a.getTags().get("outcome")).containsExactly("failure", "failure", "success");
        assertThat(attempts).extracting(a -> a.getTags().get("kind")).containsExactly("first", "retry", "retry");
        assertThat(attempts).extracting(a -> a.getTags().get("http.request.resend_count")).containsExactly(null, "1", "2");
        assertThat(attempts).extracting(a -> a.getError() != null).containsExactly(true, true, false);

        for (int i = 0; i < 3; i++) {
            SimpleSpan client = clients.get(i);
            SimpleSpan attempt = attempts.get(i);
            assertThat(client.getParentId()).as("client span %s is a child of attempt span %s", i + 1, i + 1).isEqualTo(attempt.getSpanId());
            assertThat(clientSpanToCurrentAtStart).as("the attempt's span was current when the client started")
                    .containsEntry(client.getSpanId(), attempt.getSpanId());
        }
    }

    @ParameterizedTest
    @EnumSource(TimeoutMode.class)
    void aCallRetriedTwiceIsOneCallSpanWithThreeAttemptSpansAndTheClientSpanUnderItsAttempt(TimeoutMode mode) {
        Upstream u = retrying("pricing", mode);
        Map<String, String> clientSpanToCurrentAtStart = new ConcurrentHashMap<>();
        Observation server = Observation.createNotStarted("http.server.requests", registry).contextualName("GET /checkout").start();
        try (Observation.Scope scope = server.openScope()) {
            String price = u.call(ctx -> httpGet(clientSpanToCurrentAtStart, ctx.attempt()), Adapter.identity(), CallOptions.idempotent());
            assertThat(price).isEqualTo("42");
        } finally {
            server.stop();
        }

        assertTraceOfACallRetriedTwice(spansNamed("GET /checkout").get(0), clientSpanToCurrentAtStart);
        assertThat(tracer.currentSpan()).as("nothing left in scope on the caller's thread").isNull();
    }

    @Test
    void anAsyncCallRetriedTwiceMakesTheSameTrace() {
        Upstream u = retrying("pricing", TimeoutMode.ENFORCED);
        Map<String, String> clientSpanToCurrentAtStart = new ConcurrentHashMap<>();
        List<String> currentInCallback = new CopyOnWriteArrayList<>();
        Observation server = Observation.createNotStarted("http.server.requests", registry).contextualName("GET /checkout").start();
        CompletableFuture<String> result;
        try (Observation.Scope scope = server.openScope()) {
            result = u.callAsync(ctx -> {
                try {
                    return CompletableFuture.completedFuture(httpGet(clientSpanToCurrentAtStart, ctx.attempt()));
                } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }, Adapter.identity(), CallOptions.idempotent()).thenApply(v -> {
                currentInCallback.add(tracer.currentSpan() == null ? "none" : tracer.currentSpan().context().spanId());
                return v;
            });
        }
        assertThat(get(result)).isEqualTo("42");
        server.stop();

        SimpleSpan serverSpan = spansNamed("GET /checkout").get(0);
        assertTraceOfACallRetriedTwice(serverSpan, clientSpanToCurrentAtStart);
        assertThat(currentInCallback).as("the callback runs in the caller's context: the caller's span is current")
                .containsExactly(serverSpan.getSpanId());
    }
}
