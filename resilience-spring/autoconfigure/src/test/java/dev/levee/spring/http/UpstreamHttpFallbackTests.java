package dev.levee.spring.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withStatus;

import dev.levee.UpstreamFailureException;
import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.client.ExpectedCount;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;

/**
 * Building fallbacks and giving them to {@link UpstreamRestClients}, without a Spring context: what is refused, and
 * which fallback answers.
 */
class UpstreamHttpFallbackTests {

    private final Upstreams upstreams = Upstreams.builder().build();
    private final UpstreamRestClients clients;

    UpstreamHttpFallbackTests() {
        upstreams.register(UpstreamSpec.named("shop").build());
        upstreams.register(UpstreamSpec.named("bank").build());
        clients = new UpstreamRestClients(upstreams, Map.of(), null, RestClient::builder);
    }

    @AfterEach
    void close() {
        upstreams.close();
    }

    @Test
    void aFallbackForAnUnknownUpstreamIsRefusedNamingTheRegisteredOnes() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> clients.withFallbacks(List.of(UpstreamHttpFallback.json("shpo", "[]"))))
                .withMessageContaining("shpo").withMessageContaining("shop");
    }

    @Test
    void twoFallbacksForOneUpstreamAreRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> clients.withFallbacks(List.of(UpstreamHttpFallback.json("shop", "[]"),
                        UpstreamHttpFallback.json("shop", "{}"))))
                .withMessage("upstream 'shop' has two fallbacks: UpstreamHttpFallback[shop] and UpstreamHttpFallback[shop]");
    }

    @Test
    void anInterceptorRefusesTheFallbackOfAnotherUpstream() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> clients.interceptor("shop").fallingBackTo(UpstreamHttpFallback.json("bank", "[]")))
                .withMessage("the fallback of upstream 'bank' cannot answer for upstream 'shop'");
    }

    @Test
    void aServiceFallbackNeedsAnInterface() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> UpstreamServiceFallback.of("shop", String.class, "x"))
                .withMessage("service must be an interface, but was java.lang.String");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> clients.withFallback("shop", String.class, "x", "y"))
                .withMessage("service must be an interface, but was java.lang.String");
    }

    @Test
    void aPerCallFallbackForAnUnknownUpstreamIsRefused() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> clients.call("nope", () -> "x", failure -> "y"))
                .withMessageContaining("nope");
    }

    @Test
    void onlyTheFallbackOfTheUpstreamAnswersItsExchanges() {
        UpstreamRestClients withFallbacks = clients.withFallbacks(List.of(UpstreamHttpFallback.of("bank",
                (request, failure) -> UpstreamHttpFallback.response(HttpStatus.OK, MediaType.TEXT_PLAIN, "bank fallback"))));
        RestClient.Builder shopBuilder = withFallbacks.builder("shop");
        RestClient.Builder bankBuilder = withFallbacks.builder("bank");
        MockRestServiceServer shop = MockRestServiceServer.bindTo(shopBuilder).build();
        MockRestServiceServer bank = MockRestServiceServer.bindTo(bankBuilder).build();
        shop.expect(ExpectedCount.once(), requestTo("http://shop.test/a")).andRespond(withStatus(HttpStatus.BAD_GATEWAY));
        bank.expect(ExpectedCount.once(), requestTo("http://bank.test/a")).andRespond(withStatus(HttpStatus.BAD_GATEWAY));

        assertThatExceptionOfType(UpstreamFailureException.class)
                .isThrownBy(() -> shopBuilder.build().post().uri("http://shop.test/a").retrieve().body(String.class));
        assertThat(bankBuilder.build().post().uri("http://bank.test/a").retrieve().body(String.class)).isEqualTo("bank fallback");
        shop.verify();
        bank.verify();
    }
}
