package dev.levee.spring.http;

import dev.levee.Verdict;
import dev.levee.contract.Contract;
import dev.levee.contract.ContractAdapter;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpResponse;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An upstream's HTTP classification with its contract: a good response's body is buffered, read as a JSON tree
 * and handed to the core's contract check; the exchange then goes on with the buffered body, which the client
 * deserializes as usual. The buffered response travels from {@link #read} to {@link #toDomain} on the attempt's
 * thread (the core calls them one after the other there), so one adapter serves concurrent exchanges. The
 * upstream's response is closed as soon as it is read: a response the contract rejects holds no connection.
 */
final class ContractCheckedHttp implements ContractAdapter<ClientHttpResponse, JsonNode, ClientHttpResponse> {

    /** The largest body checked: a larger one is unreadable. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(MAX_BYTES).maxNestingDepth(256).build())
            .build()).build();

    private static final ThreadLocal<@Nullable ClientHttpResponse> BUFFERED = new ThreadLocal<>();

    private final HttpClassification classification;
    private final Contract<Object> contract;

    @SuppressWarnings("unchecked")
    ContractCheckedHttp(HttpClassification classification, Contract<?> contract) {
        this.classification = classification;
        this.contract = (Contract<Object>) contract;
    }

    @Override
    public Verdict<ClientHttpResponse> classify(ClientHttpResponse response) {
        BUFFERED.remove(); // what a broken contract left behind on this thread (already closed)
        return classification.classify(response);
    }

    @Override
    public Verdict<ClientHttpResponse> classifyError(Throwable error) {
        return classification.classifyError(error);
    }

    @Override
    public JsonNode read(ClientHttpResponse response) throws IOException {
        byte[] body;
        ClientHttpResponse buffered;
        try (response) { // read whole, then released at once: nothing is left open whatever the contract decides
            try (InputStream in = response.getBody()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
            if (body.length > MAX_BYTES) {
                throw new IOException("the body is larger than " + MAX_BYTES + " bytes");
            }
            buffered = new UpstreamHttpFallback.Response(response.getStatusCode(), HttpHeaders.readOnlyHttpHeaders(response.getHeaders()), body);
        }
        JsonNode tree = JSON.readTree(body);
        BUFFERED.set(buffered);
        return tree;
    }

    @Override
    public Contract<? super JsonNode> contract() {
        return contract;
    }

    @Override
    public ClientHttpResponse toDomain(JsonNode value) {
        ClientHttpResponse buffered = BUFFERED.get();
        BUFFERED.remove();
        if (buffered == null) {
            throw new IllegalStateException("no buffered response on this thread");
        }
        return buffered;
    }
}
