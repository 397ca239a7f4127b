package dev.levee.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.BreakerSpec;
import dev.levee.BulkheadSpec;
import dev.levee.ClassificationRules;
import dev.levee.Criticality;
import dev.levee.RetrySpec;
import dev.levee.TimeoutMode;
import dev.levee.UpstreamSpec;
import dev.levee.testing.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** toBuilder() round-trips, and a builder shares no state with what it built. */
class SpecBuildersTest {

    private static final ManualTimeSource TIME = new ManualTimeSource();

    static BreakerSpec customBreaker() {
        return BreakerSpec.builder().failureRateThreshold(25).slowCallRateThreshold(80)
                .slowCallThreshold(Duration.ofMillis(200)).countWindow(50).minimumCalls(10)
                .waitInOpenState(Duration.ofSeconds(20)).halfOpenProbes(3).build();
    }

    static RetrySpec customRetry() {
        return RetrySpec.builder().maxAttempts(5).exponentialBackoff(Duration.ofMillis(20), 3).jitter(0.1)
                .maxBackoff(Duration.ofMillis(900)).budget(0.5, 3, Duration.ofSeconds(30)).build();
    }

    static BulkheadSpec customBulkhead() {
        return BulkheadSpec.builder().maxConcurrentCalls(7).maxWait(Duration.ofMillis(50)).build();
    }

    static ClassificationRules customRules() {
        return ClassificationRules.builder().passThrough(IllegalStateException.class).callerFault(IllegalArgumentException.class)
                .timeout(TimeoutException.class).notRetryable(IOException.class).build();
    }

    static UpstreamSpec customSpec() {
        return UpstreamSpec.named("pricing").owner("pricing-team").criticality(Criticality.CRITICAL)
                .attemptTimeout(Duration.ofMillis(300)).timeoutMode(TimeoutMode.COOPERATIVE)
                .deadline(Duration.ofSeconds(2)).circuitBreaker(customBreaker()).retry(customRetry())
                .bulkhead(customBulkhead()).classification(customRules()).percentileHistogram(true).timeSource(TIME)
                .build();
    }

    @Test
    void customSpecHasNoDefaultLeft() {
        // guards the round-trip tests below: a field left at its default would round-trip trivially
        UpstreamSpec custom = customSpec();
        UpstreamSpec defaults = UpstreamSpec.named("pricing").build();
        assertThat(custom.owner()).isNotEqualTo(defaults.owner());
        assertThat(custom.criticality()).isNotEqualTo(defaults.criticality());
        assertThat(custom.attemptTimeout()).isNotEqualTo(defaults.attemptTimeout());
        assertThat(custom.deadline()).isNotEqualTo(defaults.deadline());
        assertThat(custom.timeoutMode()).isNotEqualTo(defaults.timeoutMode());
        assertThat(custom.percentileHistogram()).isNotEqualTo(defaults.percentileHistogram());
        assertThat(custom.timeSource()).isNotEqualTo(defaults.timeSource());
        assertThat(custom.circuitBreaker()).isNotEqualTo(BreakerSpec.defaults());
        assertThat(custom.retry()).isNotEqualTo(RetrySpec.defaults());
        assertThat(custom.bulkhead()).isNotEqualTo(BulkheadSpec.defaults());
        assertThat(custom.classification()).isNotEqualTo(ClassificationRules.defaults());
    }

    @Test
    void upstreamSpecRoundTrips() {
        UpstreamSpec spec = customSpec();
        UpstreamSpec copy = spec.toBuilder().build();
        assertThat(copy).isEqualTo(spec).hasSameHashCodeAs(spec).isNotSameAs(spec);
        assertThat(copy.toString()).isEqualTo(spec.toString());
        assertThat(copy.slowCallThreshold()).isEqualTo(spec.slowCallThreshold());
        assertThat(copy.timeoutMode()).isEqualTo(spec.timeoutMode());
        assertThat(copy.timeSource()).isSameAs(TIME);
        assertThat(UpstreamSpec.named("a").build().toBuilder().build()).isEqualTo(UpstreamSpec.named("a").build());
    }

    @Test
    void subSpecsRoundTrip() {
        assertThat(customBreaker().toBuilder().build()).isEqualTo(customBreaker()).hasSameHashCodeAs(customBreaker());
        assertThat(customRetry().toBuilder().build()).isEqualTo(customRetry()).hasSameHashCodeAs(customRetry());
        assertThat(customBulkhead().toBuilder().build()).isEqualTo(customBulkhead()).hasSameHashCodeAs(customBulkhead());
        assertThat(customRules().toBuilder().build()).isEqualTo(customRules()).hasSameHashCodeAs(customRules());
        BreakerSpec timeWindow = BreakerSpec.builder().timeWindow(Duration.ofSeconds(45)).minimumCalls(7).build();
        assertThat(timeWindow.toBuilder().build()).isEqualTo(timeWindow);
    }

    @Test
    void aChangedFieldBreaksEquality() {
        // equals must look at the fields, or the round-trip tests prove nothing
        UpstreamSpec spec = customSpec();
        assertThat(spec.toBuilder().owner("other").build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().retry(r -> r.jitter(0.2)).build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().circuitBreaker(b -> b.halfOpenProbes(4)).build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().bulkhead(b -> b.maxConcurrentCalls(8)).build()).isNotEqualTo(spec);
        assertThat(spec.toBuilder().classification(c -> c.passThrough(UnsupportedOperationException.class)).build())
                .isNotEqualTo(spec);
        assertThat(customBreaker().toBuilder().failureRateThreshold(26).build()).isNotEqualTo(customBreaker());
        assertThat(customRetry().toBuilder().budget(0.5, 4, Duration.ofSeconds(30)).build()).isNotEqualTo(customRetry());
        assertThat(customBulkhead().toBuilder().maxWait(Duration.ofMillis(51)).build()).isNotEqualTo(customBulkhead());
    }

    @Test
    void customizersStartFromTheCurrentSubSpec() {
        UpstreamSpec spec = UpstreamSpec.named("pricing").circuitBreaker(customBreaker())
                .circuitBreaker(b -> b.halfOpenProbes(9)).build();
        assertThat(spec.circuitBreaker()).isEqualTo(customBreaker().toBuilder().halfOpenProbes(9).build());
        UpstreamSpec renamed = customSpec().toBuilder().name("pricing-eu").build();
        assertThat(renamed.name()).isEqualTo("pricing-eu");
        assertThat(renamed.toBuilder().name("pricing").build()).isEqualTo(customSpec());
    }

    @Test
    void changingAnUpstreamSpecBuilderAfterBuildLeavesTheBuiltSpecAlone() {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing");
        UpstreamSpec built = builder.build();
        UpstreamSpec snapshot = UpstreamSpec.named("pricing").build();

        builder.name("other").owner("someone").criticality(Criticality.CRITICAL).attemptTimeout(Duration.ofMillis(200))
                .deadline(Duration.ofSeconds(1)).percentileHistogram(true).timeSource(TIME)
                .circuitBreaker(b -> b.halfOpenProbes(2)).retry(r -> r.maxAttempts(1))
                .bulkhead(b -> b.maxConcurrentCalls(2)).classification(c -> c.notRetryable(IOException.class));
        UpstreamSpec second = builder.build();

        assertThat(built).isEqualTo(snapshot);
        assertThat(built.circuitBreaker()).isEqualTo(BreakerSpec.defaults());
        assertThat(built.retry()).isEqualTo(RetrySpec.defaults());
        assertThat(built.bulkhead()).isEqualTo(BulkheadSpec.defaults());
        assertThat(built.classification()).isEqualTo(ClassificationRules.defaults());
        assertThat(second).isNotEqualTo(built);
        assertThat(second.circuitBreaker().halfOpenProbes()).isEqualTo(2);
    }

    @Test
    void twoSpecsFromOneBuilderAreIndependent() {
        UpstreamSpec.Builder builder = UpstreamSpec.named("pricing").retry(r -> r.maxAttempts(2));
        UpstreamSpec first = builder.build();
        UpstreamSpec second = builder.retry(r -> r.maxAttempts(4)).build();
        assertThat(first.retry().maxAttempts()).isEqualTo(2);
        assertThat(second.retry().maxAttempts()).isEqualTo(4);
    }

    @Test
    void toBuilderOfASpecDoesNotChangeTheSpec() {
        UpstreamSpec spec = customSpec();
        spec.toBuilder().owner("x").circuitBreaker(b -> b.halfOpenProbes(1)).retry(r -> r.maxAttempts(1))
                .bulkhead(b -> b.maxConcurrentCalls(1)).classification(c -> c.passThrough(Error.class)).build();
        assertThat(spec).isEqualTo(customSpec());
    }

    @Test
    void changingSubSpecBuildersAfterBuildLeavesTheBuiltSpecAlone() {
        BreakerSpec.Builder breaker = BreakerSpec.builder();
        BreakerSpec builtBreaker = breaker.build();
        breaker.failureRateThreshold(10).countWindow(5).minimumCalls(5).halfOpenProbes(1);
        assertThat(builtBreaker).isEqualTo(BreakerSpec.defaults());

        RetrySpec.Builder retry = RetrySpec.builder();
        RetrySpec builtRetry = retry.build();
        retry.maxAttempts(1).jitter(0);
        assertThat(builtRetry).isEqualTo(RetrySpec.defaults());

        BulkheadSpec.Builder bulkhead = BulkheadSpec.builder();
        BulkheadSpec builtBulkhead = bulkhead.build();
        bulkhead.maxConcurrentCalls(1);
        assertThat(builtBulkhead).isEqualTo(BulkheadSpec.defaults());

        ClassificationRules.Builder rules = ClassificationRules.builder();
        ClassificationRules builtRules = rules.build();
        rules.passThrough(IllegalStateException.class).timeout(TimeoutException.class);
        assertThat(builtRules.passThrough()).isEmpty();
        assertThat(builtRules.timeout()).hasSize(2);
        assertThat(builtRules).isEqualTo(ClassificationRules.defaults());
    }

    @Test
    void buildersFromDefaultsNeverChangeTheDefaults() {
        BreakerSpec.defaults().toBuilder().failureRateThreshold(10).build();
        RetrySpec.defaults().toBuilder().maxAttempts(1).build();
        BulkheadSpec.defaults().toBuilder().maxConcurrentCalls(1).build();
        ClassificationRules.defaults().toBuilder().notRetryable(IOException.class).build();
        assertThat(BreakerSpec.defaults().failureRateThreshold()).isEqualTo(50f);
        assertThat(RetrySpec.defaults().maxAttempts()).isEqualTo(3);
        assertThat(BulkheadSpec.defaults().maxConcurrentCalls()).isEqualTo(25);
        assertThat(ClassificationRules.defaults().notRetryable()).isEmpty();
    }

    @Test
    void classificationListsAreUnmodifiable() {
        ClassificationRules rules = customRules();
        assertThatThrownBy(() -> rules.passThrough().add(Error.class)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rules.callerFault().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rules.timeout().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> rules.notRetryable().add(Error.class)).isInstanceOf(UnsupportedOperationException.class);
    }
}
