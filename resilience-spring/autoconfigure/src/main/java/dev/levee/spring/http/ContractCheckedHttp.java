package dev.levee.spring.http;

import dev.levee.Verdict;
import dev.levee.contract.Contract;
import dev.levee.contract.ContractAdapter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An upstream's HTTP classification with its contract: a good response's body is buffered, read as a JSON tree
 * and handed to the core's contract check; the exchange then goes on with the buffered body, which the client
 * deserializes as usual. The buffered response travels from {@link #read} to {@link #toDomain} on the attempt's
 * thread (the core calls them one after the other there), so one adapter serves concurrent exchanges.
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
        BUFFERED.remove(); // what a violation under the fail policy left behind on this thread
        return classification.classify(response);
    }

    @Override
    public Verdict<ClientHttpResponse> classifyError(Throwable error) {
        return classification.classifyError(error);
    }

    @Override
    public JsonNode read(ClientHttpResponse response) throws IOException {
        byte[] body;
        try (InputStream in = response.getBody()) {
            body = in.readNBytes(MAX_BYTES + 1);
        }
        if (body.length > MAX_BYTES) {
            response.close();
            throw new IOException("the body is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode tree = JSON.readTree(body);
        BUFFERED.set(new Buffered(response, body));
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

    /** The upstream's response with its body read into memory. */
    private static final class Buffered implements ClientHttpResponse {
        private final ClientHttpResponse response;
        private final byte[] body;

        Buffered(ClientHttpResponse response, byte[] body) {
            this.response = response;
            this.body = body;
        }

        @Override
        public HttpStatusCode getStatusCode() throws IOException {
            return response.getStatusCode();
        }

        @Override
        public String getStatusText() throws IOException {
            return response.getStatusText();
        }

        @Override
        public HttpHeaders getHeaders() {
            return response.getHeaders();
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public void close() {
            response.close();
        }
    }
}
