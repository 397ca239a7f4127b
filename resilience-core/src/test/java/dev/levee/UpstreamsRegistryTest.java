package dev.levee;

import static dev.levee.spec.SpecAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.spi.UpstreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Upstreams}: its builder's limits, registration, look-up and iteration. */
class UpstreamsRegistryTest {

    private final List<Upstreams> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Upstreams::close);
    }

    private Upstreams open(Upstreams.Builder builder) {
        Upstreams u = builder.build();
        opened.add(u);
        return u;
    }

    private Upstreams open() {
        return open(Upstreams.builder());
    }

    private static UpstreamSpec spec(String name) {
        return UpstreamSpec.named(name).build();
    }

    // ---- builder ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"maxUpstreams, 0, between 1 and 1000", "maxUpstreams, 1001, between 1 and 1000",
            "maxUpstreams, -1, between 1 and 1000",
            "maxAttemptThreads, 0, between 1 and 10000", "maxAttemptThreads, 10001, between 1 and 10000"})
    void builderValueJustOutsideTheRangeFailsAtBuild(String field, int value, String allowed) {
        Upstreams.Builder builder = Upstreams.builder();
        if (field.equals("maxUpstreams")) {
            builder.maxUpstreams(value);
        } else {
            builder.maxAttemptThreads(value);
        }
        assertInvalid(builder::build, field, String.valueOf(value), allowed);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1_000})
    void maxUpstreamsEdgesAreAccepted(int max) {
        Upstreams upstreams = open(Upstreams.builder().maxUpstreams(max));
        for (int i = 0; i < max; i++) {
            upstreams.register(spec("u" + i));
        }
        assertThat(upstreams.names()).hasSize(max);
        assertThatThrownBy(() -> upstreams.register(spec("one-more"))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10_000})
    void maxAttemptThreadsEdgesAreAccepted(int max) {
        Upstreams upstreams = open(Upstreams.builder().maxAttemptThreads(max));
        Upstream u = upstreams.register(spec("pricing"));
        assertThat(u.<String>call(ctx -> "ok")).isEqualTo("ok");
    }

    @Test
    void defaultMaximumIs100Upstreams() {
        Upstreams upstreams = open();
        for (int i = 0; i < 100; i++) {
            upstreams.register(spec("u" + i));
        }
        assertThatThrownBy(() -> upstreams.register(spec("u100")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum of 100 upstreams");
    }

    @Test
    void observerAddedToTheBuilderAfterBuildDoesNotReachTheBuiltRegistry() {
        AtomicInteger created = new AtomicInteger();
        Upstreams.Builder builder = Upstreams.builder();
        Upstreams upstreams = open(builder);
        builder.observer(u -> {
            created.incrementAndGet();
            return UpstreamObserver.NOOP;
        });
        upstreams.register(spec("pricing"));
        assertThat(created).hasValue(0);
    }

    @Test
    void everyObserverFactoryIsAskedOncePerRegisteredUpstream() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Upstreams upstreams = open(Upstreams.builder()
                .observer(u -> {
                    seen.add("first:" + u.name());
                    return UpstreamObserver.NOOP;
                })
                .observer(u -> {
                    seen.add("second:" + u.name());
                    return UpstreamObserver.NOOP;
                }));
        upstreams.register(spec("pricing"));
        upstreams.register(spec("stock"));
        assertThat(seen).containsExactlyInAnyOrder("first:pricing", "second:pricing", "first:stock", "second:stock");
    }

    // ---- registration and look-up ------------------------------------------------------------------------------

    @Test
    void registerReturnsTheUpstreamAndKeepsItsSpec() {
        Upstreams upstreams = open();
        UpstreamSpec spec = spec("pricing");
        Upstream pricing = upstreams.register(spec);
        assertThat(pricing.name()).isEqualTo("pricing");
        assertThat(pricing.spec()).isSameAs(spec);
        assertThat(upstreams.find("pricing")).containsSame(pricing);
        assertThat(upstreams.get("pricing")).isSameAs(pricing);
    }

    @Test
    void findOfAnUnknownNameIsEmpty() {
        Upstreams upstreams = open();
        upstreams.register(spec("pricing"));
        assertThat(upstreams.find("stock")).isEmpty();
        assertThat(upstreams.find("Pricing")).as("names are exact").isEmpty();
    }

    @Test
    void allNamesAndIterationFollowTheOrderOfRegistration() {
        Upstreams upstreams = open();
        List<String> order = List.of("stock", "pricing", "accounts", "zeta", "alpha");
        List<Upstream> registered = new ArrayList<>();
        for (String name : order) {
            registered.add(upstreams.register(spec(name)));
        }
        assertThat(upstreams.names()).containsExactlyElementsOf(order);
        assertThat(upstreams.all()).containsExactlyElementsOf(registered);
        List<Upstream> iterated = new ArrayList<>();
        upstreams.forEach(iterated::add);
        assertThat(iterated).containsExactlyElementsOf(registered);
    }

    @Test
    void emptyRegistry() {
        Upstreams upstreams = open();
        assertThat(upstreams.names()).isEmpty();
        assertThat(upstreams.all()).isEmpty();
        assertThat(upstreams.iterator().hasNext()).isFalse();
    }

    @Test
    void allAndNamesAreUnmodifiableSnapshots() {
        Upstreams upstreams = open();
        upstreams.register(spec("pricing"));
        List<Upstream> all = upstreams.all();
        List<String> names = upstreams.names();
        Iterator<Upstream> it = upstreams.iterator();
        upstreams.register(spec("stock"));
        assertThat(all).hasSize(1);
        assertThat(names).containsExactly("pricing");
        assertThatThrownBy(() -> all.add(all.get(0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> names.add("x")).isInstanceOf(UnsupportedOperationException.class);
        it.next();
        assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
        assertThat(upstreams.names()).containsExactly("pricing", "stock");
    }

    @Test
    void duplicateNameIsRejectedNamingItAndChangesNothing() {
        Upstreams upstreams = open();
        Upstream first = upstreams.register(spec("pricing"));
        UpstreamSpec other = UpstreamSpec.named("pricing").owner("someone-else").build();
        assertThatThrownBy(() -> upstreams.register(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upstream 'pricing' is already registered; names must be unique");
        assertThat(upstreams.names()).containsExactly("pricing");
        assertThat(upstreams.get("pricing")).isSameAs(first);
        assertThat(upstreams.get("pricing").spec().owner()).isEqualTo("unassigned");
    }

    @Test
    void maxUpstreamsIsEnforcedWithAClearMessage() {
        Upstreams upstreams = open(Upstreams.builder().maxUpstreams(2));
        upstreams.register(spec("a"));
        upstreams.register(spec("b"));
        assertThatThrownBy(() -> upstreams.register(spec("c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot register upstream 'c': the maximum of 2 upstreams is reached "
                        + "(raise Upstreams.builder().maxUpstreams)");
        assertThat(upstreams.names()).containsExactly("a", "b");
        assertThat(upstreams.find("c")).isEmpty();
    }

    @Test
    void duplicateIsReportedAsADuplicateEvenWhenTheRegistryIsFull() {
        Upstreams upstreams = open(Upstreams.builder().maxUpstreams(1));
        upstreams.register(spec("a"));
        assertThatThrownBy(() -> upstreams.register(spec("a"))).hasMessageContaining("already registered");
    }

    @Test
    void getOfAnUnknownNameListsTheRegisteredNames() {
        Upstreams upstreams = open();
        upstreams.register(spec("pricing"));
        upstreams.register(spec("stock"));
        assertThatThrownBy(() -> upstreams.get("accounts"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no upstream named 'accounts'; registered: [pricing, stock]");
    }

    @Test
    void getOnAnEmptyRegistrySaysSo() {
        Upstreams upstreams = open();
        assertThatThrownBy(() -> upstreams.get("accounts"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no upstream named 'accounts'; registered: []");
    }

    @Test
    void nullArgumentsAreNamed() {
        Upstreams upstreams = open();
        assertThatThrownBy(() -> upstreams.register(null)).isInstanceOf(NullPointerException.class).hasMessage("spec");
        assertThatThrownBy(() -> upstreams.find(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> upstreams.get(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> Upstreams.builder().observer(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("factory");
    }

    @Test
    void concurrentRegistrationsOfOneNameLetExactlyOneWin() throws Exception {
        Upstreams upstreams = open();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        upstreams.register(spec("pricing"));
                        return true;
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            assertThat(upstreams.names()).containsExactly("pricing");
            assertThat(upstreams.all()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
