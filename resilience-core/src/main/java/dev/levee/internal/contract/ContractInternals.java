package dev.levee.internal.contract;

import dev.levee.contract.Contract;
import dev.levee.contract.ContractResult;
import dev.levee.contract.Violation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The bridge from Levee's internals (the call path, the JSON side) to what {@link Contract} keeps private: its
 * rules, and the making of contracts and results. Set once by {@code Contract}'s static initializer.
 */
public final class ContractInternals {

    /** What {@code Contract} lets the internals do. */
    public interface Hooks {
        /** The contract's rules. */
        List<Rule> rules(Contract<?> contract);

        /** A contract from rules read from a file. */
        Contract<Object> create(String name, List<Rule> rules);

        /** A result of the contract with these violations; {@code json}: free predicates were not checked. */
        ContractResult result(Contract<?> contract, @Nullable List<Violation> violations, boolean json);
    }

    private static volatile @Nullable Hooks hooks;

    private ContractInternals() {
    }

    /** Called by {@code Contract} once. */
    public static void bind(Hooks h) {
        hooks = h;
    }

    /** The hooks, initializing {@code Contract} if needed. */
    public static Hooks hooks() {
        Hooks h = hooks;
        if (h == null) {
            try {
                Class.forName(Contract.class.getName(), true, Contract.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            h = hooks;
        }
        return h;
    }
}
