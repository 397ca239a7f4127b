package dev.levee.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.spring.LeveeConfigurationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
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
                row("levee.upstreams.inventory.deadline", "1s", "between 2s and 60m",
                        "levee.upstreams.inventory.attempt-timeout=2s", "levee.upstreams.inventory.deadline=1s"),
                // a deadline inherited from the defaults is reported where it was set
                row("levee.defaults.deadline", "500ms", "between 800ms and 60m",
                        "levee.defaults.deadline=500ms", "levee.upstreams.inventory.attempt-timeout=800ms"),
                // the conflicting value is a core default (deadline 3s): reported under the upstream, where it can be set
                row("levee.upstreams.inventory.deadline", "3s", "between 5s and 60m",
                        "levee.upstreams.inventory.attempt-timeout=5s"),
                row("levee.upstreams.Inventory", "'Inventory'", "a name of 1 to 64 lowercase letters",
                        "levee.upstreams.Inventory.owner=team"),
                row("levee.upstreams.inventory.http.failure-statuses", "'abc'", "status codes from 100 to 599",
                        "levee.upstreams.inventory.http.failure-statuses=5xx,abc"),
                row("levee.defaults.http.failure-statuses", "'600'", "status codes from 100 to 599",
                        "levee.defaults.http.failure-statuses=600", "levee.upstreams.inventory.owner=team"),
                row("levee.defaults.http.idempotent-methods", "'FETCH'", "HTTP methods among",
                        "levee.defaults.http.idempotent-methods=GET,FETCH"),
                row("levee.upstreams.inventory.http.idempotent-methods", "'FETCH'", "HTTP methods among",
                        "levee.upstreams.inventory.http.idempotent-methods=FETCH"),
                row("levee.upstreams.inventory.circuit-breaker.count-window", "10", "unset when circuit-breaker.time-window is set",
                        "levee.upstreams.inventory.circuit-breaker.count-window=10",
                        "levee.upstreams.inventory.circuit-breaker.time-window=30s"),
                row("levee.defaults.circuit-breaker.count-window", "10", "unset when circuit-breaker.time-window is set",
                        "levee.defaults.circuit-breaker.count-window=10", "levee.defaults.circuit-breaker.time-window=30s",
                        "levee.upstreams.inventory.owner=team"),
                // count window 5 with the core's minimum-calls of 20
                row("levee.upstreams.inventory.circuit-breaker.minimum-calls", "20", "between 1 and 5",
                        "levee.upstreams.inventory.circuit-breaker.count-window=5"),
                row("levee.upstreams.inventory.circuit-breaker.time-window", "1500ms", "a whole number of seconds",
                        "levee.upstreams.inventory.circuit-breaker.time-window=1500ms"),
                row("levee.upstreams.inventory.circuit-breaker.time-window", "1s", "at least twice attemptTimeout",
                        "levee.upstreams.inventory.circuit-breaker.time-window=1s"),
                row("levee.upstreams.inventory.circuit-breaker.slow-call-threshold", "2s", "between 1ms and 1s",
                        "levee.upstreams.inventory.circuit-breaker.slow-call-threshold=2s"),
                row("levee.upstreams.inventory.retry.jitter", "1.5", "between 0.0 and 1.0",
                        "levee.upstreams.inventory.retry.jitter=1.5"),
                row("levee.upstreams.inventory.retry.multiplier", "0.5", "between 1.0 and 10.0",
                        "levee.upstreams.inventory.retry.multiplier=0.5"),
                row("levee.upstreams.inventory.retry.max-backoff", "50ms", "between 100ms and 5m",
                        "levee.upstreams.inventory.retry.max-backoff=50ms"),
                row("levee.upstreams.inventory.retry.budget-window", "0ms", "between 1s and 10m",
                        "levee.upstreams.inventory.retry.budget-window=0ms"),
                row("levee.upstreams.inventory.bulkhead.max-concurrent-calls", "0", "between 1 and 10000",
                        "levee.upstreams.inventory.bulkhead.max-concurrent-calls=0"),
                row("levee.upstreams.inventory.bulkhead.max-wait", "5s", "between 0ms and 3s",
                        "levee.upstreams.inventory.bulkhead.max-wait=5s"),
                row("levee.upstreams.inventory.owner", "''", "1 to 64 printable characters",
                        "levee.upstreams.inventory.owner= "),
                row("levee.deadline.header", "'Budget Ms'", "an HTTP header name", "levee.deadline.header=Budget Ms"),
                row("levee.endpoint.recent-events", "1001", "between 0 and 1000", "levee.endpoint.recent-events=1001",
                        "management.endpoints.web.exposure.include=upstreams"),
                row("levee.max-upstreams", "0", "between 1 and 1000", "levee.max-upstreams=0"),
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
    void runWhenAnUpstreamHasAnUnknownSubKeyShouldFailStartupNamingTheKeyAndItsValue() {
        runner.withPropertyValues("levee.upstreams.x.retry.max-atempts=2").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("levee.upstreams.x.retry.max-atempts");
            UnboundConfigurationPropertiesException unbound = findCause(context.getStartupFailure(),
                    UnboundConfigurationPropertiesException.class);
            assertThat(unbound).isNotNull();
            // Spring Boot's own failure analyzer prints name and value of each unbound property
            assertThat(unbound.getUnboundProperties()).singleElement().satisfies(p -> {
                assertThat(p.getName()).hasToString("levee.upstreams.x.retry.max-atempts");
                assertThat(p.getValue()).hasToString("2");
            });
        });
    }

    @Test
    void runWhenTheDefaultsHaveAnUnknownKeyShouldFailStartup() {
        runner.withPropertyValues("levee.defaults.attempt-timeuot=1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("levee.defaults.attempt-timeuot");
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
    }

    @Test
    void analyzeWhenTheFailureIsNotLeveesShouldLeaveItToOthers() {
        assertThat(new LeveeConfigurationFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
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
