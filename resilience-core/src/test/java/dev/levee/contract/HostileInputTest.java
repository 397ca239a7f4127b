package dev.levee.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.levee.ContractViolationException;
import dev.levee.TimeoutMode;
import dev.levee.Upstream;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import dev.levee.contract.json.ContractJson;
import dev.levee.contract.testkit.ContractStubs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A 10 MB response and a 10,000-deep document reach the contract check as a typed failure, in bounded time,
 * never a hang or a raw {@code StackOverflowError}: on JSON (test kit, provider), on the call path, and in
 * the object-path checker.
 */
class HostileInputTest {

    private static final Duration BOUND = Duration.ofSeconds(20); // generous: a loaded 2-core machine

    static byte[] tenMegabytes() {
        StringBuilder sb = new StringBuilder(10_500_000).append("{\"sku\": \"ABC-1\", \"padding\": [");
        while (sb.length() < 10_000_000) {
            sb.append("\"0123456789012345678901234567890123456789\",");
        }
        return sb.append("\"end\"], \"amount\": 1}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String deep(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private static final List<Violation> UNREADABLE = List.of(new Violation(Contract.UNREADABLE, "", ViolationKind.UNREADABLE));

    @Test
    void aTenMegabyteResponseIsUnreadableOnJsonInBoundedTime() {
        byte[] big = tenMegabytes();

        ContractResult result = assertTimeoutPreemptively(BOUND, () -> ContractJson.check(Quote.CONTRACT, big));

        assertThat(result.violations()).isEqualTo(UNREADABLE);
        assertThat(result.held()).isEmpty();
    }

    @Test
    void anEndlessStreamIsCutOffAtTheLimit() throws Exception {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return ' ';
            }
        };

        ContractResult result = assertTimeoutPreemptively(BOUND, () -> ContractJson.check(Quote.CONTRACT, endless, 1_000_000, 64));

        assertThat(result.violations()).isEqualTo(UNREADABLE);
    }

    @Test
    void aTenThousandDeepDocumentIsUnreadableOnJsonAndInTheTestKit(@TempDir Path dir) throws Exception {
        String deep = deep(10_000);

        ContractResult result = assertTimeoutPreemptively(BOUND, () -> ContractJson.check(Quote.CONTRACT, deep));
        assertThat(result.violations()).isEqualTo(UNREADABLE);
        // With the deepest limit allowed the document is read (Jackson builds trees without recursion) and
        // checked like any other, still in bounded time and without a StackOverflowError.
        ContractResult allowed = assertTimeoutPreemptively(BOUND, () -> ContractJson.check(Quote.CONTRACT,
                new ByteArrayInputStream(deep.getBytes(StandardCharsets.UTF_8)), 1 << 20, 10_000));
        assertThat(allowed.violations()).containsExactly(new Violation("has-amount", "amount", ViolationKind.MISSING),
                new Violation("ships-to", "shipping.country", ViolationKind.MISSING));

        Files.writeString(dir.resolve("deep.json"), deep);
        assertThat(ContractStubs.verifyRecorded(Quote.CONTRACT, dir).stubs().get(0).result().violations()).isEqualTo(UNREADABLE);
    }

    @Test
    void onTheCallPathAHostileBodyFailsAsUnreadableNotAsARawError() {
        // The consumer's mapper with Jackson's read limits: a document length cap, and the default nesting cap.
        JsonMapper limited = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(1_000_000).build()).build()).build();
        ContractAdapter<String, Quote, String> adapter = reading(body -> limited.readValue(body, Quote.class));
        try (Upstreams upstreams = Upstreams.builder().build()) {
            Upstream pricing = upstreams.register(UpstreamSpec.named("pricing").timeoutMode(TimeoutMode.COOPERATIVE).build());
            String big = new String(tenMegabytes(), StandardCharsets.UTF_8);
            String deep = deep(10_000);
            for (String body : List.of(big, deep)) {
                assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> pricing.call(ctx -> body, adapter))
                        .isInstanceOfSatisfying(ContractViolationException.class,
                                e -> assertThat(e.expectation()).isEqualTo(Contract.UNREADABLE)));
            }
        }
    }

    private static Quote descend(int depth) {
        return depth < Integer.MAX_VALUE ? descend(depth + 1) : null;
    }

    /** An adapter that reads with {@code reader}, checks the tests' contract, and answers the quote's SKU. */
    private static ContractAdapter<String, Quote, String> reading(java.util.function.Function<String, Quote> reader) {
        return new ContractAdapter<>() {
            @Override
            public Quote read(String body) {
                return reader.apply(body);
            }

            @Override
            public Contract<Quote> contract() {
                return Quote.CONTRACT;
            }

            @Override
            public String toDomain(Quote quote) {
                return quote.sku();
            }
        };
    }

    @Test
    void aReaderThatOverflowsTheStackIsReportedAsUnreadable() {
        ContractAdapter<String, Quote, String> recursive = reading(body -> descend(0));
        try (Upstreams upstreams = Upstreams.builder().build()) {
            Upstream pricing = upstreams.register(UpstreamSpec.named("pricing").timeoutMode(TimeoutMode.COOPERATIVE).build());

            assertThatThrownBy(() -> pricing.call(ctx -> "{}", recursive))
                    .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                        assertThat(e.expectation()).isEqualTo(Contract.UNREADABLE);
                        assertThat(e.getCause()).isInstanceOf(StackOverflowError.class);
                    });
        }
    }

    /** A 10,000-deep object graph: the checker follows only the contract's paths, so depth costs nothing. */
    record Node(Node next, String name) {
    }

    @Test
    void theObjectPathCheckerFollowsOnlyTheContractsPathsOnADeepGraph() {
        Node chain = new Node(null, "leaf");
        for (int i = 0; i < 10_000; i++) {
            chain = new Node(chain, "n" + i);
        }
        Map<String, Object> deepMap = Map.of("a", Map.of("a", Map.of("a", "x")));
        Contract<Node> contract = Contract.of("deep", Node.class)
                .present("has-name", "name")
                .present("deep-name", String.join(".", java.util.Collections.nCopies(31, "next")) + ".name")
                .build();
        Node root = chain;

        ContractResult result = assertTimeoutPreemptively(BOUND, () -> contract.check(root));

        assertThat(result.holds()).isTrue();
        assertThat(Contract.of("maps", Object.class).pattern("x", "a.a.a", "x").build().check(deepMap).holds()).isTrue();
    }

    @Test
    void aPathDeeperThanTheLimitIsRefusedAtBuild() {
        String tooDeep = String.join(".", java.util.Collections.nCopies(10_000, "next"));

        assertThatThrownBy(() -> Contract.of("deep", Node.class).present("deep", tooDeep))
                .hasMessageStartingWith("contract.path must be 1 to 32 dot-separated names");
        assertThatThrownBy(() -> Contract.of("deep", Node.class).each("a", a -> a.each("b", b -> b.each("c", c -> c.each("d",
                d -> d.each("e", e -> e.each("f", f -> f.each("g", g -> g.each("h", h -> h.each("i", i -> i.present("x", "y")))))))))))
                .hasMessageContaining("at most 8 levels of each");
    }
}
