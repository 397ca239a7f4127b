package dev.levee.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations on the endpoint read as they are configured. */
class DurationFormatTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "PT0S, 0ms", "PT0.3S, 300ms", "PT1S, 1s", "PT10S, 10s", "PT1.5S, 1500ms", "PT1M, 1m", "PT90S, 90s",
            "PT1H, 1h", "PT2H30M, 150m", "PT24H, 24h", "PT0.0000005S, 500ns", "PT1.0000005S, 1000000500ns" })
    void theLargestWholeUnitIsUsed(Duration duration, String text) {
        assertThat(DurationFormat.format(duration)).isEqualTo(text);
    }
}
