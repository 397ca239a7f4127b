package dev.levee.benchmarks;

import dev.levee.Adapter;
import dev.levee.Upstream;
import dev.levee.UpstreamCall;
import dev.levee.TimeoutMode;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.contract.Contract;
import dev.levee.contract.ContractAdapter;
import dev.levee.contract.ContractResult;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a contract of ten expectations on a small record, checked per call: the check alone (holding,
 * and with one expectation broken), the same ten conditions written by hand for scale, and a whole Levee call
 * whose adapter checks the contract against one whose adapter does not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ContractCheck {

    /** A small record, as a client deserializes it. */
    public record Order(String id, String status, int quantity, BigDecimal amount, String currency, List<String> tags,
            Address address) {
    }

    /** A nested record. */
    public record Address(String country, String zip) {
    }

    static final Contract<Order> CONTRACT = Contract.of("order", Order.class)
            .present("has-id", "id")
            .pattern("id-format", "id", "[A-Z]{2}-[0-9]{1,8}")
            .oneOf("known-status", "status", "NEW", "PAID", "SHIPPED")
            .range("quantity-in-range", "quantity", 1, 100)
            .present("has-amount", "amount")
            .range("amount-in-range", "amount", BigDecimal.ZERO, new BigDecimal("100000"))
            .oneOf("known-currency", "currency", "EUR", "USD")
            .size("few-tags", "tags", 0, 10)
            .present("ships-to", "address.country")
            .pattern("zip-format", "address.zip", "[0-9]{5}")
            .build();

    private static final Pattern ID = Pattern.compile("[A-Z]{2}-[0-9]{1,8}");
    private static final Pattern ZIP = Pattern.compile("[0-9]{5}");
    private static final BigDecimal MAX = new BigDecimal("100000");

    private final Order good = new Order("AB-1234", "PAID", 3, new BigDecimal("12.50"), "EUR", List.of("gift"),
            new Address("FR", "75001"));
    private final Order broken = new Order("AB-1234", "LOST", 3, new BigDecimal("12.50"), "EUR", List.of("gift"),
            new Address("FR", "75001"));

    private Upstreams upstreams;
    private Upstream upstream;
    private final UpstreamCall<Order> call = ctx -> good;

    /** Identity read, the contract, identity translation: what a RestClient reading a record would need. */
    enum Checked implements ContractAdapter<Order, Order, Order> {
        INSTANCE;

        @Override
        public Order read(Order response) {
            return response;
        }

        @Override
        public Contract<Order> contract() {
            return CONTRACT;
        }

        @Override
        public Order toDomain(Order value) {
            return value;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (!CONTRACT.check(good).holds() || CONTRACT.check(broken).holds() || !byHand(good) || byHand(broken)) {
            throw new IllegalStateException("the benchmark's records do not behave as intended");
        }
        upstreams = Upstreams.builder().build();
        upstream = upstreams.register(UpstreamSpec.named("orders").timeoutMode(TimeoutMode.COOPERATIVE).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        upstreams.close();
    }

    @Benchmark
    public ContractResult checkHolds() {
        return CONTRACT.check(good);
    }

    @Benchmark
    public ContractResult checkOneBroken() {
        return CONTRACT.check(broken);
    }

    @Benchmark
    public boolean byHand() {
        return byHand(good);
    }

    @Benchmark
    public Order callWithContract() {
        return upstream.call(call, Checked.INSTANCE);
    }

    @Benchmark
    public Order callWithoutContract() {
        return upstream.call(call, Adapter.identity());
    }

    /** The same ten conditions, hand-written, for scale. */
    static boolean byHand(Order o) {
        return o.id() != null && ID.matcher(o.id()).matches()
                && (o.status() == null || List.of("NEW", "PAID", "SHIPPED").contains(o.status()))
                && o.quantity() >= 1 && o.quantity() <= 100
                && o.amount() != null && o.amount().signum() >= 0 && o.amount().compareTo(MAX) <= 0
                && (o.currency() == null || o.currency().equals("EUR") || o.currency().equals("USD"))
                && (o.tags() == null || o.tags().size() <= 10)
                && o.address() != null && o.address().country() != null
                && (o.address().zip() == null || ZIP.matcher(o.address().zip()).matches());
    }
}
