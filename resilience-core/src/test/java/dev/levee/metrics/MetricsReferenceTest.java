package dev.levee.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Expectation;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.testing.ManualTimeSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The metrics reference ({@code resilience-core/METRICS.md}) names every meter of {@link LeveeMeters} in both
 * its Micrometer and its Prometheus form, and every tag key: a meter added or renamed in code without the
 * reference fails here.
 */
class MetricsReferenceTest {

    /** Maven runs the tests with the module as working directory. */
    private static final Path REFERENCE = Path.of("METRICS.md");

    @Test
    void referenceNamesEveryMeterInBothFormsAndEveryTagKey() throws Exception {
        assertThat(REFERENCE).as("the metrics reference, relative to %s", Path.of("").toAbsolutePath()).isRegularFile();
        String doc = Files.readString(REFERENCE, StandardCharsets.UTF_8);

        List<String> missing = new ArrayList<>();
        Map<String, String> prometheusNames = prometheusNames();
        assertThat(prometheusNames.keySet()).as("every meter constant was created by the scenario")
                .isEqualTo(PrometheusScrapeTest.constants("").stream().filter(n -> !n.equals(LeveeMeters.PREFIX))
                        .collect(java.util.stream.Collectors.toSet()));
        prometheusNames.forEach((dotted, prometheus) -> {
            if (!mentions(doc, dotted)) {
                missing.add("meter " + dotted);
            }
            if (!mentions(doc, prometheus)) {
                missing.add("Prometheus series " + prometheus + " (of " + dotted + ")");
            }
        });
        for (String key : PrometheusScrapeTest.constants("TAG_")) {
            if (!mentions(doc, key)) {
                missing.add("tag key " + key);
            }
        }
        assertThat(missing).as("missing from %s", REFERENCE.toAbsolutePath()).isEmpty();
    }

    /** Whether the text names {@code token} as a whole name, not as part of a longer one. */
    static boolean mentions(String text, String token) {
        return Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(token) + "(?![A-Za-z0-9_]|\\.[A-Za-z0-9])")
                .matcher(text).find();
    }

    /**
     * Each meter's name as a real Prometheus registry exposes it, found by creating every meter: the name of its
     * first sample (for a timer, its {@code _count}).
     */
    private static Map<String, String> prometheusNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, String> names = new TreeMap<>();
        try (Upstreams upstreams = Upstreams.builder().meterRegistry(registry).healthCheckInterval(Duration.ZERO).build()) {
            Upstream u = upstreams.register(UpstreamSpec.named("doc").timeSource(new ManualTimeSource())
                    .timeoutMode(TimeoutMode.COOPERATIVE).build());
            Adapter<String, String> adapter = new Adapter<>() {
                @Override
                public String translate(String s) {
                    return s;
                }

                @Override
                public List<Expectation<? super String>> expectations() {
                    return List.of(Expectation.of("non-empty", s -> !s.isEmpty()));
                }
            };
            try {
                u.call(ctx -> "", adapter, CallOptions.idempotent());
            } catch (UpstreamException expected) {
                // a contract violation: creates the violation counter, the attempt counter and the timer
            }
            u.forceCircuitOpen(); // a transition: creates the transitions counter
            u.circuitState();
            upstreams.register(UpstreamSpec.named("doc-v2").timeSource(new ManualTimeSource()).build());
            upstreams.migrate(dev.levee.migration.MigrationSpec.<String, String>named("doc") // the levee.migration.* meters
                    .primary("doc", (q, ctx) -> q, Adapter.identity()).candidate("doc-v2", (q, ctx) -> q, Adapter.identity()).build());
            for (Meter m : registry.getMeters()) {
                String first = registry.scrape().lines()
                        .filter(l -> !l.startsWith("#"))
                        .filter(l -> l.startsWith(registry.config().namingConvention()
                                .name(m.getId().getName(), m.getId().getType(), m.getId().getBaseUnit())))
                        .filter(l -> m.getId().getType() != Meter.Type.TIMER || l.contains("_count{"))
                        .map(l -> l.substring(0, l.indexOf('{')))
                        .findFirst().orElseThrow(() -> new AssertionError("no sample of " + m.getId()));
                names.put(m.getId().getName(), first);
            }
        } finally {
            registry.close();
        }
        return names;
    }

    @Test
    void mentionsMatchesWholeNamesOnly() throws IOException {
        assertThat(mentions("the `levee.calls` timer", "levee.calls")).isTrue();
        assertThat(mentions("see levee.calls.", "levee.calls")).isTrue();
        assertThat(mentions("levee.calls.extra", "levee.calls")).isFalse();
        assertThat(mentions("`levee_calls_seconds_count`", "levee_calls_seconds_count")).isTrue();
        assertThat(mentions("levee_health_score", "levee_health")).isFalse();
        assertThat(mentions("tags `upstream`, `outcome`", "outcome")).isTrue();
        assertThat(mentions("outcomes", "outcome")).isFalse();
    }
}
