package dev.levee.contract.json;

import dev.levee.InvalidSpecException;
import dev.levee.contract.Contract;
import dev.levee.contract.ContractResult;
import dev.levee.internal.contract.ContractInternals;
import dev.levee.internal.contract.JsonReading;
import dev.levee.internal.contract.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON side of contracts: exports a {@link Contract} to a versioned, human-readable file that a provider
 * can verify without Levee's call path, reads such files back, and checks a contract on JSON documents
 * (a stub's body, a recorded response, a provider's live answer). Needs Jackson 3
 * ({@code tools.jackson.core:jackson-databind}) on the class path.
 *
 * <pre>{@code
 * ContractJson.write(Quote.CONTRACT, Path.of("target/contracts/pricing-quote.json"));   // consumer's build
 * Contract<Object> contract = ContractJson.read(Path.of("pricing-quote.json"));        // provider's build
 * ContractResult result = ContractJson.check(contract, responseBytes);
 * }</pre>
 *
 * <p>The file (format version {@value #FORMAT_VERSION}):
 * <pre>{@code
 * { "format": "levee-contract", "formatVersion": 1, "name": "pricing-quote",
 *   "expectations": [
 *     { "name": "has-amount", "check": "present", "path": "amount" },
 *     { "name": "amount-in-range", "check": "range", "path": "amount", "min": 0, "max": 100000 },
 *     { "name": "known-currency", "check": "one-of", "path": "currency", "values": ["EUR", "USD"] },
 *     { "name": "sku-format", "check": "pattern", "path": "sku", "regex": "[A-Z]{3}-[0-9]+" },
 *     { "name": "has-lines", "check": "size", "path": "lines", "min": 1, "max": 50 },
 *     { "check": "each", "path": "lines", "expectations": [ { "name": "line-has-sku", "check": "present", "path": "sku" } ] },
 *     { "name": "total-matches-lines", "check": "unverifiable", "note": "..." } ] }
 * }</pre>
 * A free predicate ({@link Contract.Builder#satisfies}) is written as {@code unverifiable}: the provider's
 * report lists it as not verified. A file of a newer format version is refused, naming both versions.
 *
 * <p>JSON documents are read within limits ({@value #DEFAULT_MAX_DOCUMENT_BYTES} bytes and
 * {@value #DEFAULT_MAX_NESTING_DEPTH} levels by default): a larger or deeper document is a violation of kind
 * {@code unreadable}, found in bounded time. Thread-safe.
 *
 * @since 0.2
 */
public final class ContractJson {

    /** The format version this Levee writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    /** The value of the file's {@code format} field. */
    public static final String FORMAT = "levee-contract";

    /** The largest JSON document checked by default, in bytes (4 MiB). */
    public static final long DEFAULT_MAX_DOCUMENT_BYTES = 4L * 1024 * 1024;

    /** The deepest nesting of a JSON document checked by default. */
    public static final int DEFAULT_MAX_NESTING_DEPTH = 256;

    private static final String NOTE = "a free predicate in the consumer's code: a provider cannot verify it";
    private static final JsonReading DEFAULT = new JsonReading(DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_MAX_NESTING_DEPTH);
    private static final JsonMapper FILES = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ContractJson() {
    }

    /**
     * The contract as the text of a contract file.
     *
     * @param contract the contract
     * @return the file's text, indented
     */
    public static String write(Contract<?> contract) {
        Objects.requireNonNull(contract, "contract");
        ObjectNode root = FILES.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("name", contract.name());
        if (!contract.unverifiable().isEmpty()) {
            root.put("note", "expectations marked unverifiable are " + NOTE.substring(2));
        }
        writeRules(ContractInternals.hooks().rules(contract), root.putArray("expectations"));
        return FILES.writeValueAsString(root) + "\n";
    }

    /**
     * Writes the contract file, creating its folder if needed.
     *
     * @param contract the contract
     * @param file where to write it
     * @throws UncheckedIOException if it cannot be written
     */
    public static void write(Contract<?> contract, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, write(contract), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write contract file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeRules(List<Rule> rules, ArrayNode out) {
        for (Rule r : rules) {
            ObjectNode e = out.addObject();
            if (r.type() != Rule.Type.EACH) {
                e.put("name", r.expectation());
            }
            if (r.type() == Rule.Type.PREDICATE) {
                e.put("check", "unverifiable");
                e.put("note", NOTE);
                continue;
            }
            e.put("check", r.type().fileName());
            e.put("path", r.path());
            switch (r.type()) {
                case ONE_OF -> {
                    ArrayNode values = e.putArray("values");
                    r.values().stream().sorted().forEach(values::add);
                }
                case RANGE -> {
                    e.put("min", r.min());
                    e.put("max", r.max());
                }
                case SIZE -> {
                    e.put("min", r.min().intValueExact());
                    e.put("max", r.max().intValueExact());
                }
                case PATTERN -> e.put("regex", r.pattern().pattern());
                case EACH -> writeRules(r.nested(), e.putArray("expectations"));
                default -> {
                }
            }
        }
    }

    /**
     * Reads a contract file.
     *
     * @param file the file
     * @return the contract, checkable on JSON with {@link #check}
     * @throws ContractFormatException if the file is not a contract this Levee reads
     * @throws UncheckedIOException if it cannot be read
     */
    public static Contract<Object> read(Path file) {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contract file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the text of a contract file.
     *
     * @param text the file's text
     * @return the contract
     * @throws ContractFormatException if the text is not a contract this Levee reads
     */
    public static Contract<Object> read(String text) {
        return read(text, "contract file");
    }

    private static Contract<Object> read(String text, String source) {
        JsonNode root;
        try {
            root = DEFAULT.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new ContractFormatException(source + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asString(null))) {
            throw new ContractFormatException(source + " is not a Levee contract: its \"format\" must be \"" + FORMAT + "\"");
        }
        JsonNode version = root.get("formatVersion");
        if (version == null || !version.isIntegralNumber()) {
            throw new ContractFormatException(source + ": \"formatVersion\" must be a whole number, but was " + version);
        }
        if (version.longValue() > FORMAT_VERSION) {
            throw new ContractFormatException(source + " has formatVersion " + version.longValue() + ", newer than this Levee reads ("
                    + FORMAT_VERSION + " at most): upgrade dev.levee:levee-core to verify it");
        }
        if (version.longValue() < 1) {
            throw new ContractFormatException(source + ": \"formatVersion\" must be between 1 and " + FORMAT_VERSION + ", but was " + version.longValue());
        }
        allowOnly(root, source, "format", "formatVersion", "name", "note", "expectations");
        String name = text(root, "name", source);
        try {
            Set<String> names = new HashSet<>();
            List<Rule> rules = readRules(root.get("expectations"), source, names, 0);
            if (rules.isEmpty()) {
                throw new ContractFormatException(source + ": \"expectations\" must hold at least one expectation");
            }
            Contract.of(name, Object.class); // the same name rules as a contract built in code
            return ContractInternals.hooks().create(name, rules);
        } catch (InvalidSpecException e) {
            throw new ContractFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private static List<Rule> readRules(JsonNode list, String source, Set<String> names, int depth) {
        if (list == null || !list.isArray()) {
            throw new ContractFormatException(source + ": \"expectations\" must be a list");
        }
        if (depth > Contract.MAX_NESTING) {
            throw new ContractFormatException(source + ": \"each\" nested " + depth + " deep, at most " + Contract.MAX_NESTING + " allowed");
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode e : list) {
            if (!e.isObject()) {
                throw new ContractFormatException(source + ": every expectation must be an object, but one was " + e.getNodeType());
            }
            String check = text(e, "check", source);
            if (check.equals("each")) {
                allowOnly(e, source, "check", "path", "expectations");
                String path = path(e, source);
                List<Rule> nested = readRules(e.get("expectations"), source, names, depth + 1);
                if (nested.isEmpty()) {
                    throw new ContractFormatException(source + ": \"each\" at " + path + " must hold at least one expectation");
                }
                rules.add(Rule.of(nested.get(0).expectation(), path, Rule.Type.EACH, Set.of(), null, null, null, nested, null));
                continue;
            }
            String name = text(e, "name", source);
            try {
                Contract.of(name, Object.class); // the same name rules as in code
            } catch (InvalidSpecException bad) {
                throw new ContractFormatException(source + ": expectation name '" + name + "' must be 1 to 64 characters of letters, digits, '-', '_' or '.'", bad);
            }
            if (!names.add(name)) {
                throw new ContractFormatException(source + ": expectation '" + name + "' appears twice; names must be unique");
            }
            Rule rule = switch (check) {
                case "present" -> {
                    allowOnly(e, source, "name", "check", "path");
                    yield Rule.of(name, path(e, source), Rule.Type.PRESENT, Set.of(), null, null, null, List.of(), null);
                }
                case "one-of" -> {
                    allowOnly(e, source, "name", "check", "path", "values");
                    JsonNode values = e.get("values");
                    if (values == null || !values.isArray() || values.isEmpty()) {
                        throw new ContractFormatException(source + ": '" + name + "' needs \"values\", a non-empty list");
                    }
                    Set<String> set = new LinkedHashSet<>();
                    values.forEach(v -> set.add(v.asString()));
                    yield Rule.of(name, path(e, source), Rule.Type.ONE_OF, set, null, null, null, List.of(), null);
                }
                case "range", "size" -> {
                    allowOnly(e, source, "name", "check", "path", "min", "max");
                    BigDecimal min = number(e, "min", name, source);
                    BigDecimal max = number(e, "max", name, source);
                    if (min.compareTo(max) > 0) {
                        throw new ContractFormatException(source + ": '" + name + "' has min " + min + " above max " + max);
                    }
                    yield Rule.of(name, path(e, source), check.equals("range") ? Rule.Type.RANGE : Rule.Type.SIZE, Set.of(), min, max,
                            null, List.of(), null);
                }
                case "pattern" -> {
                    allowOnly(e, source, "name", "check", "path", "regex");
                    String regex = text(e, "regex", source);
                    try {
                        yield Rule.of(name, path(e, source), Rule.Type.PATTERN, Set.of(), null, null, Pattern.compile(regex), List.of(), null);
                    } catch (PatternSyntaxException bad) {
                        throw new ContractFormatException(source + ": '" + name + "' has an invalid regex: " + bad.getDescription(), bad);
                    }
                }
                case "unverifiable" -> {
                    allowOnly(e, source, "name", "check", "note");
                    yield Rule.of(name, "", Rule.Type.PREDICATE, Set.of(), null, null, null, List.of(), null);
                }
                default -> throw new ContractFormatException(source + ": '" + name + "' has check '" + check
                        + "'; allowed: present, one-of, range, pattern, size, each, unverifiable");
            };
            rules.add(rule);
        }
        return rules;
    }

    private static void allowOnly(JsonNode node, String source, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!ok.contains(field.getKey())) {
                throw new ContractFormatException(source + ": unknown field \"" + field.getKey() + "\"; allowed here: "
                        + String.join(", ", List.of(allowed)));
            }
        }
    }

    private static String text(JsonNode node, String field, String source) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw new ContractFormatException(source + ": \"" + field + "\" must be a string, but was " + (v == null ? "absent" : v.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return v.stringValue();
    }

    private static String path(JsonNode node, String source) {
        String path = text(node, "path", source);
        try {
            Contract.of("check", Object.class).present("path-check", path); // same path rules as in code
        } catch (InvalidSpecException e) {
            throw new ContractFormatException(source + ": " + e.getMessage(), e);
        }
        return path;
    }

    private static BigDecimal number(JsonNode node, String field, String name, String source) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new ContractFormatException(source + ": '" + name + "' needs \"" + field + "\", a number");
        }
        return v.decimalValue();
    }

    /**
     * Checks a contract on a JSON document within the default limits.
     *
     * @param contract the contract (built in code or read from a file)
     * @param json the document's bytes
     * @return the result; free predicates are listed as unverified
     */
    public static ContractResult check(Contract<?> contract, byte[] json) {
        return DEFAULT.check(Objects.requireNonNull(contract, "contract"), Objects.requireNonNull(json, "json"));
    }

    /**
     * Checks a contract on a JSON document within the default limits.
     *
     * @param contract the contract
     * @param json the document
     * @return the result
     */
    public static ContractResult check(Contract<?> contract, String json) {
        return check(contract, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks a contract on a JSON document read from a stream, within the given limits: reads at most
     * {@code maxBytes + 1} bytes, so an endless stream is cut off.
     *
     * @param contract the contract
     * @param json the stream; not closed
     * @param maxBytes the largest document accepted, 1 byte to 1 GiB
     * @param maxDepth the deepest nesting accepted, 1 to 10,000
     * @return the result
     * @throws IOException if the stream fails
     * @throws InvalidSpecException if a limit is out of range
     */
    public static ContractResult check(Contract<?> contract, InputStream json, long maxBytes, int maxDepth) throws IOException {
        if (maxBytes < 1 || maxBytes > (1L << 30)) {
            throw new InvalidSpecException("maxBytes", maxBytes, "between 1 and " + (1L << 30));
        }
        if (maxDepth < 1 || maxDepth > 10_000) {
            throw new InvalidSpecException("maxDepth", maxDepth, "between 1 and 10000");
        }
        return new JsonReading(maxBytes, maxDepth).check(Objects.requireNonNull(contract, "contract"), json);
    }
}
