package dev.levee.contract.testkit;

import dev.levee.contract.Contract;
import dev.levee.contract.ContractResult;
import dev.levee.contract.json.ContractJson;
import dev.levee.internal.contract.JsonReading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Verifies a contract against the stubs a consumer's tests already use — WireMock stub mapping files — and
 * against recorded responses, so a stub that no longer matches what the consumer relies on (or a contract
 * that no longer matches the stubs) fails the build, with a report naming, for each stub, the expectations
 * that hold and those that do not (path, kind).
 *
 * <pre>{@code
 * @Test
 * void theStubsMeetTheContract() {
 *     ContractStubs.verifyMappings(Quote.CONTRACT, Path.of("src/test/resources/wiremock")).assertHolds();
 * }
 * }</pre>
 *
 * <p>A mapping file holds one mapping ({@code {"request": ..., "response": ...}}) or several
 * ({@code {"mappings": [...]}}); the response body is its {@code jsonBody}, its {@code body}, or its
 * {@code bodyFileName} (under {@code __files} beside {@code mappings}, WireMock's layout). A stub answering
 * with a status outside 2xx is skipped: the contract is about good responses. Bodies are read within
 * {@link ContractJson}'s default limits. Needs Jackson 3 on the test class path.
 *
 * @since 0.2
 */
public final class ContractStubs {

    private static final JsonReading JSON = new JsonReading(ContractJson.DEFAULT_MAX_DOCUMENT_BYTES, ContractJson.DEFAULT_MAX_NESTING_DEPTH);

    private ContractStubs() {
    }

    /**
     * Verifies a contract against WireMock stub mapping files.
     *
     * @param contract the contract
     * @param location a mapping file, a {@code mappings} folder, or a WireMock root holding {@code mappings}
     * @return the report, one result per stub
     * @throws UncheckedIOException if the files cannot be read
     * @throws IllegalArgumentException if a file is not a stub mapping
     */
    public static StubReport verifyMappings(Contract<?> contract, Path location) {
        Objects.requireNonNull(contract, "contract");
        Path mappings = Files.isDirectory(location.resolve("mappings")) ? location.resolve("mappings") : location;
        Path files = (Files.isDirectory(mappings) ? mappings : mappings.toAbsolutePath().getParent()).resolveSibling("__files");
        List<StubResult> results = new ArrayList<>();
        for (Path file : jsonFiles(mappings)) {
            JsonNode root;
            try {
                root = JSON.mapper().readTree(Files.readAllBytes(file));
            } catch (JacksonException e) {
                throw new IllegalArgumentException(file + " is not a WireMock stub mapping: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<JsonNode> stubs = new ArrayList<>();
            if (root.has("mappings")) {
                root.get("mappings").forEach(stubs::add);
            } else {
                stubs.add(root);
            }
            for (int i = 0; i < stubs.size(); i++) {
                results.add(verifyStub(contract, stubs.get(i), file, stubs.size() > 1 ? i : -1, files));
            }
        }
        return new StubReport(contract.name(), results);
    }

    /**
     * Verifies a contract against recorded responses: every {@code .json} file in the folder (or the file
     * itself) is one response body.
     *
     * @param contract the contract
     * @param location a folder of recorded bodies, or one body file
     * @return the report, one result per file
     * @throws UncheckedIOException if the files cannot be read
     */
    public static StubReport verifyRecorded(Contract<?> contract, Path location) {
        Objects.requireNonNull(contract, "contract");
        List<StubResult> results = new ArrayList<>();
        for (Path file : jsonFiles(location)) {
            try {
                results.add(new StubResult(file.getFileName().toString(), file.toString(), 200,
                        JSON.check(contract, Files.readAllBytes(file)), ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new StubReport(contract.name(), results);
    }

    private static StubResult verifyStub(Contract<?> contract, JsonNode stub, Path file, int index, Path files) {
        if (!stub.has("request") || !stub.has("response")) {
            throw new IllegalArgumentException(file + (index >= 0 ? " mapping " + index : "")
                    + " is not a WireMock stub mapping: it needs \"request\" and \"response\"");
        }
        String name = name(stub, file, index);
        JsonNode response = stub.get("response");
        int status = response.path("status").asInt(200);
        if (status < 200 || status > 299) {
            return new StubResult(name, file.toString(), status, null, "an error status: the contract is about good responses");
        }
        ContractResult result;
        if (response.has("jsonBody")) {
            result = JsonReading.check(contract, response.get("jsonBody"));
        } else if (response.has("body")) {
            result = JSON.check(contract, response.get("body").asString().getBytes(StandardCharsets.UTF_8));
        } else if (response.has("bodyFileName")) {
            Path body = files.resolve(response.get("bodyFileName").asString());
            try {
                result = JSON.check(contract, Files.readAllBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException("stub " + name + " in " + file + ": cannot read its body file " + body, e);
            }
        } else {
            return new StubResult(name, file.toString(), status, null, "no body: nothing to check");
        }
        return new StubResult(name, file.toString(), status, result, "");
    }

    private static String name(JsonNode stub, Path file, int index) {
        if (stub.has("name")) {
            return stub.get("name").asString();
        }
        JsonNode request = stub.get("request");
        for (String key : new String[] {"url", "urlPath", "urlPattern", "urlPathPattern", "urlPathTemplate"}) {
            if (request.has(key)) {
                return request.path("method").asString("ANY") + " " + request.get(key).asString();
            }
        }
        return file.getFileName() + (index >= 0 ? "#" + index : "");
    }

    private static List<Path> jsonFiles(Path location) {
        if (!Files.isDirectory(location)) {
            if (!Files.isRegularFile(location)) {
                throw new UncheckedIOException(new IOException("no such file or folder: " + location));
            }
            return List.of(location);
        }
        try (Stream<Path> walk = Files.walk(location)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
