package dev.levee.contract.testkit;

import java.util.List;

/**
 * The contract's verdicts on a set of stubs or recorded responses.
 *
 * @param contract the contract's name
 * @param stubs one result per stub, in file order
 * @since 0.2
 */
public record StubReport(String contract, List<StubResult> stubs) {

    /**
     * Creates a report.
     *
     * @param contract the contract's name
     * @param stubs the results
     */
    public StubReport {
        stubs = List.copyOf(stubs);
    }

    /**
     * Whether the contract holds for every stub it checked.
     *
     * @return {@code true} if no stub is rejected
     */
    public boolean holds() {
        return stubs.stream().noneMatch(StubResult::rejected);
    }

    /**
     * The stubs the contract rejects.
     *
     * @return the rejected stubs
     */
    public List<StubResult> rejected() {
        return stubs.stream().filter(StubResult::rejected).toList();
    }

    /**
     * Fails the test if the contract rejects a stub, or if there was no stub to check at all.
     *
     * @return this report, to chain assertions
     * @throws AssertionError with the full report
     */
    public StubReport assertHolds() {
        if (stubs.stream().allMatch(s -> s.result() == null)) {
            throw new AssertionError("contract '" + contract + "': no stub was checked\n" + text());
        }
        if (!holds()) {
            throw new AssertionError("contract '" + contract + "' rejects " + rejected().size() + " of " + stubs.size() + " stubs\n" + text());
        }
        return this;
    }

    /**
     * The report: every stub with each expectation that holds or is broken (path, kind). Never values.
     *
     * @return the report
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (StubResult s : stubs) {
            sb.append(s.report());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
