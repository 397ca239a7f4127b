package dev.levee.spring.readme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.UpstreamFailureException;
import dev.levee.spring.autoconfigure.LeveeAutoConfiguration;
import dev.levee.spring.autoconfigure.LeveeUpstreamClientAutoConfiguration;
import dev.levee.spring.autoconfigure.LeveeWebClientAutoConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

/** The Java snippets of the README's Spring Boot section compile, run as the README says, and are shown exactly. */
class ReadmeSpringExampleTests {

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeEach
    void start() {
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void runWithTheReadmesClientsShouldCallEachThroughItsUpstream() {
        json("/users/u1/recommendations", "[\"a\",\"b\"]");
        json("/stock/42", "{\"sku\":\"42\",\"available\":3}");
        server.stubFor(get("/users/u2/recommendations").willReturn(aResponse().withStatus(503)));
        server.stubFor(get("/stock/43").willReturn(aResponse().withStatus(503)));
        new ApplicationContextRunner().withUserConfiguration(Application.class)
                .withPropertyValues("recommendations.url=" + server.baseUrl(),
                        "spring.http.serviceclient.inventory.base-url=" + server.baseUrl(),
                        "levee.defaults.retry.max-attempts=2", "levee.defaults.retry.initial-backoff=1ms",
                        "levee.upstreams.inventory.owner=inventory-team", "levee.upstreams.recommendations.owner=discovery-team")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RecommendationsClient recommendations = context.getBean(RecommendationsClient.class);
                    InventoryClient inventory = context.getBean(InventoryClient.class);
                    assertThat(recommendations.forUser("u1")).containsExactly("a", "b");
                    assertThat(inventory.stock("42")).isEqualTo(new Stock("42", 3));
                    // both are protected: a 503 is an upstream failure, retried
                    assertThatExceptionOfType(UpstreamFailureException.class).isThrownBy(() -> recommendations.forUser("u2"));
                    assertThatExceptionOfType(UpstreamFailureException.class).isThrownBy(() -> inventory.stock("43"));
                    server.verify(2, getRequestedFor(urlEqualTo("/users/u2/recommendations")));
                    server.verify(2, getRequestedFor(urlEqualTo("/stock/43")));
                });
    }

    @Test
    void runWithTheReadmesAnnotatedRepositoryShouldRetryReadsAndFallBack() {
        AtomicInteger finds = new AtomicInteger();
        Orders flaky = new Orders() {
            @Override
            public Optional<Order> find(long id) {
                if (finds.incrementAndGet() == 1) {
                    throw new IllegalStateException("connection reset");
                }
                return Optional.of(new Order(id, "book"));
            }

            @Override
            public void save(Order order) {
                throw new IllegalStateException("connection reset");
            }
        };
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeveeAutoConfiguration.class, LeveeUpstreamClientAutoConfiguration.class))
                .withBean("orders", Orders.class, () -> flaky, definition -> definition.setPrimary(true))
                .withBean(CachedOrders.class)
                .withPropertyValues("levee.upstreams.orders-db.retry.initial-backoff=1ms")
                .run(context -> {
                    Orders orders = context.getBean(Orders.class);
                    assertThat(orders.find(1)).contains(new Order(1, "book"));
                    assertThat(finds).hasValue(2);
                    assertThatExceptionOfType(UnsupportedOperationException.class)
                            .isThrownBy(() -> orders.save(new Order(2, "pen")));
                });
    }

    @Test
    void runWithTheReadmesReactiveClientsShouldProtectAWebClientAndAMono() {
        json("/stock/42", "{\"sku\":\"42\",\"available\":3}");
        server.stubFor(get("/stock/43").willReturn(aResponse().withStatus(503)));
        AtomicInteger finds = new AtomicInteger();
        ReactiveOrders flaky = id -> Mono.defer(() -> finds.incrementAndGet() % 2 == 1
                ? Mono.error(new IllegalStateException("connection reset")) : Mono.just(new Order(id, "book")));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeveeAutoConfiguration.class, LeveeWebClientAutoConfiguration.class))
                .withBean(ReactiveOrders.class, () -> flaky)
                .withBean(StockService.class)
                .withBean(OrderLookup.class)
                .withPropertyValues("inventory.url=" + server.baseUrl(), "levee.defaults.retry.max-attempts=2",
                        "levee.defaults.retry.initial-backoff=1ms", "levee.upstreams.inventory.owner=inventory-team",
                        "levee.upstreams.orders-db.retry.max-attempts=1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    StockService stock = context.getBean(StockService.class);
                    assertThat(stock.stock("42").block(Duration.ofSeconds(10))).isEqualTo(new Stock("42", 3));
                    assertThatExceptionOfType(UpstreamFailureException.class).isThrownBy(() -> stock.stock("43").block(Duration.ofSeconds(10)));
                    server.verify(2, getRequestedFor(urlEqualTo("/stock/43")));

                    Mono<Order> find = context.getBean(OrderLookup.class).find(7);
                    assertThat(finds).as("nothing happens before subscription").hasValue(0);
                    assertThat(find.block(Duration.ofSeconds(10))).isEqualTo(new Order(7, "unavailable"));
                    assertThat(find.block(Duration.ofSeconds(10))).isEqualTo(new Order(7, "book"));
                });
    }

    @Test
    void readmeShowsExactlyTheCodeThatRunsHere() throws IOException {
        String readme = Files.readString(Path.of("../..", "README.md"), StandardCharsets.UTF_8);
        for (String[] region : new String[][] {{"RecommendationsClient.java", "restclient"}, {"InventoryClient.java", "http-service"},
                {"Orders.java", "upstream-client"}, {"Reactive.java", "webclient"}, {"Reactive.java", "mono"}}) {
            String source = Files.readString(Path.of("src/test/java/dev/levee/spring/readme", region[0]), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("// README:" + region[1] + ":begin\\n(.*?)\\n// README:" + region[1] + ":end", Pattern.DOTALL)
                    .matcher(source);
            assertThat(m.find()).as("region %s in %s", region[1], region[0]).isTrue();
            assertThat(readme).as("README.md shows the %s code of %s", region[1], region[0]).contains("```java\n" + m.group(1) + "\n```");
        }
    }

    /** The fallbacks snippet is one README block made of two regions: the beans, then the per-call form. */
    @Test
    void readmeShowsTheFallbackFormsThatCompileHere() throws IOException {
        String readme = Files.readString(Path.of("../..", "README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("src/test/java/dev/levee/spring/readme/Fallbacks.java"), StandardCharsets.UTF_8);
        String block = "```java\n" + region(source, "fallback-beans") + "\n\n" + region(source, "fallback-call") + "\n```";
        assertThat(readme).as("README.md shows the fallback forms of Fallbacks.java").contains(block);
    }

    private static String region(String source, String name) {
        Matcher m = Pattern.compile("// README:" + name + ":begin\\n(.*?)\\n// README:" + name + ":end", Pattern.DOTALL).matcher(source);
        assertThat(m.find()).as("region %s", name).isTrue();
        return m.group(1);
    }

    private void json(String path, String body) {
        server.stubFor(get(path).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ RecommendationsClient.class, InventoryClients.class })
    static class Application {
    }
}
