package dev.levee.contract;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The verdict of a contract on one response: which expectations hold, which are broken (with path and kind),
 * and which could not be checked (free predicates, when the contract is checked on JSON by a provider).
 *
 * @since 0.2
 */
public final class ContractResult {

    private final List<String> expectations;
    private final List<Violation> violations;
    private final List<String> unverified;

    ContractResult(List<String> expectations, List<Violation> violations, List<String> unverified) {
        this.expectations = expectations;
        this.violations = List.copyOf(violations);
        this.unverified = unverified;
    }

    /**
     * Whether no expectation is broken.
     *
     * @return {@code true} if every checked expectation holds
     */
    public boolean holds() {
        return violations.isEmpty();
    }

    /**
     * The broken expectations, in the contract's order, one entry per offending value.
     *
     * @return the violations, empty if the contract holds
     */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * The names of the expectations that were checked and hold.
     *
     * @return the names, in the contract's order
     */
    public List<String> held() {
        if (!violations.isEmpty() && violations.get(0).kind() == ViolationKind.UNREADABLE) {
            return List.of(); // nothing could be checked
        }
        Set<String> broken = new LinkedHashSet<>();
        for (Violation v : violations) {
            broken.add(v.expectation());
        }
        List<String> held = new ArrayList<>();
        for (String e : expectations) {
            if (!broken.contains(e) && !unverified.contains(e)) {
                held.add(e);
            }
        }
        return held;
    }

    /**
     * The names of the distinct broken expectations.
     *
     * @return the names, in the order first broken
     */
    public List<String> broken() {
        Set<String> broken = new LinkedHashSet<>();
        for (Violation v : violations) {
            broken.add(v.expectation());
        }
        return List.copyOf(broken);
    }

    /**
     * The expectations that could not be checked here: free predicates, which only the consumer's code can run.
     *
     * @return the names, empty when checked on the consumer's own objects
     */
    public List<String> unverified() {
        return unverified;
    }

    /**
     * A multi-line report: each expectation with {@code holds}, {@code BROKEN} (path and kind) or
     * {@code unverified}.
     *
     * @return the report, without values
     */
    public String report() {
        StringBuilder sb = new StringBuilder();
        Set<String> seen = new LinkedHashSet<>();
        for (String e : expectations) {
            if (!seen.add(e)) {
                continue;
            }
            List<Violation> mine = new ArrayList<>();
            for (Violation v : violations) {
                if (v.expectation().equals(e)) {
                    mine.add(v);
                }
            }
            if (unverified.contains(e)) {
                sb.append("  ? ").append(e).append(": unverified (a free predicate: only the consumer's code can check it)\n");
            } else if (mine.isEmpty()) {
                sb.append("  ok ").append(e).append('\n');
            } else {
                for (Violation v : mine) {
                    sb.append("  BROKEN ").append(v).append('\n');
                }
            }
        }
        for (Violation v : violations) { // violations of no named expectation (an unreadable response)
            if (!seen.contains(v.expectation())) {
                sb.append("  BROKEN ").append(v).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContractResult r && violations.equals(r.violations) && unverified.equals(r.unverified)
                && expectations.equals(r.expectations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(violations, unverified, expectations);
    }

    @Override
    public String toString() {
        return holds() ? "ContractResult[holds]" : "ContractResult" + violations;
    }
}
