package dev.levee.internal;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * The accounting of the breaker's striped {@link OutcomeWindow} under concurrency, checked by Lincheck:
 * records of successes, failures and slow calls at seconds that race each other (a two-second window, so
 * seconds leave it while threads record), and reads of the counts, on two stripes shared by three threads.
 * Every concurrent run must give results some one-at-a-time order of the same operations gives: no count
 * lost or torn, no expired second counted, whichever stripes the threads landed on. Model checking explores
 * the interleavings; the stress run checks the same on real threads.
 */
@Param(name = "second", gen = IntGen.class, conf = "0:3")
public class OutcomeWindowLincheckTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long SLOW = 500_000_000L;

    private final OutcomeWindow window = new OutcomeWindow(2, 1, 50, 100, SLOW, 0L, 2);

    @Operation
    public void success(@Param(name = "second") int second) {
        window.record(second * SECOND, 1_000_000L, false);
    }

    @Operation
    public void failure(@Param(name = "second") int second) {
        window.record(second * SECOND, 1_000_000L, true);
    }

    @Operation
    public void slowSuccess(@Param(name = "second") int second) {
        window.record(second * SECOND, SLOW + 1, false);
    }

    @Operation
    public void slowFailure(@Param(name = "second") int second) {
        window.record(second * SECOND, SLOW + 1, true);
    }

    @Operation
    public String counts(@Param(name = "second") int second) {
        OutcomeWindow.Counts c = window.counts(second * SECOND);
        return c.calls() + " calls, " + c.failed() + " failed, " + c.slow() + " slow, " + c.slowFailed() + " slow failed";
    }

    @Test
    void everyInterleavingCountsAsSomeOrderOfTheSameRecords() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(300)
                .threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
                .check(OutcomeWindowLincheckTest.class);
    }

    @Test
    void realThreadsCountAsSomeOrderOfTheSameRecords() {
        new StressOptions().iterations(5).invocationsPerIteration(300)
                .threads(3).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
                .check(OutcomeWindowLincheckTest.class);
    }
}
