package dev.levee;

import static dev.levee.Behaviour.failureOf;
import static dev.levee.Behaviour.get;
import static dev.levee.Behaviour.holdPermit;
import static dev.levee.Behaviour.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Upstream#protect}: a port interface whose every abstract method becomes a guarded call. */
class PortProtectionTest {

    /** A domain exception the implementation throws on purpose. */
    static final class OutOfStock extends Exception {
        OutOfStock(String sku) {
            super("out of stock: " + sku);
        }
    }

    /**
     * A package-private port, as ports nested in application code often are. Regression: every call of a
     * non-public port failed with "cannot call ..." (IllegalAccessException) and its default methods could not
     * be invoked at all.
     */
    interface InventoryPort {
        @Idempotent
        int stockOf(String sku) throws OutOfStock;

        String reserve(String sku, int quantity);

        default int stockOfBoth(String a, String b) throws OutOfStock {
            return stockOf(a) + stockOf(b);
        }

        @Idempotent
        CompletableFuture<Integer> stockAsync(String sku);

        CompletionStage<String> reserveAsync(String sku);
    }

    /** Every method of an annotated interface is idempotent. */
    @Idempotent
    public interface CatalogPort {
        String title(String id);

        default String shout(String id) {
            return title(id).toUpperCase(java.util.Locale.ROOT);
        }
    }

    static class FakeInventory implements InventoryPort {
        final AtomicInteger stockCalls = new AtomicInteger();
        final AtomicInteger reserveCalls = new AtomicInteger();
        final AtomicInteger asyncCalls = new AtomicInteger();
        volatile int stockFailures;
        volatile RuntimeException reserveError;
        volatile Supplier<CompletableFuture<Integer>> asyncAnswer = () -> CompletableFuture.completedFuture(7);

        @Override
        public int stockOf(String sku) throws OutOfStock {
            int n = stockCalls.incrementAndGet();
            if (sku.equals("gone")) {
                throw new OutOfStock(sku);
            }
            if (n <= stockFailures) {
                throw new IllegalStateException("inventory database down");
            }
            return sku.length();
        }

        @Override
        public String reserve(String sku, int quantity) {
            reserveCalls.incrementAndGet();
            RuntimeException e = reserveError;
            if (e != null) {
                throw e;
            }
            return "R-" + sku + "-" + quantity;
        }

        @Override
        public CompletableFuture<Integer> stockAsync(String sku) {
            asyncCalls.incrementAndGet();
            if (sku.equals("gone")) {
                return CompletableFuture.failedFuture(new OutOfStock(sku));
            }
            return asyncAnswer.get();
        }

        @Override
        public CompletionStage<String> reserveAsync(String sku) {
            asyncCalls.incrementAndGet();
            RuntimeException e = reserveError;
            return e != null ? CompletableFuture.failedFuture(e) : CompletableFuture.completedFuture("AR-" + sku);
        }
    }

    static final class FallbackInventory implements InventoryPort {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public int stockOf(String sku) {
            calls.add("stockOf " + sku);
            return -1;
        }

        @Override
        public String reserve(String sku, int quantity) {
            calls.add("reserve " + sku + " " + quantity);
            return "FALLBACK-" + sku + "-" + quantity;
        }

        @Override
        public CompletableFuture<Integer> stockAsync(String sku) {
            calls.add("stockAsync " + sku);
            return CompletableFuture.completedFuture(-1);
        }

        @Override
        public CompletionStage<String> reserveAsync(String sku) {
            calls.add("reserveAsync " + sku);
            return CompletableFuture.completedFuture("AFALLBACK-" + sku);
        }
    }

    private final CountingObserver observer = new CountingObserver();
    private final Upstreams upstreams = Upstreams.builder().observer(observer).build();
    private final Upstream inventory = upstreams.register(inventorySpec("inventory", Duration.ofSeconds(5)));
    private final FakeInventory impl = new FakeInventory();
    private final FallbackInventory fallback = new FallbackInventory();

    private static UpstreamSpec inventorySpec(String name, Duration attemptTimeout) {
        return spec(name).attemptTimeout(attemptTimeout).deadline(Duration.ofSeconds(10))
                .retry(r -> r.maxAttempts(3).exponentialBackoff(Duration.ofMillis(1), 1.0).jitter(0))
                .classification(c -> c.passThrough(OutOfStock.class).callerFault(IllegalArgumentException.class))
                .maxConcurrentCalls(1)
                .build();
    }

    @AfterEach
    void close() {
        upstreams.close();
    }

    @Test
    void anUpstreamFailureSurfacesAsUpstreamFailureExceptionWithTheImplementationsExceptionAsCause() {
        InventoryPort port = inventory.protect(InventoryPort.class, impl);
        IllegalStateException dbDown = new IllegalStateException("db down");
        impl.reserveError = dbDown;

        Throwable thrown = catchThrowable(() -> port.reserve("sku-1", 2));

        assertThat(thrown).isInstanceOf(UpstreamFailureException.class);
        assertThat(thrown.getCause()).isSameAs(dbDown);
        assertThat(((UpstreamException) thrown).upstream()).isEqualTo("inventory");
        assertThat(impl.reserveCalls).as("reserve is not idempotent: never retried").hasValue(1);
        assertThat(observer.calls(Outcome.FAILURE)).isEqualTo(1);

        impl.reserveError = null;
        assertThat(port.reserve("sku-1", 2)).isEqualTo("R-sku-1-2");
        assertThat(observer.calls(Outcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void idempotentMethodsAreRetried() throws Exception {
        InventoryPort port = inventory.protect(InventoryPort.class, impl);
        impl.stockFailures = 2;

        assertThat(port.stockOf("abc")).isEqualTo(3);

        assertThat(impl.stockCalls).hasValue(3);
        assertThat(observer.attempts(Outcome.FAILURE)).isEqualTo(2);
        assertThat(observer.calls(Outcome.SUCCESS)).isEqualTo(1);
        assertThat(observer.attemptsReportedByCalls()).isEqualTo(3);
    }

    @Test
    void everyMethodOfAnIdempotentInterfaceIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        CatalogPort impl = id -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("catalog down");
            }
            return "title of " + id;
        };
        CatalogPort port = inventory.protect(CatalogPort.class, impl);

        assertThat(port.title("42")).isEqualTo("title of 42");
        assertThat(calls).hasValue(3);
    }

    @Test
    void objectMethodsOfTheProxyBehaveAndNeverCallTheUpstream() {
        InventoryPort port = inventory.protect(InventoryPort.class, impl);
        InventoryPort other = inventory.protect(InventoryPort.class, impl);

        assertThat(port.equals(port)).isTrue();
        assertThat(port.equals(other)).as("another proxy of the same implementation").isFalse();
        assertThat(port.equals(impl)).isFalse();
        assertThat(port.equals(null)).isFalse();
        assertThat(port.hashCode()).isEqualTo(port.hashCode()).isEqualTo(System.identityHashCode(port));
        assertThat(port.toString()).contains("InventoryPort").contains("inventory");
        assertThat(java.util.Set.of(port, other)).hasSize(2);

        assertThat(impl.stockCalls.get() + impl.reserveCalls.get() + impl.asyncCalls.get()).isZero();
        assertThat(observer.totalCalls()).as("no guarded call was made").isZero();
    }

    @Test
    void defaultMethodsRunNormallyAndTheAbstractMethodsTheyCallAreGuarded() throws Exception {
        InventoryPort port = inventory.protect(InventoryPort.class, impl);

        assertThat(port.stockOfBoth("ab", "abc")).isEqualTo(5);
        assertThat(observer.calls(Outcome.SUCCESS)).as("each abstract call is one guarded call").isEqualTo(2);

        impl.stockFailures = Integer.MAX_VALUE;
        Throwable thrown = catchThrowable(() -> port.stockOfBoth("ab", "abc"));
        assertThat(thrown).as("the failure inside the default method came through the guard")
                .isInstanceOf(UpstreamFailureException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(observer.calls(Outcome.FAILURE)).isEqualTo(1);
        assertThat(observer.attempts(Outcome.FAILURE)).as("and was retried: stockOf is idempotent").isEqualTo(3);
    }

    @Test
    void defaultMethodsOfAPublicPortWork() {
        CatalogPort port = inventory.protect(CatalogPort.class, id -> "title " + id);
        assertThat(port.shout("x")).isEqualTo("TITLE X");
        assertThat(observer.calls(Outcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void futureReturningMethodsRunOnTheAsyncPath() {
        Upstream fast = upstreams.register(inventorySpec("inventory-fast", Duration.ofMillis(200)));
        InventoryPort port = fast.protect(InventoryPort.class, impl);
        List<CompletableFuture<Integer>> issued = new CopyOnWriteArrayList<>();
        impl.asyncAnswer = () -> {
            CompletableFuture<Integer> never = new CompletableFuture<>();
            issued.add(never);
            return never;
        };

        CompletableFuture<Integer> result = port.stockAsync("sku");

        assertThat(result).as("the proxy returns its own future at once").isNotSameAs(issued.get(0)).isNotDone();
        assertThat(failureOf(result)).isInstanceOf(UpstreamTimeoutException.class);
        assertThat(issued).as("stockAsync is idempotent: retried on the async path").hasSize(3)
                .allMatch(CompletableFuture::isCancelled, "cancelled at its timeout");
        assertThat(fast.inFlight()).isZero();

        assertThat(get(port.reserveAsync("sku").toCompletableFuture())).isEqualTo("AR-sku");
        IllegalStateException down = new IllegalStateException("down");
        impl.reserveError = down;
        Throwable failure = failureOf(port.reserveAsync("sku").toCompletableFuture());
        assertThat(failure).isInstanceOf(UpstreamFailureException.class);
        assertThat(failure.getCause()).isSameAs(down);
        assertThat(observer.calls(Outcome.TIMEOUT)).isEqualTo(1);
        assertThat(observer.calls(Outcome.SUCCESS)).isEqualTo(1);
        assertThat(observer.calls(Outcome.FAILURE)).isEqualTo(1);
    }

    @Test
    void theFallbackImplementationAnswersAfterFailuresAndRejections() {
        InventoryPort port = inventory.protect(InventoryPort.class, impl, fallback);

        impl.reserveError = new IllegalStateException("db down");
        assertThat(port.reserve("sku", 3)).isEqualTo("FALLBACK-sku-3");
        assertThat(fallback.calls).containsExactly("reserve sku 3");
        assertThat(observer.fallbackCalls(Outcome.FAILURE)).isEqualTo(1);

        impl.reserveError = null;
        CompletableFuture<String> hold = new CompletableFuture<>();
        holdPermit(inventory, hold); // the single permit is taken
        int before = impl.reserveCalls.get();
        assertThat(port.reserve("sku", 4)).isEqualTo("FALLBACK-sku-4");
        assertThat(impl.reserveCalls).as("a rejected call never reaches the implementation").hasValue(before);
        assertThat(get(port.stockAsync("sku"))).as("async rejection falls back too").isEqualTo(-1);
        assertThat(observer.fallbackCalls(Outcome.BULKHEAD_FULL)).isEqualTo(2);
        hold.complete("x");

        impl.reserveError = new IllegalStateException("async down");
        assertThat(get(port.reserveAsync("sku").toCompletableFuture())).isEqualTo("AFALLBACK-sku");
        assertThat(fallback.calls).containsExactly("reserve sku 3", "reserve sku 4", "stockAsync sku", "reserveAsync sku");
    }

    @Test
    void theFallbackImplementationIsNotUsedForCallerFaultsOrDomainExceptions() {
        InventoryPort port = inventory.protect(InventoryPort.class, impl, fallback);

        IllegalArgumentException badQuantity = new IllegalArgumentException("quantity must be positive");
        impl.reserveError = badQuantity;
        Throwable thrown = catchThrowable(() -> port.reserve("sku", -1));
        assertThat(thrown).isInstanceOf(CallerFaultException.class);
        assertThat(thrown.getCause()).isSameAs(badQuantity);

        assertThatThrownBy(() -> port.stockOf("gone")).isInstanceOf(OutOfStock.class);
        assertThat(failureOf(port.stockAsync("gone"))).isInstanceOf(OutOfStock.class);

        assertThat(fallback.calls).as("caller faults never fall back").isEmpty();
        assertThat(observer.calls(Outcome.CALLER_FAULT)).isEqualTo(3);
        assertThat(observer.totalFallbackCalls()).isZero();
    }

    @Test
    void passThroughDomainExceptionsAreRethrownUnchangedAndNotRetried() {
        InventoryPort port = inventory.protect(InventoryPort.class, impl);

        Throwable thrown = catchThrowable(() -> port.stockOf("gone"));

        assertThat(thrown).isInstanceOf(OutOfStock.class).hasMessage("out of stock: gone");
        assertThat(impl.stockCalls).as("a domain answer is not retried, though stockOf is idempotent").hasValue(1);
        assertThat(observer.calls(Outcome.CALLER_FAULT)).isEqualTo(1);
        assertThat(inventory.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void protectingSomethingOtherThanAnInterfaceFailsClearly() {
        assertThatThrownBy(() -> inventory.protect(FakeInventory.class, impl))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interface")
                .hasMessageContaining(FakeInventory.class.getName());
        assertThat(observer.totalCalls()).isZero();
    }
}
