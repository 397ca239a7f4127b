package dev.levee.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.spring.LeveeConfigurationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/**
 * Every invalid {@code levee.*} value fails startup with a message naming the full property path and the value;
 * Levee's own rejections also carry the allowed range, which the failure analyzer explains.
 */
class LeveeInvalidPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(LeveeAutoConfigurationTests.LEVEE);

    static Stream<Arguments> invalidProperties() {
        return Stream.of(
                row("levee.upstreams.inventory.retry.max-attempts", "0", "between 1 and 10",
                        "levee.upstreams.inventory.retry.max-attempts=0"),
                row("levee.defaults.retry.max-attempts", "11", "between 1 and 10",
                        "levee.defaults.retry.max-attempts=11", "levee.upstreams.inventory.owner=team"),
                row("levee.upstreams.inventory.circuit-breaker.failure-rate-threshold", "0.0", "between 1.0 and 100.0",
                        "levee.upstreams.inventory.circuit-breaker.failure-rate-threshold=0"),
                row("levee.upstreams.inventory.circuit-breaker.slow-call-rate-threshold", "101.0", "between 1.0 and 100.0",
                        "levee.upstreams.inventory.circuit-breaker.slow-call-rate-threshold=101"),
                row("levee.upstreams.inventory.attempt-timeout", "0ms", "between 1ms and 10m",
                        "levee.upstreams.inventory.attempt-timeout=0ms"),
                // a rule between two settings names the other one, where it was set
                row("levee.upstreams.inventory.deadline", "1s", "at least levee.upstreams.inventory.attempt-timeout (2s)",
                        "levee.upstreams.inventory.attempt-timeout=2s", "levee.upstreams.inventory.deadline=1s"),
                // a deadline inherited from the defaults is reported where it was set
                row("levee.defaults.deadline", "500ms", "at least levee.upstreams.inventory.attempt-timeout (800ms)",
                        "levee.defaults.deadline=500ms", "levee.upstreams.inventory.attempt-timeout=800ms"),
                // the conflicting value is a core default (deadline 3s): reported under the upstream, where it can be set
                row("levee.upstreams.inventory.deadline", "3s", "at least levee.upstreams.inventory.attempt-timeout (5s)",
                        "levee.upstreams.inventory.attempt-timeout=5s"),
                row("levee.upstreams.inventory.deadline", "120m", "between 5s and 60m",
                        "levee.upstreams.inventory.attempt-timeout=5s", "levee.upstreams.inventory.deadline=2h"),
                // names that need it are written in the bracket form
                row("levee.upstreams[Inventory]", "'Inventory'", "a name of 1 to 64 lowercase letters",
                        "levee.upstreams.Inventory.owner=team"),
                row("levee.upstreams[my upstream]", "'my upstream'", "a name of 1 to 64 lowercase letters",
                        "levee.upstreams[my upstream].owner=team"),
                row("levee.upstreams[payments.eu].attempt-timeout", "0ms", "between 1ms and 10m",
                        "levee.upstreams[payments.eu].attempt-timeout=0ms"),
                row("levee.upstreams.inventory.http.failure-statuses", "'abc'", "status codes from 100 to 599",
                        "levee.upstreams.inventory.http.failure-statuses=5xx,abc"),
                row("levee.defaults.http.failure-statuses", "'600'", "status codes from 100 to 599",
                        "levee.defaults.http.failure-statuses=600", "levee.upstreams.inventory.owner=team"),
                row("levee.defaults.http.idempotent-methods", "'FETCH'", "HTTP methods among",
                        "levee.defaults.http.idempotent-methods=GET,FETCH"),
                row("levee.upstreams.inventory.http.idempotent-methods", "'FETCH'", "HTTP methods among",
                        "levee.upstreams.inventory.http.idempotent-methods=FETCH"),
                row("levee.upstreams.inventory.circuit-breaker.count-window", "10", "unset when levee.upstreams.inventory.circuit-breaker.time-window is set",
                        "levee.upstreams.inventory.circuit-breaker.count-window=10",
                        "levee.upstreams.inventory.circuit-breaker.time-window=30s"),
                row("levee.defaults.circuit-breaker.count-window", "10", "unset when levee.defaults.circuit-breaker.time-window is set",
                        "levee.defaults.circuit-breaker.count-window=10", "levee.defaults.circuit-breaker.time-window=30s",
                        "levee.upstreams.inventory.owner=team"),
                // count window 5 with the core's minimum-calls of 20
                row("levee.upstreams.inventory.circuit-breaker.minimum-calls", "20",
                        "at most levee.upstreams.inventory.circuit-breaker.count-window (5)",
                        "levee.upstreams.inventory.circuit-breaker.count-window=5"),
                row("levee.upstreams.inventory.circuit-breaker.minimum-calls", "0", "between 1 and 5",
                        "levee.upstreams.inventory.circuit-breaker.count-window=5", "levee.upstreams.inventory.circuit-breaker.minimum-calls=0"),
                row("levee.upstreams.inventory.circuit-breaker.time-window", "1500ms", "a whole number of seconds",
                        "levee.upstreams.inventory.circuit-breaker.time-window=1500ms"),
                // the time-window rule in property names, not the core's Java names
                row("levee.upstreams.inventory.circuit-breaker.time-window", "1s", "at least 2s, twice levee.upstreams.inventory.attempt-timeout",
                        "levee.upstreams.inventory.circuit-breaker.time-window=1s"),
                row("levee.defaults.circuit-breaker.time-window", "10s", "at least 12s, twice levee.configs.slow.attempt-timeout",
                        "levee.defaults.circuit-breaker.time-window=10s", "levee.configs.slow.attempt-timeout=6s",
                        "levee.configs.slow.deadline=10s", "levee.upstreams.inventory.base-config=slow"),
                row("levee.upstreams.inventory.circuit-breaker.slow-call-threshold", "2s", "at most levee.upstreams.inventory.attempt-timeout (1s)",
                        "levee.upstreams.inventory.circuit-breaker.slow-call-threshold=2s"),
                row("levee.upstreams.inventory.retry.jitter", "1.5", "between 0.0 and 1.0",
                        "levee.upstreams.inventory.retry.jitter=1.5"),
                row("levee.upstreams.inventory.retry.multiplier", "0.5", "between 1.0 and 10.0",
                        "levee.upstreams.inventory.retry.multiplier=0.5"),
                row("levee.upstreams.inventory.retry.max-backoff", "50ms", "at least levee.upstreams.inventory.retry.initial-backoff (100ms)",
                        "levee.upstreams.inventory.retry.max-backoff=50ms"),
                row("levee.upstreams.inventory.retry.max-backoff", "50ms", "at least levee.defaults.retry.initial-backoff (80ms)",
                        "levee.upstreams.inventory.retry.max-backoff=50ms", "levee.defaults.retry.initial-backoff=80ms"),
                row("levee.upstreams.inventory.retry.budget-window", "0ms", "between 1s and 10m",
                        "levee.upstreams.inventory.retry.budget-window=0ms"),
                row("levee.upstreams.inventory.bulkhead.max-concurrent-calls", "0", "between 1 and 10000",
                        "levee.upstreams.inventory.bulkhead.max-concurrent-calls=0"),
                row("levee.upstreams.inventory.bulkhead.max-wait", "5s", "at most levee.upstreams.inventory.deadline (3s)",
                        "levee.upstreams.inventory.bulkhead.max-wait=5s"),
                row("levee.upstreams.inventory.contract.sample-rate", "1.5", "between 0.0 and 1.0",
                        "levee.upstreams.inventory.contract.sample-rate=1.5"),
                row("levee.upstreams.inventory.contract.log-interval", "0ms", "between 1ms and 1440m",
                        "levee.upstreams.inventory.contract.log-interval=0ms"),
                row("levee.defaults.contract.sample-rate", "-0.1", "between 0.0 and 1.0", "levee.defaults.contract.sample-rate=-0.1"),
                row("levee.upstreams.inventory.circuit-breaker.consecutive-failures", "-1", "between 0 and 1000",
                        "levee.upstreams.inventory.circuit-breaker.consecutive-failures=-1"),
                row("levee.upstreams.inventory.owner", "''", "1 to 64 printable characters",
                        "levee.upstreams.inventory.owner= "),
                row("levee.deadline.header", "'Budget Ms'", "an HTTP header name", "levee.deadline.header=Budget Ms"),
                row("levee.endpoint.recent-events", "1001", "between 0 and 1000", "levee.endpoint.recent-events=1001",
                        "management.endpoints.web.exposure.include=upstreams"),
                row("levee.max-upstreams", "0", "between 1 and 1000", "levee.max-upstreams=0"),

                // levee.defaults and base configurations are checked even when no upstream uses them: each value for itself
                row("levee.defaults.retry.max-attempts", "11", "between 1 and 10", "levee.defaults.retry.max-attempts=11"),
                row("levee.defaults.circuit-breaker.consecutive-failures", "1001", "between 0 and 1000",
                        "levee.defaults.circuit-breaker.consecutive-failures=1001"),
                row("levee.defaults.attempt-timeout", "20m", "between 1ms and 10m", "levee.defaults.attempt-timeout=20m"),
                // the widest range any upstream could allow, not the one the checking context allows
                row("levee.defaults.deadline", "120m", "between 1ms and 60m", "levee.defaults.deadline=2h"),
                row("levee.defaults.circuit-breaker.slow-call-threshold", "30m", "between 1ms and 10m",
                        "levee.defaults.circuit-breaker.slow-call-threshold=30m"),
                row("levee.defaults.circuit-breaker.time-window", "1500ms", "a whole number of seconds",
                        "levee.defaults.circuit-breaker.time-window=1500ms"),
                row("levee.defaults.owner", "''", "1 to 64 printable characters", "levee.defaults.owner= "),
                row("levee.configs.slow.retry.max-attempts", "0", "between 1 and 10", "levee.configs.slow.retry.max-attempts=0"),
                row("levee.configs[slow.batch].bulkhead.max-wait", "2m", "between 0ms and 1m",
                        "levee.configs[slow.batch].bulkhead.max-wait=2m"),
                row("levee.configs.slow.circuit-breaker.count-window", "10", "unset when levee.configs.slow.circuit-breaker.time-window is set",
                        "levee.configs.slow.circuit-breaker.count-window=10", "levee.configs.slow.circuit-breaker.time-window=30s"),
                row("levee.configs.slow.http.failure-statuses", "'abc'", "status codes from 100 to 599",
                        "levee.configs.slow.http.failure-statuses=abc"),

                // a value from a base configuration is reported where it was set, and so is the other side of a rule
                row("levee.upstreams.inventory.deadline", "3s", "at least levee.configs.slow.attempt-timeout (5s)",
                        "levee.configs.slow.attempt-timeout=5s", "levee.upstreams.inventory.base-config=slow"),
                row("levee.configs.quick.deadline", "200ms", "at least levee.upstreams.inventory.attempt-timeout (300ms)",
                        "levee.configs.quick.deadline=200ms", "levee.upstreams.inventory.base-config=quick",
                        "levee.upstreams.inventory.attempt-timeout=300ms"),
                row("levee.configs.base.retry.max-attempts", "12", "between 1 and 10",
                        "levee.configs.base.retry.max-attempts=12", "levee.configs.mid.base-config=base",
                        "levee.upstreams.inventory.base-config=mid"),

                // base-config names a configuration; chains do not loop
                row("levee.upstreams.inventory.base-config", "'slwo'", "the name of a configuration under levee.configs (one of [fast, slow])",
                        "levee.configs.fast.attempt-timeout=100ms", "levee.configs.slow.attempt-timeout=2s",
                        "levee.upstreams.inventory.base-config=slwo"),
                row("levee.upstreams.inventory.base-config", "'slow'", "the name of a configuration under levee.configs (none is configured)",
                        "levee.upstreams.inventory.base-config=slow"),
                row("levee.defaults.base-config", "'standard'", "(none is configured)", "levee.defaults.base-config=standard"),
                row("levee.configs.slow.base-config", "'base'", "(one of [slow])", "levee.configs.slow.base-config=base"),
                row("levee.configs.a.base-config", "'b'", "does not lead back to 'a' (a -> b -> a)",
                        "levee.configs.a.base-config=b", "levee.configs.b.base-config=a"),
                row("levee.configs.a.base-config", "'a'", "(a -> a)", "levee.configs.a.base-config=a"),
                row("levee.configs.b.base-config", "'c'", "(b -> c -> b)",
                        "levee.configs.a.base-config=b", "levee.configs.b.base-config=c", "levee.configs.c.base-config=b"),

                // classification by class name
                row("levee.upstreams.inventory.classification.caller-faults[1]", "'com.example.Nope'",
                        "a Throwable class on the classpath (no class of that name was found)",
                        "levee.upstreams.inventory.classification.caller-faults=java.lang.IllegalArgumentException,com.example.Nope"),
                row("levee.configs.strict.classification.timeouts[0]", "'java.lang.String'", "(java.lang.String is not a Throwable)",
                        "levee.configs.strict.classification.timeouts=java.lang.String"),
                row("levee.defaults.classification.caller-faults[1]", "'java.lang.Thread.State'", "(java.lang.Thread$State is not a Throwable)",
                        "levee.defaults.classification.caller-faults= java.io.UncheckedIOException , java.lang.Thread.State"),
                row("levee.defaults.classification.not-retryable[0]", "'dev.levee.UpstreamTimeoutException'", "not one of Levee's own",
                        "levee.defaults.classification.not-retryable=dev.levee.UpstreamTimeoutException"),
                row("levee.upstreams.inventory.classification.timeouts[0]", "'java.io.IOException'",
                        "a class not already in levee.defaults.classification.caller-faults",
                        "levee.defaults.classification.caller-faults=java.io.IOException",
                        "levee.upstreams.inventory.classification.timeouts=java.io.IOException"),
                row("levee.upstreams.inventory.classification.caller-faults[0]", "'java.net.SocketTimeoutException'",
                        "a class that is not always a timeout",
                        "levee.upstreams.inventory.classification.caller-faults=java.net.SocketTimeoutException"),
                // the core checks pass-through before caller-faults: the second list is the one reported, naming the first
                row("levee.configs.web.classification.caller-faults[0]", "'java.lang.IllegalStateException'",
                        "a class not already in levee.upstreams.inventory.classification.pass-through",
                        "levee.configs.web.classification.caller-faults=java.lang.IllegalStateException",
                        "levee.upstreams.inventory.base-config=web",
                        "levee.upstreams.inventory.classification.pass-through=java.lang.IllegalStateException"),
                row("levee.max-upstreams", "1", "at least 2", "levee.max-upstreams=1",
                        "levee.upstreams.a.owner=team", "levee.upstreams.b.owner=team"));
    }

    private static Arguments row(String property, String value, String allowed, String... properties) {
        return Arguments.of(property, value, allowed, properties);
    }

    @ParameterizedTest(name = "{3} -> {0}")
    @MethodSource("invalidProperties")
    void runWhenAPropertyIsInvalidShouldFailStartupNamingPropertyValueAndRange(String property, String value, String allowed,
            String[] properties) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            LeveeConfigurationException cause = findCause(failure, LeveeConfigurationException.class);
            assertThat(cause).as("cause of %s", failure).isNotNull();
            assertThat(cause.property()).isEqualTo(property);
            assertThat(cause.value()).isEqualTo(value);
            assertThat(cause.allowed()).contains(allowed);
            // the message users see names all three
            assertThat(failure).hasStackTraceContaining(property + " must be ")
                    .hasStackTraceContaining("but was " + value);

            FailureAnalysis analysis = new LeveeConfigurationFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("'" + property + "'").contains(value).contains(allowed);
            assertThat(analysis.getAction()).contains(property).contains(allowed);
            assertThat(analysis.getCause()).isSameAs(cause);
        });
    }

    @Test
    void runWhenADeadlineIsShorterThanTheAttemptTimeoutShouldNameBothProperties() {
        runner.withPropertyValues("levee.upstreams.x.attempt-timeout=500ms", "levee.upstreams.x.deadline=300ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(findCause(context.getStartupFailure(), LeveeConfigurationException.class)).hasMessage(
                    "levee.upstreams.x.deadline must be at least levee.upstreams.x.attempt-timeout (500ms), but was 300ms");
        });
    }

    @Test
    void runWhenAnUpstreamHasAnUnknownSubKeyShouldFailStartupNamingTheKeyTheUpstreamAndTheClosestSetting() {
        runner.withPropertyValues("levee.upstreams.x.retry.max-atempts=2").run(context -> {
            assertThat(context).hasFailed();
            UnboundConfigurationPropertiesException unbound = findCause(context.getStartupFailure(),
                    UnboundConfigurationPropertiesException.class);
            assertThat(unbound).isNotNull();
            assertThat(unbound.getUnboundProperties()).singleElement().satisfies(p -> {
                assertThat(p.getName()).hasToString("levee.upstreams.x.retry.max-atempts");
                assertThat(p.getValue()).hasToString("2");
            });
            FailureAnalysis analysis = new LeveeUnknownPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("levee.upstreams.x.retry.max-atempts = \"2\"")
                    .contains("'max-atempts' is not a setting of levee.upstreams.x.retry (upstream 'x')")
                    .contains("its settings are budget-min-retries, budget-ratio, budget-window, initial-backoff, jitter,"
                            + " max-attempts, max-backoff, multiplier")
                    .doesNotContain("Bindable");
            assertThat(analysis.getAction()).contains("Did you mean 'levee.upstreams.x.retry.max-attempts'");
            assertThat(analysis.getCause()).isSameAs(unbound);
        });
    }

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                Arguments.of("levee.defaults.attempt-timeuot=1s", "'attempt-timeuot' is not a setting of levee.defaults;",
                        "levee.defaults.attempt-timeout"),
                Arguments.of("levee.upstream.x.owner=team", "'upstream' is not a setting of levee;", "levee.upstreams.x.owner"),
                Arguments.of("levee.configs.slow.circuit-braker.minimum-calls=3",
                        "'circuit-braker' is not a setting of levee.configs.slow (base configuration 'slow')",
                        "levee.configs.slow.circuit-breaker.minimum-calls"),
                Arguments.of("levee.upstreams[payments.eu].base-confg=slow",
                        "'base-confg' is not a setting of levee.upstreams[payments.eu] (upstream 'payments.eu')",
                        "levee.upstreams[payments.eu].base-config"),
                Arguments.of("levee.upstreams.x.classification.caller-fault=java.lang.IllegalStateException",
                        "'caller-fault' is not a setting of levee.upstreams.x.classification (upstream 'x')",
                        "levee.upstreams.x.classification.caller-faults"),
                Arguments.of("levee.upstreams.x.owner.name=team",
                        "levee.upstreams.x.owner (upstream 'x') takes a value and has no settings under it, such as 'name'", null),
                Arguments.of("levee.upstreams.x.zzzzzzzz=1", "'zzzzzzzz' is not a setting of levee.upstreams.x (upstream 'x')", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownKeys")
    void runWhenAKeyIsUnknownShouldExplainWhereAndSuggestTheClosestSetting(String property, String explanation,
            String suggestion) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new LeveeUnknownPropertyFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains(explanation);
            if (suggestion != null) {
                assertThat(analysis.getAction()).contains("Did you mean '" + suggestion + "'");
            } else {
                assertThat(analysis.getAction()).doesNotContain("Did you mean");
            }
        });
    }

    @Test
    void analyzeWhenTheUnknownKeysAreNotLeveesShouldLeaveThemToSpringBoot() {
        new ApplicationContextRunner().withUserConfiguration(OtherProperties.Config.class)
                .withPropertyValues("other.nme=x").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(findCause(context.getStartupFailure(), UnboundConfigurationPropertiesException.class)).isNotNull();
                    assertThat(new LeveeUnknownPropertyFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
                });
    }

    @Test
    void runWhenTheRemovedWriteOperationsPropertyIsSetShouldFailStartupNamingIt() {
        // replaced by Spring Boot's management.endpoint.upstreams.access=unrestricted; never silently ignored
        runner.withPropertyValues("levee.endpoint.write-operations-enabled=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("levee.endpoint.write-operations-enabled");
        });
    }

    @Test
    void runWhenAValueCannotBeConvertedShouldFailStartupNamingPropertyAndValue() {
        runner.withPropertyValues("levee.upstreams.inventory.criticality=vital").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("levee.upstreams.inventory.criticality")
                    .hasStackTraceContaining("vital");
        });
        runner.withPropertyValues("levee.defaults.interrupt-policy=sometimes").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("levee.defaults.interrupt-policy")
                    .hasStackTraceContaining("sometimes");
        });
    }

    @Test
    void analyzeWhenTheFailureIsNotLeveesShouldLeaveItToOthers() {
        assertThat(new LeveeConfigurationFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
    }

    @ConfigurationProperties(prefix = "other", ignoreUnknownFields = false)
    static class OtherProperties {
        private String name = "";

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        @Configuration(proxyBeanMethods = false)
        @EnableConfigurationProperties(OtherProperties.class)
        static class Config {
        }
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        Throwable root = NestedExceptionUtils.getRootCause(failure);
        return type.isInstance(root) ? type.cast(root) : null;
    }
}
