package dev.levee.spring.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.UpstreamSpec;
import dev.levee.Upstreams;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ResolvableType;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;

/** Which beans {@link UpstreamServiceFallbackPostProcessor} wraps, and the WARN for a fallback that found none. */
@ExtendWith(OutputCaptureExtension.class)
class UpstreamServiceFallbackPostProcessorTests {

    interface Quotes {
        @GetExchange("/quote")
        String quote();
    }

    interface NotHttp {
        String quote();
    }

    private final Upstreams upstreams = Upstreams.builder().build();
    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    private final UpstreamServiceFallbackPostProcessor processor;

    UpstreamServiceFallbackPostProcessorTests() {
        upstreams.register(UpstreamSpec.named("quotes").build());
        beans.registerSingleton("restClients", new UpstreamRestClients(upstreams, Map.of(), null, RestClient::builder));
        beans.registerSingleton("quotesFallback", UpstreamServiceFallback.of("quotes", Quotes.class, () -> "fallback"));
        beans.registerSingleton("notHttpFallback", UpstreamServiceFallback.of("quotes", NotHttp.class, () -> "fallback"));
        processor = new UpstreamServiceFallbackPostProcessor(beans.getBeanProvider(UpstreamRestClients.class),
                beans.getBeanProvider(ResolvableType.forClass(UpstreamServiceFallback.class)));
    }

    @AfterEach
    void close() {
        upstreams.close();
    }

    @Test
    void aProxyOfAnHttpServiceInterfaceWithAFallbackIsWrappedAndNothingElse(CapturedOutput output) {
        Quotes client = proxy(Quotes.class, () -> "live");
        NotHttp notHttp = proxy(NotHttp.class, () -> "live");
        Quotes plain = () -> "plain";

        Object wrapped = processor.postProcessAfterInitialization(client, "quotes");

        assertThat(wrapped).isNotSameAs(client).isInstanceOf(Quotes.class);
        assertThat(((Quotes) wrapped).quote()).isEqualTo("live");
        assertThat(wrapped).hasToString("Quotes of upstream 'quotes', with a fallback");
        assertThat(processor.postProcessAfterInitialization(notHttp, "notHttp")).isSameAs(notHttp);
        assertThat(processor.postProcessAfterInitialization(plain, "plain")).isSameAs(plain);

        processor.afterSingletonsInstantiated();
        assertThat(output).contains("UpstreamServiceFallback[quotes, " + NotHttp.class.getName() + "] falls back for no bean")
                .doesNotContain("UpstreamServiceFallback[quotes, " + Quotes.class.getName() + "] falls back for no bean");
    }

    private static <T> T proxy(Class<T> type, T target) {
        ProxyFactory factory = new ProxyFactory(target);
        factory.addInterface(type);
        return type.cast(factory.getProxy());
    }
}
