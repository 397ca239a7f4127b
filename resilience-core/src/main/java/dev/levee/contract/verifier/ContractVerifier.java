package dev.levee.contract.verifier;

import dev.levee.contract.Contract;
import dev.levee.contract.ContractResult;
import dev.levee.contract.json.ContractFormatException;
import dev.levee.contract.json.ContractJson;
import dev.levee.contract.testkit.ContractStubs;
import dev.levee.contract.testkit.StubResult;
import dev.levee.internal.contract.JsonReading;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The provider's verifier: checks a consumer's contract file against the provider's own responses, without
 * Levee's call path — live, from a base URL, or from a folder of recorded responses. Prints a pass/fail
 * report naming every broken expectation (path, kind) and exits non-zero if any response breaks the contract.
 *
 * <pre>
 * mvn exec:java -Dexec.mainClass=dev.levee.contract.verifier.ContractVerifier \
 *     -Dexec.args="--contract pricing-quote.json --base-url http://localhost:8080 --path /prices/ABC-1"
 * java -cp levee-core.jar:jackson-databind.jar:jackson-core.jar:jackson-annotations.jar \
 *     dev.levee.contract.verifier.ContractVerifier --contract pricing-quote.json --responses recorded/
 * </pre>
 *
 * <p>Exit status: 0 every response meets the contract; 1 a response breaks it, could not be read, or could not
 * be fetched; 2 bad arguments or an unreadable contract file.
 *
 * @since 0.2
 */
public final class ContractVerifier {

    /** Exit status when every response meets the contract. */
    public static final int PASS = 0;
    /** Exit status when a response breaks the contract, could not be read, or could not be fetched. */
    public static final int FAIL = 1;
    /** Exit status for bad arguments or an unreadable contract file. */
    public static final int USAGE = 2;

    static final String HELP = """
            usage: ContractVerifier --contract <file> (--base-url <url> --path <path>... | --responses <folder>)
                                    [--timeout <seconds>] [--max-bytes <n>]
              --contract   the consumer's contract file (written by ContractJson.write)
              --base-url   the provider's base URL; with one --path per request to check (GET)
              --responses  a folder of recorded response bodies (.json), or one file
              --timeout    per request, seconds (default 10)
              --max-bytes  the largest response read (default 4194304)
            exit status: 0 pass, 1 a response breaks the contract, 2 bad arguments""";

    private ContractVerifier() {
    }

    /**
     * Runs the verifier and exits with its status.
     *
     * @param args the arguments; {@code --help} lists them
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the verifier without exiting: the seam for tests and for a provider's own build code.
     *
     * @param args the arguments
     * @param out where the report goes
     * @param err where usage errors go
     * @return the exit status: {@link #PASS}, {@link #FAIL} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String contractFile = null;
        String baseUrl = null;
        String responses = null;
        List<String> paths = new ArrayList<>();
        long timeoutSeconds = 10;
        long maxBytes = ContractJson.DEFAULT_MAX_DOCUMENT_BYTES;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    out.println(HELP);
                    return PASS;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--contract" -> contractFile = v;
                    case "--base-url" -> baseUrl = v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
                    case "--path" -> paths.add(v.startsWith("/") ? v : "/" + v);
                    case "--responses" -> responses = v;
                    case "--timeout" -> timeoutSeconds = bounded(a, v, 1, 600);
                    case "--max-bytes" -> maxBytes = bounded(a, v, 1, 1L << 30);
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            if (contractFile == null) {
                throw new IllegalArgumentException("--contract is required");
            }
            if ((baseUrl == null) == (responses == null)) {
                throw new IllegalArgumentException("give either --base-url (with --path) or --responses");
            }
            if (baseUrl != null && paths.isEmpty()) {
                throw new IllegalArgumentException("--base-url needs at least one --path");
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(HELP);
            return USAGE;
        }
        Contract<Object> contract;
        try {
            contract = ContractJson.read(Path.of(contractFile));
        } catch (ContractFormatException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        }
        List<StubResult> results;
        if (responses != null) {
            out.println("Contract '" + contract.name() + "' against recorded responses in " + responses);
            try {
                results = ContractStubs.verifyRecorded(contract, Path.of(responses)).stubs();
            } catch (UncheckedIOException e) {
                err.println("error: " + e.getMessage());
                return USAGE;
            }
        } else {
            out.println("Contract '" + contract.name() + "' against " + baseUrl);
            results = fetch(contract, baseUrl, paths, Duration.ofSeconds(timeoutSeconds), maxBytes);
        }
        return report(contract, results, out);
    }

    private static List<StubResult> fetch(Contract<Object> contract, String baseUrl, List<String> paths, Duration timeout, long maxBytes) {
        JsonReading json = new JsonReading(maxBytes, ContractJson.DEFAULT_MAX_NESTING_DEPTH);
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        List<StubResult> results = new ArrayList<>();
        for (String path : paths) {
            String name = "GET " + path;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                        .header("Accept", "application/json").GET().build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    int status = response.statusCode();
                    if (status < 200 || status > 299) {
                        results.add(new StubResult(name, baseUrl, status, null, "the provider answered " + status));
                        continue;
                    }
                    results.add(new StubResult(name, baseUrl, status, json.check(contract, body), ""));
                }
            } catch (IOException | IllegalArgumentException e) {
                results.add(new StubResult(name, baseUrl, 0, null, "no response: " + e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(new StubResult(name, baseUrl, 0, null, "interrupted"));
                break;
            }
        }
        return results;
    }

    private static int report(Contract<Object> contract, List<StubResult> results, PrintStream out) {
        int failed = 0;
        List<String> broken = new ArrayList<>();
        for (StubResult r : results) {
            out.print(r.report());
            ContractResult result = r.result();
            if (result == null || !result.holds()) {
                failed++;
            }
            if (result != null) {
                for (String e : result.broken()) {
                    if (!broken.contains(e)) {
                        broken.add(e);
                    }
                }
            }
        }
        if (results.isEmpty()) {
            out.println("FAIL: no response to verify");
            return FAIL;
        }
        if (!contract.unverifiable().isEmpty()) {
            out.println("not verifiable here (free predicates in the consumer's code): " + String.join(", ", contract.unverifiable()));
        }
        if (failed == 0) {
            out.println("PASS: " + results.size() + " of " + results.size() + " responses meet contract '" + contract.name() + "'");
            return PASS;
        }
        out.println("FAIL: " + failed + " of " + results.size() + " responses do not meet contract '" + contract.name() + "'"
                + (broken.isEmpty() ? "" : "; broken: " + String.join(", ", broken)));
        return FAIL;
    }

    private static long bounded(String arg, String value, long min, long max) {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(arg + " must be a whole number, but was '" + value + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(arg + " must be between " + min + " and " + max + ", but was " + v);
        }
        return v;
    }
}
