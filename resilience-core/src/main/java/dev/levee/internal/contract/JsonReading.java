package dev.levee.internal.contract;

import dev.levee.contract.Contract;
import dev.levee.contract.ContractResult;
import dev.levee.contract.Violation;
import dev.levee.contract.ViolationKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads untrusted JSON within limits (Jackson's {@link StreamReadConstraints} for nesting, plus a byte cap read
 * by hand so an endless stream is cut off) and checks contracts on it. A response over the limits is an
 * {@link ViolationKind#UNREADABLE} violation, found in time proportional to the limit, never a hang or a
 * {@code StackOverflowError}.
 */
public final class JsonReading {

    private final long maxBytes;
    private final JsonMapper mapper;

    /** Reads documents of at most {@code maxBytes} bytes and {@code maxDepth} levels of nesting. */
    public JsonReading(long maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxDocumentLength(maxBytes)
                .build();
        this.mapper = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(limits).build())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    /** The mapper, configured with the limits. */
    public JsonMapper mapper() {
        return mapper;
    }

    /** Checks a contract on a JSON document. */
    public ContractResult check(Contract<?> contract, byte[] json) {
        if (json.length > maxBytes) {
            return unreadable(contract);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JacksonException | StackOverflowError e) {
            return unreadable(contract);
        }
        return check(contract, tree);
    }

    /** Checks a contract on a JSON stream, reading at most the byte limit plus one. */
    public ContractResult check(Contract<?> contract, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        return check(contract, bytes);
    }

    /** Checks a contract on a parsed tree. */
    public static ContractResult check(Contract<?> contract, JsonNode tree) {
        ContractInternals.Hooks hooks = ContractInternals.hooks();
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return unreadable(contract);
        }
        List<Violation> violations = Evaluator.check(hooks.rules(contract), tree, JsonAccess.INSTANCE, true);
        return hooks.result(contract, violations, true);
    }

    /** The result for a document that could not be read at all. */
    public static ContractResult unreadable(Contract<?> contract) {
        return ContractInternals.hooks().result(contract, List.of(new Violation(Contract.UNREADABLE, "", ViolationKind.UNREADABLE)), true);
    }
}
