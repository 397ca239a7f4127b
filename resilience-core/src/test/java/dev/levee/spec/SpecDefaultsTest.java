package dev.levee.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.BreakerSpec;
import dev.levee.BreakerSpec.WindowType;
import dev.levee.BulkheadSpec;
import dev.levee.CallOptions;
import dev.levee.ClassificationRules;
import dev.levee.Criticality;
import dev.levee.RetrySpec;
import dev.levee.TimeSource;
import dev.levee.TimeoutMode;
import dev.levee.UpstreamSpec;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Pins every default documented in the javadoc tables of {@link UpstreamSpec}, {@link BreakerSpec},
 * {@link RetrySpec} and {@link BulkheadSpec}: changing one is a decision, never an accident.
 */
class SpecDefaultsTest {

    @Test
    void upstreamSpecDefaults() {
        UpstreamSpec spec = UpstreamSpec.named("pricing").build();
        assertThat(spec.name()).isEqualTo("pricing");
        assertThat(spec.owner()).isEqualTo("unassigned");
        assertThat(spec.criticality()).isEqualTo(Criticality.OPTIONAL);
        assertThat(spec.attemptTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(spec.timeoutMode()).isEqualTo(TimeoutMode.ENFORCED);
        assertThat(spec.deadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(spec.slowCallThreshold()).isEqualTo(Duration.ofMillis(500));
        assertThat(spec.percentileHistogram()).isFalse();
        assertThat(spec.timeSource()).isSameAs(TimeSource.system());
        assertThat(spec.circuitBreaker()).isEqualTo(BreakerSpec.defaults());
        assertThat(spec.retry()).isEqualTo(RetrySpec.defaults());
        assertThat(spec.bulkhead()).isEqualTo(BulkheadSpec.defaults());
        assertThat(spec.classification()).isEqualTo(ClassificationRules.defaults());
    }

    @Test
    void breakerSpecDefaults() {
        BreakerSpec b = BreakerSpec.defaults();
        assertThat(b.failureRateThreshold()).isEqualTo(50f);
        assertThat(b.windowType()).isEqualTo(WindowType.TIME_BASED);
        assertThat(b.windowSize()).isEqualTo(30);
        assertThat(b.minimumCalls()).isEqualTo(20);
        assertThat(b.slowCallThreshold()).as("derived per upstream unless set").isEmpty();
        assertThat(BreakerSpec.DEFAULT_SLOW_CALL_THRESHOLD).isEqualTo(Duration.ofMillis(500));
        assertThat(b.slowCallRateThreshold()).isEqualTo(100f);
        assertThat(b.waitInOpenState()).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.halfOpenProbes()).isEqualTo(5);
    }

    @Test
    void retrySpecDefaults() {
        RetrySpec r = RetrySpec.defaults();
        assertThat(r.maxAttempts()).isEqualTo(3);
        assertThat(r.initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(r.multiplier()).isEqualTo(2.0);
        assertThat(r.jitter()).isEqualTo(0.5);
        assertThat(r.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.budgetRatio()).isEqualTo(0.2);
        assertThat(r.budgetMinRetries()).isEqualTo(10);
        assertThat(r.budgetWindow()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void bulkheadSpecDefaults() {
        BulkheadSpec b = BulkheadSpec.defaults();
        assertThat(b.maxConcurrentCalls()).isEqualTo(25);
        assertThat(b.maxWait()).isEqualTo(Duration.ZERO);
    }

    @Test
    void classificationDefaults() {
        ClassificationRules c = ClassificationRules.defaults();
        assertThat(c.passThrough()).isEmpty();
        assertThat(c.callerFault()).isEmpty();
        assertThat(c.timeout()).containsExactly(SocketTimeoutException.class, HttpTimeoutException.class);
        assertThat(c.notRetryable()).isEmpty();
    }

    @Test
    void callOptionsDefaults() {
        assertThat(CallOptions.defaults().isIdempotent()).isFalse();
        assertThat(CallOptions.defaults().fallback()).isNull();
        assertThat(CallOptions.idempotent().isIdempotent()).isTrue();
        assertThat(CallOptions.idempotent().fallback()).isNull();
    }

    @Test
    void freshBuildersStartFromTheDefaults() {
        assertThat(BreakerSpec.builder().build()).isEqualTo(BreakerSpec.defaults());
        assertThat(RetrySpec.builder().build()).isEqualTo(RetrySpec.defaults());
        assertThat(BulkheadSpec.builder().build()).isEqualTo(BulkheadSpec.defaults());
        assertThat(ClassificationRules.builder().build()).isEqualTo(ClassificationRules.defaults());
    }

    @Test
    void defaultsAreSharedInstances() {
        assertThat(BreakerSpec.defaults()).isSameAs(BreakerSpec.defaults());
        assertThat(RetrySpec.defaults()).isSameAs(RetrySpec.defaults());
        assertThat(BulkheadSpec.defaults()).isSameAs(BulkheadSpec.defaults());
        assertThat(ClassificationRules.defaults()).isSameAs(ClassificationRules.defaults());
    }
}
