package dev.levee.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.levee.CallOptions;
import dev.levee.ContractViolationException;
import dev.levee.Outcome;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import dev.levee.testing.ManualTimeSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A contract on the call path: a {@link ContractAdapter} reads each response into the consumer's record, the
 * upstream's {@link ContractPolicy} decides what a violation does, and every violated expectation is counted
 * and logged (with path and kind, never the value) at most once per interval.
 */
class ContractRunTimeTest {

    static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** Reads the pricing service's JSON into the consumer's record; the domain value is the quote's SKU. */
    enum QuoteAdapter implements ContractAdapter<String, Quote, String> {
        INSTANCE;

        @Override
        public Quote read(String body) {
            return JSON.readValue(body, Quote.class);
        }

        @Override
        public Contract<Quote> contract() {
            return Quote.CONTRACT;
        }

        @Override
        public String toDomain(Quote quote) {
            return String.valueOf(quote.sku());
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualTimeSource time = new ManualTimeSource();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger contractLog = (Logger) LoggerFactory.getLogger("dev.levee.contract");
    private Upstreams upstreams;

    @BeforeEach
    void setUp() {
        log.start();
        contractLog.addAppender(log);
        upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();
    }

    @AfterEach
    void tearDown() {
        contractLog.detachAppender(log);
        upstreams.close();
    }

    private Upstream pricing(ContractPolicy policy) {
        return upstreams.register(UpstreamSpec.named("pricing").timeoutMode(TimeoutMode.COOPERATIVE).timeSource(time)
                .contractPolicy(policy).build());
    }

    private Map<String, Double> violationCounts() {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter c : registry.find(LeveeMeters.CONTRACT_VIOLATIONS).counters()) {
            counts.put(c.getId().getTag(LeveeMeters.TAG_EXPECTATION), c.count());
        }
        return counts;
    }

    @Test
    void everyRowOfTheTableYieldsExactlyItsDocumentedViolationsAtRunTime() {
        Upstream pricing = pricing(ContractPolicy.builder().action(ContractPolicy.Action.RECORD).build());
        for (ResponseTable.Row row : ResponseTable.ROWS) {
            registry.clear();
            log.list.clear();
            time.advance(Duration.ofHours(1)); // every row's violations are logged afresh
            List<Violation> expected = row.atRunTime();
            boolean unreadable = !expected.isEmpty() && expected.get(0).kind() == ViolationKind.UNREADABLE;
            if (unreadable) {
                // The consumer's record cannot hold it: the call fails whatever the policy, named "unreadable".
                assertThatThrownBy(() -> pricing.call(ctx -> row.json(), QuoteAdapter.INSTANCE)).as(row.name())
                        .isInstanceOfSatisfying(ContractViolationException.class,
                                e -> assertThat(e.expectation()).isEqualTo(Contract.UNREADABLE));
            } else {
                assertThat(pricing.call(ctx -> row.json(), QuoteAdapter.INSTANCE)).as(row.name()).isNotNull();
                assertThat(Quote.CONTRACT.check(JSON.readValue(row.json(), Quote.class)).violations()).as(row.name())
                        .containsExactlyElementsOf(expected);
            }
            Map<String, Double> counted = expected.stream().map(Violation::expectation).collect(Collectors.toCollection(LinkedHashSet::new))
                    .stream().collect(Collectors.toMap(e -> e, e -> 1.0, (a, b) -> a, TreeMap::new));
            assertThat(violationCounts()).as(row.name() + ": counted per expectation").isEqualTo(counted);
            assertThat(log.list).as(row.name() + ": one line per violation, path and kind, no value")
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .hasSize(expected.size())
                    .allSatisfy(line -> assertThat(line).doesNotContain("250000", "cheap", "XBT", "abc\""));
            for (int i = 0; i < expected.size(); i++) {
                Violation v = expected.get(i);
                assertThat(log.list.get(i).getFormattedMessage()).as(row.name())
                        .contains("expectation '" + v.expectation() + "'", v.kind().label());
                if (!v.path().isEmpty()) {
                    assertThat(log.list.get(i).getFormattedMessage()).contains(" at " + v.path() + " ");
                }
            }
        }
    }

    @Test
    void recordLetsTheCallGoOnAndCountsTheViolation() {
        Upstream pricing = pricing(ContractPolicy.builder().action(ContractPolicy.Action.RECORD).build());
        String outOfRange = ResponseTable.GOOD.replace("12.5", "250000");

        assertThat(pricing.call(ctx -> outOfRange, QuoteAdapter.INSTANCE)).isEqualTo("ABC-1");
        assertThat(violationCounts()).containsExactly(Map.entry("amount-in-range", 1.0));
        assertThat(registry.get(LeveeMeters.CALLS).tag(LeveeMeters.TAG_OUTCOME, Outcome.SUCCESS.tag()).timer().count()).isEqualTo(1);
    }

    @Test
    void failFailsTheCallAsAContractViolationEvenWithAFallback() {
        Upstream pricing = pricing(ContractPolicy.builder().action(ContractPolicy.Action.FAIL).build());
        String twoBroken = ResponseTable.GOOD.replace("12.5", "250000").replace("EUR", "XBT");

        assertThatThrownBy(() -> pricing.call(ctx -> twoBroken, QuoteAdapter.INSTANCE,
                CallOptions.<String>defaults().withFallback(e -> "fallback")))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.expectation()).isEqualTo("amount-in-range");
                    assertThat(e.outcome()).isEqualTo(Outcome.CONTRACT_VIOLATION);
                });
        assertThat(violationCounts()).isEqualTo(Map.of("amount-in-range", 1.0, "known-currency", 1.0));
        assertThat(registry.get(LeveeMeters.CALLS).tag(LeveeMeters.TAG_OUTCOME, Outcome.CONTRACT_VIOLATION.tag()).timer().count())
                .isEqualTo(1);
    }

    @Test
    void fallbackFailsTheCallAndTheFallbackAnswers() {
        Upstream pricing = pricing(ContractPolicy.defaults());
        String broken = ResponseTable.GOOD.replace("EUR", "XBT");

        assertThat(pricing.call(ctx -> broken, QuoteAdapter.INSTANCE, CallOptions.<String>defaults().withFallback(e -> "fallback")))
                .isEqualTo("fallback");
        assertThatThrownBy(() -> pricing.call(ctx -> broken, QuoteAdapter.INSTANCE))
                .isInstanceOf(ContractViolationException.class);
        assertThat(violationCounts()).isEqualTo(Map.of("known-currency", 2.0));
    }

    @Test
    void theAsynchronousPathAppliesThePolicyToo() throws Exception {
        Upstream failing = pricing(ContractPolicy.builder().action(ContractPolicy.Action.FAIL).build());
        String broken = ResponseTable.GOOD.replace("EUR", "XBT");

        java.util.concurrent.CompletableFuture<String> fallbackIgnored = failing.callAsync(
                ctx -> java.util.concurrent.CompletableFuture.completedFuture(broken), QuoteAdapter.INSTANCE,
                CallOptions.<String>defaults().withFallback(e -> "fallback"));
        assertThatThrownBy(() -> fallbackIgnored.get(10, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(ContractViolationException.class);
        assertThat(failing.callAsync(ctx -> java.util.concurrent.CompletableFuture.completedFuture(ResponseTable.GOOD), QuoteAdapter.INSTANCE)
                .get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ABC-1");
        assertThat(violationCounts()).isEqualTo(Map.of("known-currency", 1.0));
    }

    @Test
    void aSampleRateChecksThatShareOfResponsesSpreadEvenly() {
        Upstream pricing = pricing(ContractPolicy.builder().action(ContractPolicy.Action.RECORD).sampleRate(0.25).build());
        String broken = ResponseTable.GOOD.replace("EUR", "XBT");

        for (int i = 0; i < 100; i++) {
            assertThat(pricing.call(ctx -> broken, QuoteAdapter.INSTANCE)).isEqualTo("ABC-1");
        }
        assertThat(violationCounts()).isEqualTo(Map.of("known-currency", 25.0));
    }

    @Test
    void aSampleRateOfZeroChecksNothing() {
        Upstream pricing = pricing(ContractPolicy.builder().sampleRate(0).build());
        String broken = ResponseTable.GOOD.replace("EUR", "XBT");

        assertThat(pricing.call(ctx -> broken, QuoteAdapter.INSTANCE)).isEqualTo("ABC-1");
        assertThat(violationCounts()).isEmpty();
    }

    @Test
    void eachExpectationIsLoggedAtMostOncePerIntervalWithTheNumberNotLogged() {
        Upstream pricing = pricing(ContractPolicy.builder().action(ContractPolicy.Action.RECORD).logInterval(Duration.ofMinutes(1)).build());
        String broken = ResponseTable.GOOD.replace("EUR", "XBT");

        for (int i = 0; i < 10; i++) {
            pricing.call(ctx -> broken, QuoteAdapter.INSTANCE);
            time.advance(Duration.ofSeconds(5)); // 50 s in all: still inside the first interval
        }
        assertThat(log.list).hasSize(1);
        time.advance(Duration.ofSeconds(15));
        pricing.call(ctx -> broken, QuoteAdapter.INSTANCE);

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
                .last().asString().contains("expectation 'known-currency' at currency (not-one-of)", "9 more since last logged");
        assertThat(violationCounts()).isEqualTo(Map.of("known-currency", 11.0));
    }

    @Test
    void aPolicyOutOfRangeIsRefusedAtBuildNamingTheValue() {
        assertThatThrownBy(() -> ContractPolicy.builder().sampleRate(1.5).build())
                .hasMessage("contract.sampleRate must be between 0.0 and 1.0, but was 1.5");
        assertThatThrownBy(() -> ContractPolicy.builder().logInterval(Duration.ZERO).build())
                .hasMessage("contract.logInterval must be between 1ms and 1440m, but was 0ms");
    }
}
