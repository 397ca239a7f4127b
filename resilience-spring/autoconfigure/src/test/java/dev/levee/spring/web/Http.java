package dev.levee.spring.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Requests to the application under test, on loopback. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final int port;

    Http(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return send("GET", path, headers, null);
    }

    HttpResponse<String> postJson(String path, String json) throws Exception {
        return send("POST", path, Map.of("Content-Type", "application/json"), json);
    }

    /** A WireMock server on a free loopback port, started. */
    static com.github.tomakehurst.wiremock.WireMockServer startedWireMock() {
        com.github.tomakehurst.wiremock.WireMockServer server = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    /** A string at a JSON path of a response's body. */
    static String json(HttpResponse<String> response, String path) {
        return com.jayway.jsonpath.JsonPath.read(response.body(), path);
    }

    HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
