package dev.levee.migration;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.levee.Adapter;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.testing.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * Two providers of recommendations behind two real upstreams on a manual clock, a real meter registry and
 * a capture of every log line under {@code dev.levee}.
 */
final class MigrationFixture implements AutoCloseable {

    /** v1's wire format: what its client returns. */
    record V1Dto(String customer, List<Recs.Item> items, double total) {
    }

    /** v2's wire format: another shape, translated by its own adapter. */
    record V2Dto(String customerId, List<Recs.Item> recommendations, long totalCents) {
    }

    static final Adapter<V1Dto, Recs> V1_ADAPTER = d -> new Recs(d.customer(), d.items(), d.total(), 0);
    static final Adapter<V2Dto, Recs> V2_ADAPTER = d -> new Recs(d.customerId(), d.recommendations(), d.totalCents() / 100.0, 0);

    final ManualTimeSource time = new ManualTimeSource();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger levee = (Logger) LoggerFactory.getLogger("dev.levee");
    final Upstreams upstreams;

    MigrationFixture(UnaryOperator<UpstreamSpec.Builder> candidate) {
        log.start();
        levee.addAppender(log);
        upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build();
        upstreams.register(UpstreamSpec.named("recs-v1").timeSource(time).build());
        upstreams.register(candidate.apply(UpstreamSpec.named("recs-v2").timeSource(time)).build());
    }

    MigrationFixture() {
        this(b -> b);
    }

    /** A spec whose providers answer from the given functions of the customer id. */
    MigrationSpec.Builder<String, Recs> spec(Function<String, V1Dto> v1, Function<String, V2Dto> v2) {
        return MigrationSpec.<String, Recs>named("recommendations")
                .primary("recs-v1", (customer, ctx) -> v1.apply(customer), V1_ADAPTER)
                .candidate("recs-v2", (customer, ctx) -> v2.apply(customer), V2_ADAPTER)
                .key(customer -> customer);
    }

    double count(String meter, String... tags) {
        return registry.get(meter).tag("migration", "recommendations").tags(tags).functionCounter().count();
    }

    /** Everything logged, formatted, with the arguments and any throwable's text. */
    String logged() {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : log.list) {
            all.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) {
                all.append(e.getThrowableProxy().getMessage()).append('\n');
            }
        }
        return all.toString();
    }

    /** Waits, bounded, for the shadow calls on Levee's threads to be compared. */
    static void awaitComparisons(Migration<?, ?> m, long n) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (m.report().comparisons() + m.report().shadowCalls().get("candidate_failed") < n) {
            if (System.nanoTime() > until) {
                throw new AssertionError("only " + m.report().comparisons() + " of " + n + " comparisons after 10 s: " + m.report());
            }
            Thread.sleep(2);
        }
    }

    @Override
    public void close() {
        upstreams.close();
        levee.detachAppender(log);
        log.stop();
    }
}
