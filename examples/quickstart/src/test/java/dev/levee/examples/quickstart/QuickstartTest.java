package dev.levee.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs the quickstart for real, with short phases, and checks what its summary claims. */
class QuickstartTest {

    @Test
    void containsPricingsOutageAndRecovers() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Summary s = Quickstart.run(Options.parse("--rate=20", "--phases=healthy:1s,slow:2s,down:2s,recovered:5s"), out, false);
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(s.catalogCompleted()).as("every catalog request completed").isEqualTo(s.catalogIssued()).isPositive();
        assertThat(s.drained()).isTrue();
        assertThat(s.rejectedCalls()).as("the circuit opened and rejected pricing calls").isPositive();
        assertThat(s.rejectedP50Millis()).as("rejections are answered fast").isLessThan(50);
        assertThat(s.secondsToClosedCircuit()).as("the circuit closed after recovery").isBetween(0.0, 5.0);
        assertThat(s.retryAmplification()).as("max attempts is 2, and the budget caps it").isBetween(1.0, 2.0);
        assertThat(s.longestWaitMillis()).as("no caller waited past pricing's 800 ms deadline by much")
                .isLessThan(Duration.ofSeconds(3).toMillis());
        assertThat(printed).containsPattern("pricing: HEALTHY -> (DEGRADED|UNAVAILABLE)")
                .contains("upstream   health       circuit", "catalog", "pricing")
                .doesNotContain("\033[");
        assertThat(s.render()).contains("catalog requests completed:", "retry amplification on pricing");
    }

    @Test
    void rejectsBadOptionsNamingTheOptionAndWhatIsAllowed() {
        assertThatThrownBy(() -> Options.parse("--rate=0"))
                .hasMessage("--rate must be a whole number from 1 to 500, but was '0'");
        assertThatThrownBy(() -> Options.parse("--phases=healthy:10s,sleepy:5s"))
                .hasMessageContaining("names healthy, slow, down, recovered").hasMessageContaining("'sleepy:5s'");
        assertThatThrownBy(() -> Options.parse("--duration=5s")).hasMessageContaining("unknown option '--duration'");
        assertThat(Options.parse("--help").help()).isTrue();
        assertThat(Options.parse().phases()).hasSize(4);
    }
}
