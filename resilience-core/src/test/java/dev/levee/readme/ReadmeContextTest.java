package dev.levee.readme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.Deadline;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.observation.CallObservationContext;
import dev.levee.observation.DefaultCallObservationConvention;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Runs the snippets of the README's "Context and tracing" section, and checks that the README shows exactly
 * this code (and the JDBC recipe's, which its own tests run against PostgreSQL).
 */
class ReadmeContextTest {

    /** The tenant of the README's accessor example. */
    record Tenant(String id) { }

    // README:tenant-field:begin
    static final ThreadLocal<Tenant> TENANT = new ThreadLocal<>();
    // README:tenant-field:end

    /** The pricing client of the snippets: sends the quote request, noting what each attempt's thread saw. */
    final class PricingClient {
        final List<String> seen = new CopyOnWriteArrayList<>();

        HttpResponse<String> quote(String sku, Duration timeout) throws IOException, InterruptedException {
            seen.add(MDC.get("requestId") + "/" + (TENANT.get() == null ? null : TENANT.get().id()) + "/"
                    + Deadline.current().map(d -> d.remainingNanos() <= TimeUnit.MILLISECONDS.toNanos(800)).orElse(false));
            return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/prices/" + sku)).timeout(timeout).build(),
                    BodyHandlers.ofString());
        }
    }

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final HttpClient http = HttpClient.newHttpClient();
    private final PricingClient client = new PricingClient();
    private final MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private final TestObservationRegistry observationRegistry = TestObservationRegistry.create();
    private final String sku = "42";
    private final String requestId = "r-7";
    private Upstreams upstreams;
    private Upstream pricing;
    private final List<Price> shown = new CopyOnWriteArrayList<>();

    private void show(Price price) {
        shown.add(price);
    }

    @BeforeEach
    void start() {
        server.start();
        server.stubFor(get("/prices/42").willReturn(aResponse().withBody("{\"amount\": 12.50}")));
        upstreams = Upstreams.builder().build();
        pricing = upstreams.register(UpstreamSpec.named("pricing").attemptTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(3)).build());
    }

    @AfterEach
    void stop() {
        upstreams.close();
        server.stop();
        MDC.clear();
        TENANT.remove();
    }

    @Test
    void theCallersMdcAndARegisteredThreadLocalReachTheAttemptThread() {
        // README:tenant-register:begin
        ContextRegistry.getInstance().registerThreadLocalAccessor("tenant", TENANT);
        // README:tenant-register:end
        TENANT.set(new Tenant("acme"));

        // README:mdc:begin
        MDC.put("requestId", requestId);
        Price price = pricing.call(ctx -> client.quote(sku, ctx.remaining()), PriceAdapter.INSTANCE);
        // README:mdc:end

        assertThat(price.amount()).isEqualByComparingTo("12.50");
        assertThat(client.seen).containsExactly("r-7/acme/false");
    }

    @Test
    void aBoundDeadlineTravelsWithWorkHandedToAContextPropagatingExecutor() throws Exception {
        // README:deadline:begin
        ExecutorService executor = ContextExecutorService.wrap(Executors.newFixedThreadPool(4));
        try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(800)).bind()) {
            Future<Price> price = executor.submit(() -> pricing.call(ctx -> client.quote(sku, ctx.remaining()), PriceAdapter.INSTANCE));
            show(price.get());   // the call on the executor's thread was bounded by what was left of 800 ms
        }
        // README:deadline:end
        executor.shutdown();
        assertThat(shown.get(0).amount()).isEqualByComparingTo("12.50");
        assertThat(client.seen).singleElement().asString().endsWith("/true"); // the 800 ms deadline was bound there
    }

    @Test
    void anObservationRegistryObservesCallsUnderAConventionOfYourOwn() {
        // README:observations:begin
        Upstreams upstreams = Upstreams.builder()
                .meterRegistry(meterRegistry)
                .observationRegistry(observationRegistry)
                .build();
        // README:observations:end
        // README:convention:begin
        class MyCallConvention extends DefaultCallObservationConvention implements GlobalObservationConvention<CallObservationContext> {
            @Override
            public String getContextualName(CallObservationContext context) {
                return "upstream " + context.upstream();
            }
        }
        observationRegistry.observationConfig().observationConvention(new MyCallConvention());
        // README:convention:end
        try (upstreams) {
            Upstream observed = upstreams.register(UpstreamSpec.named("pricing").build());
            observed.call(ctx -> client.quote(sku, ctx.remaining()), PriceAdapter.INSTANCE);
        }
        TestObservationRegistryAssert.assertThat(observationRegistry).hasObservationWithNameEqualTo("levee.call")
                .that().hasContextualNameEqualTo("upstream pricing");
    }

    @Test
    void readmeShowsExactlyTheCodeThatRunsHere() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String[][] regions = {
            {"readme/ReadmeContextTest.java", "tenant-field"}, {"readme/ReadmeContextTest.java", "tenant-register"},
            {"readme/ReadmeContextTest.java", "mdc"}, {"readme/ReadmeContextTest.java", "deadline"},
            {"readme/ReadmeContextTest.java", "observations"}, {"readme/ReadmeContextTest.java", "convention"},
            {"jdbc/JdbcRecipe.java", "jdbc"}};
        for (String[] region : regions) {
            String source = Files.readString(Path.of("src/test/java/dev/levee", region[0]), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("// README:" + region[1] + ":begin\\n(.*?)\\n\\s*// README:" + region[1] + ":end",
                    Pattern.DOTALL).matcher(source);
            assertThat(m.find()).as("region %s in %s", region[1], region[0]).isTrue();
            String code = m.group(1).stripIndent().strip();
            assertThat(readme).as("README.md shows the %s code of %s", region[1], region[0]).contains(code);
        }
    }
}
