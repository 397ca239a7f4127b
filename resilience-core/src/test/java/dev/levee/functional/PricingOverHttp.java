package dev.levee.functional;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.levee.Upstreams;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the functional tests: a pricing upstream on WireMock (loopback, dynamic port) reached
 * through a real {@link HttpClient}, reset before each test, and a fresh {@link Upstreams} with a recording
 * observer, closed after each.
 */
abstract class PricingOverHttp {

    static final String UPSTREAM = "pricing";
    static final String PATH = "/prices/A1";
    static final String GOOD_BODY = "{\"sku\":\"A1\",\"price\":12.50}";
    static final Price GOOD_PRICE = new Price("A1", new BigDecimal("12.50"));

    static WireMockServer wm;
    static HttpClient http;
    static URI uri;

    final RecordingObserver.Factory observers = new RecordingObserver.Factory();
    final Upstreams upstreams = Upstreams.builder().observer(observers).build();

    @BeforeAll
    static void startUpstream() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40).jettyStopTimeout(500L));
        wm.start();
        uri = URI.create("http://127.0.0.1:" + wm.port() + PATH);
        http = CallMode.newHttpClient();
    }

    @AfterAll
    static void stopUpstream() {
        wm.stop();
    }

    @BeforeEach
    void resetUpstream() {
        wm.resetAll();
    }

    @AfterEach
    void closeUpstreams() {
        upstreams.close();
    }
}
