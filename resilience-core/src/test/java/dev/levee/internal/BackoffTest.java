package dev.levee.internal;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.RetrySpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exponential backoff with jitter and a cap, with the random draw fixed. */
class BackoffTest {

    // 100 ms × 2^(n-1), ± 50%, at most 2 s: every value below is exact in binary floating point.
    private static final RetrySpec SPEC = RetrySpec.builder()
            .exponentialBackoff(ofMillis(100), 2.0).jitter(0.5).maxBackoff(ofSeconds(2)).build();

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    private static Backoff fixed(RetrySpec spec, double random) {
        return new Backoff(spec, () -> random);
    }

    @ParameterizedTest(name = "retry {0}: base {1} ms")
    @CsvSource({"1, 100", "2, 200", "3, 400", "4, 800"})
    void jitterBoundsAreExactlyBaseTimesOneMinusAndPlusJitter(int retry, long base) {
        assertThat(fixed(SPEC, 0.0).delayNanos(retry, 0)).isEqualTo(ms(base / 2));
        assertThat(fixed(SPEC, 0.5).delayNanos(retry, 0)).isEqualTo(ms(base));
        assertThat(fixed(SPEC, 1.0).delayNanos(retry, 0)).isEqualTo(ms(Math.min(2_000, base * 3 / 2)));
    }

    @Test
    void upperJitterBoundIsCappedAtMaxBackoff() {
        // retry 5: base 1.6 s, base × 1.5 = 2.4 s > max 2 s
        assertThat(fixed(SPEC, 0.0).delayNanos(5, 0)).isEqualTo(ms(800));
        assertThat(fixed(SPEC, 0.5).delayNanos(5, 0)).isEqualTo(ms(1_600));
        assertThat(fixed(SPEC, 1.0).delayNanos(5, 0)).isEqualTo(ms(2_000));
    }

    @Test
    void jitterSpreadsLinearlyBetweenTheBounds() {
        assertThat(fixed(SPEC, 0.25).delayNanos(1, 0)).isEqualTo(ms(75));
        assertThat(fixed(SPEC, 0.75).delayNanos(1, 0)).isEqualTo(ms(125));
        RetrySpec quarter = SPEC.toBuilder().jitter(0.25).build();
        assertThat(fixed(quarter, 0.0).delayNanos(1, 0)).isEqualTo(ms(75));
        assertThat(fixed(quarter, 1.0).delayNanos(1, 0)).isEqualTo(ms(125));
    }

    @Test
    void growsExponentiallyAndIsCappedAtMaxBackoff() {
        Backoff middle = fixed(SPEC, 0.5);
        long[] expected = {100, 200, 400, 800, 1_600, 2_000, 2_000, 2_000, 2_000};
        for (int retry = 1; retry <= expected.length; retry++) {
            assertThat(middle.delayNanos(retry, 0)).as("retry %d", retry).isEqualTo(ms(expected[retry - 1]));
        }
        // Once capped, the lower bound stays at max × (1 − jitter) however many retries.
        assertThat(fixed(SPEC, 0.0).delayNanos(9, 0)).isEqualTo(ms(1_000));
    }

    @Test
    void otherMultipliersAndNoJitter() {
        RetrySpec triple = RetrySpec.builder().exponentialBackoff(ofMillis(10), 3.0).jitter(0).maxBackoff(ofMillis(500)).build();
        Backoff b = fixed(triple, 0.99);
        assertThat(b.delayNanos(1, 0)).isEqualTo(ms(10));
        assertThat(b.delayNanos(2, 0)).isEqualTo(ms(30));
        assertThat(b.delayNanos(3, 0)).isEqualTo(ms(90));
        assertThat(b.delayNanos(4, 0)).isEqualTo(ms(270));
        assertThat(b.delayNanos(5, 0)).isEqualTo(ms(500));
        RetrySpec constant = RetrySpec.builder().exponentialBackoff(ofMillis(50), 1.0).jitter(0).build();
        assertThat(fixed(constant, 0.3).delayNanos(7, 0)).isEqualTo(ms(50));
    }

    @Test
    void retryAfterWinsWhenLonger() {
        Backoff upper = fixed(SPEC, 1.0);
        assertThat(upper.delayNanos(1, ms(5_000))).isEqualTo(ms(5_000));
        assertThat(upper.delayNanos(1, ms(151))).isEqualTo(ms(151));
        // Even above maxBackoff: the upstream's hint is honoured.
        assertThat(fixed(SPEC, 0.5).delayNanos(9, ms(3_000))).isEqualTo(ms(3_000));
    }

    @Test
    void backoffWinsWhenTheRetryAfterIsShorter() {
        assertThat(fixed(SPEC, 0.5).delayNanos(1, ms(10))).isEqualTo(ms(100));
        assertThat(fixed(SPEC, 1.0).delayNanos(2, ms(299))).isEqualTo(ms(300));
    }

    @Test
    void systemRandomStaysWithinTheJitterBounds() {
        Backoff random = new Backoff(SPEC);
        for (int i = 0; i < 1_000; i++) {
            assertThat(random.delayNanos(1, 0)).isBetween(ms(50), ms(150));
            assertThat(random.delayNanos(3, 0)).isBetween(ms(200), ms(600));
            assertThat(random.delayNanos(6, 0)).isBetween(ms(1_000), ms(2_000));
        }
    }
}
