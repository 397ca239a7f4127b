package dev.levee.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.Adapter;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.migration.Equivalence;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationReport;
import dev.levee.migration.MigrationSpec;
import dev.levee.migration.Stage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the README's migration example for real, and checks that the README shows exactly this code. */
class ReadmeMigrationTest {

    /** The domain's answer, and each provider's own representation. */
    record Recommendations(List<String> skus, double total) {
    }

    record V1Answer(List<String> items, double total) {
    }

    record V2Answer(List<String> recommendations, long totalCents, String generatedAt) {
    }

    static final Adapter<V1Answer, Recommendations> V1_ADAPTER = a -> new Recommendations(a.items(), a.total());
    static final Adapter<V2Answer, Recommendations> V2_ADAPTER = a -> new Recommendations(a.recommendations(), a.totalCents() / 100.0);

    /** Stand-ins for the two providers' clients. */
    static final class V1Client {
        V1Answer fetch(String customer, Duration timeout) {
            return new V1Answer(List.of("sku-2", "sku-3"), 12.30);
        }
    }

    static final class V2Client {
        V2Answer fetch(String customer, Duration timeout) {
            return new V2Answer(List.of("sku-3", "sku-2"), 1230, "2026-11-30T12:00:00Z");
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Upstreams upstreams = Upstreams.builder().meterRegistry(registry).build();
    private final V1Client v1 = new V1Client();
    private final V2Client v2 = new V2Client();

    @AfterEach
    void close() {
        upstreams.close();
    }

    @Test
    void theReadmesMigrationShadowsRampsAndReports() throws InterruptedException {
        upstreams.register(UpstreamSpec.named("recs-v1").build());
        upstreams.register(UpstreamSpec.named("recs-v2").maxConcurrentCalls(5).build());
        // README:migration:begin
        Migration<String, Recommendations> recommendations = upstreams.migrate(
                MigrationSpec.<String, Recommendations>named("recommendations")
                        .primary("recs-v1", (customer, ctx) -> v1.fetch(customer, ctx.remaining()), V1_ADAPTER)
                        .candidate("recs-v2", (customer, ctx) -> v2.fetch(customer, ctx.remaining()), V2_ADAPTER)
                        .key(customer -> customer)                  // sticky: one customer, one provider
                        .equivalence(Equivalence.<Recommendations>structural()
                                .unordered("skus")                  // v2 orders by score
                                .tolerance("total", 0.01)           // v2 counts in cents
                                .build())
                        .stage(Stage.SHADOW)                        // v1 answers; v2 is called and compared
                        .shadowCallsPerSecond(20)
                        .build());

        Recommendations answer = recommendations.call("customer-42");  // v1's answer, at v1's latency

        recommendations.moveTo(Stage.RAMP, 10);                     // 10 % of customers now get v2's answer
        MigrationReport report = recommendations.report();          // stage, shadow calls, mismatches by kind and field
        // README:migration:end
        assertThat(answer.skus()).containsExactly("sku-2", "sku-3");
        assertThat(report.stage()).isEqualTo(Stage.RAMP);
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (recommendations.report().comparisons() < 1 && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        assertThat(recommendations.report().comparisons()).isEqualTo(1);
        assertThat(recommendations.report().mismatchedComparisons()).as("the same answer, once compared").isZero();
    }

    @Test
    void readmeShowsExactlyTheCodeThatRunsHere() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("src/test/java/dev/levee/readme/ReadmeMigrationTest.java"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("// README:migration:begin\\n(.*?)\\n\\s*// README:migration:end", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).isTrue();
        String code = m.group(1).stripIndent();
        assertThat(readme).as("README.md shows the migration code of ReadmeMigrationTest").contains(code);
        int section = readme.indexOf("## Migrating to a new provider");
        assertThat(section).as("the section comes right before the costs").isPositive()
                .isLessThan(readme.indexOf("## What it costs"));
        assertThat(readme.indexOf("\n## ", section + 3) + 1).isEqualTo(readme.indexOf("## What it costs"));
    }
}
