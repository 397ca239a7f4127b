package dev.levee.spring.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.levee.ContractViolationException;
import dev.levee.contract.Contract;
import dev.levee.metrics.LeveeMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * A {@link Contract} bean checked on RestClient responses over real HTTP, under each upstream's
 * {@code levee.upstreams.<name>.contract.action}: the fallback answers a broken response (the default), a
 * {@code record} upstream lets it through and counts it, a {@code fail} upstream throws; a good response reaches
 * the client's own deserialization untouched.
 */
@SpringBootTest(classes = UpstreamHttpContractIntegrationTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "levee.defaults.retry.max-attempts=3",
                "levee.defaults.retry.initial-backoff=10ms",
                "levee.upstreams.quotes.owner=pricing-team",
                "levee.upstreams.quotes-record.contract.action=record",
                "levee.upstreams.quotes-fail.contract.action=fail" })
class UpstreamHttpContractIntegrationTests {

    static final WireMockServer PRICING = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

    static {
        PRICING.start();
    }

    /** The consumer's own type of a quote, and what it relies on in it. */
    record Quote(BigDecimal amount, String currency) {
        static final Contract<Quote> CONTRACT = Contract.of("pricing-quote", Quote.class)
                .present("has-amount", "amount")
                .oneOf("known-currency", "currency", "EUR", "USD")
                .build();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        UpstreamHttpContract quotesContract() {
            return UpstreamHttpContract.of("quotes", Quote.CONTRACT);
        }

        @Bean
        UpstreamHttpContract quotesRecordContract() {
            return UpstreamHttpContract.of("quotes-record", Quote.CONTRACT);
        }

        @Bean
        UpstreamHttpContract quotesFailContract() {
            return UpstreamHttpContract.of("quotes-fail", Quote.CONTRACT);
        }

        @Bean
        UpstreamHttpFallback quotesFallback() {
            return UpstreamHttpFallback.json("quotes", "{\"amount\": 0, \"currency\": \"EUR\"}");
        }

        @Bean
        UpstreamHttpFallback quotesFailFallback() {
            return UpstreamHttpFallback.json("quotes-fail", "{\"amount\": 0, \"currency\": \"EUR\"}");
        }
    }

    @Autowired
    UpstreamRestClients clients;

    @Autowired
    MeterRegistry meters;

    @AfterEach
    void reset() {
        PRICING.resetAll();
    }

    @AfterAll
    static void stop() {
        PRICING.stop();
    }

    private Quote quote(String upstream, String body) {
        PRICING.stubFor(get("/quotes/1").willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
        return clients.builder(upstream).baseUrl(PRICING.baseUrl()).build().get().uri("/quotes/1").retrieve().body(Quote.class);
    }

    private double violations(String upstream, String expectation) {
        Counter c = meters.find(LeveeMeters.CONTRACT_VIOLATIONS).tag(LeveeMeters.TAG_UPSTREAM, upstream)
                .tag(LeveeMeters.TAG_EXPECTATION, expectation).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aGoodResponseReachesTheClientsDeserializationUntouched() {
        assertThat(quote("quotes", "{\"amount\": 12.50, \"currency\": \"USD\", \"added\": [1, 2]}"))
                .isEqualTo(new Quote(new BigDecimal("12.50"), "USD"));
        assertThat(violations("quotes", "known-currency")).isZero();
    }

    @Test
    void byDefaultABrokenResponseIsAnsweredByTheFallbackCountedAndNotRetried() {
        double before = violations("quotes", "known-currency");

        assertThat(quote("quotes", "{\"amount\": 12.50, \"currency\": \"XBT\"}")).isEqualTo(new Quote(BigDecimal.ZERO, "EUR"));

        assertThat(violations("quotes", "known-currency")).isEqualTo(before + 1);
        PRICING.verify(1, getRequestedFor(urlEqualTo("/quotes/1")));
    }

    @Test
    void aRecordUpstreamLetsABrokenResponseThroughAndCountsIt() {
        double before = violations("quotes-record", "has-amount");

        assertThat(quote("quotes-record", "{\"currency\": \"EUR\"}")).isEqualTo(new Quote(null, "EUR"));

        assertThat(violations("quotes-record", "has-amount")).isEqualTo(before + 1);
    }

    @Test
    void aFailUpstreamThrowsTheViolationEvenWithAFallback() {
        assertThatThrownBy(() -> quote("quotes-fail", "{\"amount\": 1, \"currency\": \"XBT\"}"))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.upstream()).isEqualTo("quotes-fail");
                    assertThat(e.expectation()).isEqualTo("known-currency");
                });
    }

    @Test
    void aBodyThatIsNotJsonIsUnreadable() {
        assertThat(quote("quotes", "<html>maintenance</html>")).isEqualTo(new Quote(BigDecimal.ZERO, "EUR"));
        assertThat(violations("quotes", Contract.UNREADABLE)).isGreaterThanOrEqualTo(1);
    }
}
