package dev.levee.spec;

import static dev.levee.spec.SpecAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.levee.BreakerSpec;
import dev.levee.InvalidSpecException;
import dev.levee.UpstreamSpec;
import dev.levee.spec.SpecAssertions.Accepted;
import dev.levee.spec.SpecAssertions.Rejected;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every field of {@link UpstreamSpec} and the rules that combine fields: values just outside the range fail at
 * build() naming the field, the value and the range; edges are accepted.
 */
class UpstreamSpecValidationTest {

    private static final String NAME_RULE = "1 to 64 characters of lowercase letters, digits, '-', '_' or '.'";
    private static final String OWNER_RULE = "1 to 64 printable characters, not blank";
    private static final Duration ONE_MS = Duration.ofMillis(1);

    // ---- names ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "pricing", "pricing-v2", "pricing_eu", "pricing.eu-west.v2", "-", "_", ".",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* 64 */})
    void acceptedNames(String name) {
        assertThat(UpstreamSpec.named(name).build().name()).isEqualTo(name);
        assertThat(UpstreamSpec.named("other").name(name).build().name()).isEqualTo(name);
    }

    static Stream<Arguments> rejectedNames() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("uppercase", "Pricing"),
                argumentSet("all uppercase", "PRICING"),
                argumentSet("space", "pricing api"),
                argumentSet("leading space", " pricing"),
                argumentSet("trailing newline", "pricing\n"),
                argumentSet("tab", "pri\tcing"),
                argumentSet("65 characters", "a".repeat(65)),
                argumentSet("unicode letter", "prícing"),
                argumentSet("fullwidth latin", "\uFF50ricing"),
                argumentSet("emoji", "pricing-\uD83D\uDCB0"),
                argumentSet("slash", "pricing/eu"),
                argumentSet("colon", "pricing:8080"),
                argumentSet("tag injection", "pricing,env=prod"));
    }

    @ParameterizedTest
    @MethodSource("rejectedNames")
    void rejectedNamesFailInNamed(String name) {
        assertInvalid(() -> UpstreamSpec.named(name), "name", "'" + name + "'", NAME_RULE);
    }

    @ParameterizedTest
    @MethodSource("rejectedNames")
    void rejectedNamesFailInBuilderName(String name) {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing");
        assertInvalid(() -> builder.name(name), "name", "'" + name + "'", NAME_RULE);
        assertThat(builder.build().name()).as("a rejected rename leaves the builder's name").isEqualTo("pricing");
    }

    // ---- single fields and combinations ----------------------------------------------------------------------

    static Stream<Arguments> rejected() {
        return Stream.of(
                reject("owner empty", b -> b.owner(""), "owner", "''", OWNER_RULE),
                reject("owner blank", b -> b.owner("   "), "owner", "'   '", OWNER_RULE),
                reject("owner only a tab", b -> b.owner("\t"), "owner", "'\t'", OWNER_RULE),
                reject("owner 65 characters", b -> b.owner("o".repeat(65)), "owner", "'" + "o".repeat(65) + "'", OWNER_RULE),
                reject("owner with newline", b -> b.owner("team\nops"), "owner", "'team\nops'", OWNER_RULE),
                reject("owner with NUL", b -> b.owner("team\u0000"), "owner", "'team\u0000'", OWNER_RULE),
                reject("owner with DEL", b -> b.owner("team\u007f"), "owner", "'team\u007f'", OWNER_RULE),
                reject("owner with C1 control NEL", b -> b.owner("team\u0085ops"), "owner", "'team\u0085ops'", OWNER_RULE),
                reject("owner with escape sequence", b -> b.owner("team\u001b[31m"), "owner", "'team\u001b[31m'", OWNER_RULE),

                reject("attemptTimeout zero", b -> b.attemptTimeout(Duration.ZERO),
                        "attemptTimeout", "0ms", "between 1ms and 10m"),
                reject("attemptTimeout just under 1ms", b -> b.attemptTimeout(Duration.ofNanos(999_999)),
                        "attemptTimeout", "999999ns", "between 1ms and 10m"),
                reject("attemptTimeout negative", b -> b.attemptTimeout(Duration.ofMillis(-1)),
                        "attemptTimeout", "-1ms", "between 1ms and 10m"),
                reject("attemptTimeout just over 10m", b -> b.attemptTimeout(Duration.ofMinutes(10).plusMillis(1))
                                .deadline(Duration.ofHours(1)).circuitBreaker(cb -> cb.timeWindow(Duration.ofHours(1))),
                        "attemptTimeout", "600001ms", "between 1ms and 10m"),

                reject("deadline just under the default attemptTimeout", b -> b.deadline(Duration.ofMillis(999)),
                        "deadline", "999ms", "between 1s and 60m"),
                reject("deadline just under a custom attemptTimeout",
                        b -> b.attemptTimeout(Duration.ofMillis(300)).deadline(Duration.ofMillis(299)),
                        "deadline", "299ms", "between 300ms and 60m"),
                reject("deadline just over 1h", b -> b.deadline(Duration.ofHours(1).plusMillis(1)),
                        "deadline", "3600001ms", "between 1s and 60m"),

                reject("explicit slowCallThreshold above the default attemptTimeout",
                        b -> b.circuitBreaker(cb -> cb.slowCallThreshold(Duration.ofMillis(1_001))),
                        "circuitBreaker.slowCallThreshold", "1001ms", "between 1ms and 1s"),
                reject("explicit slowCallThreshold above a custom attemptTimeout",
                        b -> b.attemptTimeout(Duration.ofMillis(300))
                                .circuitBreaker(cb -> cb.slowCallThreshold(Duration.ofMillis(301))),
                        "circuitBreaker.slowCallThreshold", "301ms", "between 1ms and 300ms"),

                reject("time window just under twice the attemptTimeout",
                        b -> b.attemptTimeout(Duration.ofMillis(1_001)).circuitBreaker(cb -> cb.timeWindow(Duration.ofSeconds(2))),
                        "circuitBreaker.timeWindow", "2s", "at least twice attemptTimeout (2002ms)"),
                reject("default 30 s window with an attemptTimeout over 15 s",
                        b -> b.attemptTimeout(Duration.ofMillis(15_001)).deadline(Duration.ofMinutes(1)),
                        "circuitBreaker.timeWindow", "30s", "at least twice attemptTimeout (30002ms)"),

                reject("bulkhead.maxWait just over the default deadline",
                        b -> b.bulkhead(bh -> bh.maxWait(Duration.ofMillis(3_001))),
                        "bulkhead.maxWait", "3001ms", "between 0ms and 3s"),
                reject("bulkhead.maxWait just over a custom deadline",
                        b -> b.attemptTimeout(Duration.ofMillis(200)).deadline(Duration.ofMillis(500))
                                .bulkhead(bh -> bh.maxWait(Duration.ofMillis(501))),
                        "bulkhead.maxWait", "501ms", "between 0ms and 500ms"));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                accept("owner 1 character", b -> b.owner("x"), UpstreamSpec::owner, "x"),
                accept("owner 64 characters", b -> b.owner("o".repeat(64)), UpstreamSpec::owner, "o".repeat(64)),
                accept("owner with spaces and punctuation", b -> b.owner("Pricing Team (EU) <pricing@example.com>"),
                        UpstreamSpec::owner, "Pricing Team (EU) <pricing@example.com>"),
                accept("owner with non-ASCII letters", b -> b.owner("équipe-prix"), UpstreamSpec::owner, "équipe-prix"),

                accept("attemptTimeout 1ms", b -> b.attemptTimeout(ONE_MS), UpstreamSpec::attemptTimeout, ONE_MS),
                accept("attemptTimeout 10m", b -> b.attemptTimeout(Duration.ofMinutes(10)).deadline(Duration.ofMinutes(10))
                                .circuitBreaker(cb -> cb.timeWindow(Duration.ofMinutes(20))),
                        UpstreamSpec::attemptTimeout, Duration.ofMinutes(10)),

                accept("deadline equal to attemptTimeout", b -> b.deadline(Duration.ofSeconds(1)),
                        UpstreamSpec::deadline, Duration.ofSeconds(1)),
                accept("deadline 1h", b -> b.deadline(Duration.ofHours(1)), UpstreamSpec::deadline, Duration.ofHours(1)),

                accept("explicit slowCallThreshold equal to attemptTimeout",
                        b -> b.attemptTimeout(Duration.ofMillis(300)).circuitBreaker(cb -> cb.slowCallThreshold(Duration.ofMillis(300))),
                        UpstreamSpec::slowCallThreshold, Duration.ofMillis(300)),
                accept("explicit slowCallThreshold 1ms", b -> b.circuitBreaker(cb -> cb.slowCallThreshold(ONE_MS)),
                        UpstreamSpec::slowCallThreshold, ONE_MS),

                accept("time window exactly twice the attemptTimeout",
                        b -> b.circuitBreaker(cb -> cb.timeWindow(Duration.ofSeconds(2))),
                        s -> s.circuitBreaker().windowSize(), 2),
                accept("default 30 s window with a 15 s attemptTimeout",
                        b -> b.attemptTimeout(Duration.ofSeconds(15)).deadline(Duration.ofSeconds(15)),
                        UpstreamSpec::attemptTimeout, Duration.ofSeconds(15)),
                accept("count window has no rule against a long attemptTimeout",
                        b -> b.attemptTimeout(Duration.ofMinutes(5)).deadline(Duration.ofMinutes(10))
                                .circuitBreaker(cb -> cb.countWindow(100)),
                        UpstreamSpec::attemptTimeout, Duration.ofMinutes(5)),

                accept("bulkhead.maxWait equal to the deadline", b -> b.bulkhead(bh -> bh.maxWait(Duration.ofSeconds(3))),
                        s -> s.bulkhead().maxWait(), Duration.ofSeconds(3)),
                accept("bulkhead.maxWait 0", b -> b.bulkhead(bh -> bh.maxWait(Duration.ZERO)),
                        s -> s.bulkhead().maxWait(), Duration.ZERO));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void valueJustOutsideTheRangeFailsAtBuild(Rejected<UpstreamSpec.Builder> r) {
        UpstreamSpec.Builder builder = r.configure().apply(UpstreamSpec.named("pricing")); // setters do not validate
        assertInvalid(builder::build, r.field(), r.value(), r.allowed());
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void edgeValueIsAccepted(Accepted<UpstreamSpec.Builder, UpstreamSpec> a) {
        UpstreamSpec spec = a.configure().apply(UpstreamSpec.named("pricing")).build();
        assertThat(a.getter().apply(spec)).isEqualTo(a.expected());
    }

    @Test
    void absurdlyLongAttemptTimeoutFailsAsInvalidSpecNotArithmetic() {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").attemptTimeout(ChronoUnit.FOREVER.getDuration());
        assertThatCode(builder::build).isInstanceOfSatisfying(InvalidSpecException.class, e -> {
            assertThat(e.field()).isEqualTo("attemptTimeout");
            assertThat(e.allowed()).isEqualTo("between 1ms and 10m");
        });
    }

    // ---- the derived slow call threshold ----------------------------------------------------------------------

    @ParameterizedTest(name = "attemptTimeout {0} ms, no explicit threshold: {1} ms")
    @CsvSource({"1000, 500", "501, 500", "500, 500", "499, 499", "300, 300", "1, 1", "10000, 500"})
    void derivedSlowCallThresholdIsTheShorterOf500msAndTheAttemptTimeout(long attemptMillis, long expectedMillis) {
        UpstreamSpec spec = UpstreamSpec.named("pricing").attemptTimeout(Duration.ofMillis(attemptMillis))
                .deadline(Duration.ofSeconds(10)).build();
        assertThat(spec.slowCallThreshold()).isEqualTo(Duration.ofMillis(expectedMillis));
        assertThat(spec.circuitBreaker().slowCallThreshold()).as("derived, not stored as explicit").isEmpty();
    }

    @ParameterizedTest(name = "attemptTimeout {0} ms, explicit {1} ms")
    @CsvSource({"1000, 250", "1000, 1000", "300, 300", "1000, 700", "10000, 2000"})
    void explicitSlowCallThresholdWins(long attemptMillis, long explicitMillis) {
        UpstreamSpec spec = UpstreamSpec.named("pricing").attemptTimeout(Duration.ofMillis(attemptMillis))
                .deadline(Duration.ofSeconds(10))
                .circuitBreaker(cb -> cb.slowCallThreshold(Duration.ofMillis(explicitMillis))).build();
        assertThat(spec.slowCallThreshold()).isEqualTo(Duration.ofMillis(explicitMillis));
        assertThat(spec.circuitBreaker().slowCallThreshold()).contains(Duration.ofMillis(explicitMillis));
    }

    @Test
    void derivedThresholdFollowsTheAttemptTimeoutAfterToBuilder() {
        UpstreamSpec fast = UpstreamSpec.named("pricing").attemptTimeout(Duration.ofMillis(300)).build();
        assertThat(fast.slowCallThreshold()).isEqualTo(Duration.ofMillis(300));
        UpstreamSpec slower = fast.toBuilder().attemptTimeout(Duration.ofSeconds(2)).build();
        assertThat(slower.slowCallThreshold()).isEqualTo(BreakerSpec.DEFAULT_SLOW_CALL_THRESHOLD);
    }

    // ---- validated once, at build(), whatever the order of the setters --------------------------------------

    @Test
    void subSpecSettersCombineInAnyOrderBeforeBuild() {
        // each step alone would be out of range (countWindow 5 < default minimumCalls 20; initialBackoff 3s >
        // default maxBackoff 2s), but the builder is validated once, at build()
        UpstreamSpec spec = UpstreamSpec.named("pricing")
                .circuitBreaker(cb -> cb.countWindow(5))
                .circuitBreaker(cb -> cb.minimumCalls(5))
                .retry(r -> r.exponentialBackoff(Duration.ofSeconds(3), 2))
                .retry(r -> r.maxBackoff(Duration.ofSeconds(10)))
                .build();
        assertThat(spec.circuitBreaker().windowSize()).isEqualTo(5);
        assertThat(spec.circuitBreaker().minimumCalls()).isEqualTo(5);
        assertThat(spec.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(3));
        assertThat(spec.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void topLevelSettersCombineInAnyOrderBeforeBuild() {
        UpstreamSpec spec = UpstreamSpec.named("pricing").deadline(Duration.ofSeconds(20))
                .attemptTimeout(Duration.ofSeconds(10)).circuitBreaker(cb -> cb.timeWindow(Duration.ofSeconds(20))).build();
        assertThat(spec.deadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(spec.attemptTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aFailedBuildCanBeCorrectedAndRebuilt() {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").retry(r -> r.maxAttempts(0));
        assertThatCode(builder::build).isInstanceOf(InvalidSpecException.class);
        assertThat(builder.retry(r -> r.maxAttempts(2)).build().retry().maxAttempts()).isEqualTo(2);
    }

    @Test
    void firstInvalidFieldIsReported() {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").owner("").attemptTimeout(Duration.ZERO)
                .retry(r -> r.maxAttempts(0));
        assertThatCode(builder::build).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.field()).isEqualTo("owner"));
    }

    @Test
    void timeoutsAreCheckedBeforeTheRulesThatDependOnThem() {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").attemptTimeout(Duration.ZERO)
                .bulkhead(b -> b.maxWait(Duration.ofSeconds(10)));
        assertThatCode(builder::build).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.field()).isEqualTo("attemptTimeout"));
    }

    @Test
    void explicitSlowCallThresholdValidOnItsOwnIsStillCheckedAgainstTheAttemptTimeout() {
        BreakerSpec breaker = BreakerSpec.builder().slowCallThreshold(Duration.ofSeconds(5)).build();
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").circuitBreaker(breaker);
        assertInvalid(builder::build, "circuitBreaker.slowCallThreshold", "5s", "between 1ms and 1s");
    }

    private static Arguments reject(String label, UnaryOperator<UpstreamSpec.Builder> configure, String field, String value,
            String allowed) {
        return argumentSet(label, new Rejected<>(configure, field, value, allowed));
    }

    private static Arguments accept(String label, UnaryOperator<UpstreamSpec.Builder> configure,
            Function<UpstreamSpec, Object> getter, Object expected) {
        return argumentSet(label, new Accepted<>(configure, getter, expected));
    }
}
