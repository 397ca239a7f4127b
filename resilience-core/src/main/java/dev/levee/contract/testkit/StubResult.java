package dev.levee.contract.testkit;

import dev.levee.contract.ContractResult;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The contract's verdict on one stub or recorded response.
 *
 * @param stub the stub's name: the mapping's {@code name}, else its request method and URL, else the file name
 * @param source the file it came from
 * @param status the HTTP status the stub answers with (200 for a recorded body)
 * @param result the contract's result; {@code null} if the stub was not checked ({@link #skipped()})
 * @param skipped why the stub was not checked (an error status: not a response the contract is about), or empty
 * @since 0.2
 */
public record StubResult(String stub, String source, int status, @Nullable ContractResult result, String skipped) {

    /**
     * Creates a result.
     *
     * @param stub the stub's name
     * @param source the file
     * @param status the status
     * @param result the contract's result, or {@code null} if skipped
     * @param skipped why it was skipped, or empty
     */
    public StubResult {
        Objects.requireNonNull(stub, "stub");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(skipped, "skipped");
    }

    /**
     * Whether the stub was checked and the contract rejects it.
     *
     * @return {@code true} if some expectation is broken
     */
    public boolean rejected() {
        return result != null && !result.holds();
    }

    /**
     * The stub's part of a report.
     *
     * @return a few lines: the stub, then each expectation that holds or not (path, kind)
     */
    public String report() {
        String head = stub + " (" + source + ", status " + status + ")";
        if (result == null) {
            return head + ": skipped, " + skipped + "\n";
        }
        return head + (result.holds() ? ": holds" : ": REJECTED") + "\n" + result.report();
    }
}
