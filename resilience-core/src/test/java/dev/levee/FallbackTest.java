package dev.levee;

import static dev.levee.Behaviour.failureOf;
import static dev.levee.Behaviour.get;
import static dev.levee.Behaviour.holdPermit;
import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-call fallbacks ({@link CallOptions#withFallback}): used after failures, timeouts, rejections and
 * contract violations, never after caller faults; their use stays visible to observers.
 */
class FallbackTest {

    private final CountingObserver observer = new CountingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();
    private final Upstream u = upstreams.register(spec("pricing")
            .attemptTimeout(Duration.ofMillis(150)).deadline(Duration.ofSeconds(2))
            .classification(c -> c.callerFault(IllegalArgumentException.class))
            .maxConcurrentCalls(1)
            .build());
    private final List<UpstreamException> recovered = new CopyOnWriteArrayList<>();
    private final CallOptions<String> withFallback = CallOptions.<String>defaults().withFallback(e -> {
        recovered.add(e);
        return "fallback";
    });
    private final CountDownLatch never = new CountDownLatch(1);

    /** Expects a price string to be numeric. */
    private static final Adapter<String, String> PRICE = new Adapter<>() {
        private final List<Expectation<? super String>> expectations =
                List.of(Expectation.of("numeric", s -> s.chars().allMatch(Character::isDigit)));

        @Override
        public String translate(String response) {
            return "$" + response;
        }

        @Override
        public Verdict<String> classify(String response) {
            return response.equals("400") ? Verdict.callerFault("http 400") : Verdict.proceed();
        }

        @Override
        public List<Expectation<? super String>> expectations() {
            return expectations;
        }
    };

    @AfterEach
    void close() {
        never.countDown();
        upstreams.close();
    }

    @Test
    void aSuccessDoesNotUseTheFallback() {
        assertThat(u.call(ctx -> "12", PRICE, withFallback)).isEqualTo("$12");
        assertThat(recovered).isEmpty();
        assertThat(observer.calls(Outcome.SUCCESS)).isEqualTo(1);
        assertThat(observer.totalFallbackCalls()).isZero();
    }

    @Test
    void aFailureFallsBackAndStaysVisibleAsAFailure() {
        IOException boom = new IOException("connection reset");
        String price = u.call(ctx -> {
            throw boom;
        }, PRICE, withFallback);

        assertThat(price).isEqualTo("fallback");
        assertThat(recovered).singleElement().isInstanceOf(UpstreamFailureException.class)
                .satisfies(e -> assertThat(e.getCause()).isSameAs(boom));
        assertThat(observer.calls(Outcome.FAILURE)).as("the outcome is the real one").isEqualTo(1);
        assertThat(observer.fallbackCalls(Outcome.FAILURE)).as("marked as fallen back").isEqualTo(1);
        assertThat(observer.calls(Outcome.SUCCESS)).isZero();
    }

    @Test
    void aTimeoutFallsBack() {
        String price = u.call(ctx -> String.valueOf(never.await(10, TimeUnit.SECONDS)), PRICE, withFallback);

        assertThat(price).isEqualTo("fallback");
        assertThat(recovered).singleElement().isInstanceOf(UpstreamTimeoutException.class);
        assertThat(observer.fallbackCalls(Outcome.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aRejectionFallsBackWithoutCallingTheUpstream() {
        Upstream single = upstreams.register(spec("single").attemptTimeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(10))
                .maxConcurrentCalls(1).build());
        CompletableFuture<String> hold = new CompletableFuture<>();
        holdPermit(single, hold); // holds the only permit until completed
        CountDownLatch reached = new CountDownLatch(1);

        String price = single.call(ctx -> {
            reached.countDown();
            return "1";
        }, PRICE, withFallback);

        assertThat(price).isEqualTo("fallback");
        assertThat(reached.getCount()).as("the upstream was never called").isEqualTo(1);
        assertThat(recovered).singleElement().isInstanceOf(UpstreamRejectedException.class)
                .extracting(UpstreamException::outcome).isEqualTo(Outcome.BULKHEAD_FULL);
        assertThat(observer.fallbackCalls(Outcome.BULKHEAD_FULL)).isEqualTo(1);
        hold.complete("x");
    }

    @Test
    void aContractViolationFallsBack() {
        String price = u.call(ctx -> "twelve", PRICE, withFallback);

        assertThat(price).isEqualTo("fallback");
        assertThat(recovered).singleElement().isInstanceOf(ContractViolationException.class)
                .extracting(e -> ((ContractViolationException) e).expectation()).isEqualTo("numeric");
        assertThat(observer.fallbackCalls(Outcome.CONTRACT_VIOLATION)).isEqualTo(1);
    }

    @Test
    void callerFaultsNeverFallBack() {
        Throwable byVerdict = catchThrowable(() -> u.call(ctx -> "400", PRICE, withFallback));
        IllegalArgumentException bad = new IllegalArgumentException("unknown sku");
        Throwable byRule = catchThrowable(() -> u.call(ctx -> {
            throw bad;
        }, PRICE, withFallback));

        assertThat(byVerdict).isInstanceOf(CallerFaultException.class);
        assertThat(byRule).isInstanceOf(CallerFaultException.class).hasCause(bad);
        assertThat(recovered).as("the fallback was never asked").isEmpty();
        assertThat(observer.calls(Outcome.CALLER_FAULT)).isEqualTo(2);
        assertThat(observer.totalFallbackCalls()).isZero();
    }

    @Test
    void aFallbackThatThrowsPropagatesItsException() {
        IllegalStateException noCache = new IllegalStateException("no cached price either");
        CallOptions<String> failing = CallOptions.<String>defaults().withFallback(e -> {
            throw noCache;
        });

        Throwable thrown = catchThrowable(() -> u.call(ctx -> {
            throw new IOException("down");
        }, PRICE, failing));

        assertThat(thrown).isSameAs(noCache);
        assertThat(observer.fallbackCalls(Outcome.FAILURE)).isEqualTo(1);
    }

    @Test
    void asyncCallsFallBackTheSameWay() {
        assertThat(get(u.callAsync(ctx -> CompletableFuture.failedFuture(new IOException("down")), PRICE, withFallback)))
                .isEqualTo("fallback");
        assertThat(get(u.callAsync(ctx -> new CompletableFuture<String>(), PRICE, withFallback)))
                .as("after a timeout").isEqualTo("fallback");
        assertThat(get(u.callAsync(ctx -> CompletableFuture.completedFuture("twelve"), PRICE, withFallback)))
                .as("after a contract violation").isEqualTo("fallback");
        assertThat(failureOf(u.callAsync(ctx -> CompletableFuture.completedFuture("400"), PRICE, withFallback)))
                .as("never after a caller fault").isInstanceOf(CallerFaultException.class);

        IllegalStateException noCache = new IllegalStateException("no cached price either");
        CallOptions<String> failing = CallOptions.<String>defaults().withFallback(e -> {
            throw noCache;
        });
        assertThat(failureOf(u.callAsync(ctx -> CompletableFuture.failedFuture(new IOException("down")), PRICE, failing)))
                .isSameAs(noCache);

        assertThat(recovered).extracting(UpstreamException::outcome)
                .containsExactly(Outcome.FAILURE, Outcome.TIMEOUT, Outcome.CONTRACT_VIOLATION);
        assertThat(observer.fallbackCalls(Outcome.FAILURE)).isEqualTo(2);
        assertThat(observer.fallbackCalls(Outcome.TIMEOUT)).isEqualTo(1);
        assertThat(observer.fallbackCalls(Outcome.CONTRACT_VIOLATION)).isEqualTo(1);
        assertThat(observer.calls(Outcome.CALLER_FAULT)).isEqualTo(1);
        assertThat(u.inFlight()).isZero();
    }
}
