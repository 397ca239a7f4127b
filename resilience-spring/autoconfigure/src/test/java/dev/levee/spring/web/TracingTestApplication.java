package dev.levee.spring.web;

import dev.levee.spring.http.UpstreamRestClients;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * An application traced by Spring Boot (OpenTelemetry bridge, spans kept in memory) whose controller calls two
 * upstreams: {@code catalog} through an {@link UpstreamRestClients} builder, {@code pricing} through an HTTP service
 * interface. Interceptors added in each way an application adds them record what they see on every exchange.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@ImportHttpServices(group = "pricing", types = TracingTestApplication.PricingClient.class)
@Import(TracingTestApplication.CheckoutController.class)
public class TracingTestApplication {

    /** Every span the application ended. */
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    /** What the recording interceptors saw, one entry per exchange they took part in. */
    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    /**
     * What an interceptor saw on one exchange.
     *
     * @param interceptor which recording interceptor
     * @param path the path requested
     * @param thread the thread it ran on
     * @param traceId the MDC's trace id
     * @param spanId the MDC's span id
     * @param requestId the MDC key the controller set
     * @param requestUri the incoming request's URI, read through {@code RequestContextHolder}
     * @param user the authenticated user, read through {@code SecurityContextHolder}
     * @param observation the current observation's name
     * @param parent the name of its parent
     * @param traceparent the request's {@code traceparent} header
     */
    record Seen(String interceptor, String path, String thread, @Nullable String traceId, @Nullable String spanId,
            @Nullable String requestId, @Nullable String requestUri, @Nullable String user, @Nullable String observation,
            @Nullable String parent, @Nullable String traceparent) {
    }

    @HttpExchange("/prices")
    public interface PricingClient {
        @GetExchange("/{sku}")
        String price(@PathVariable String sku);
    }

    @Bean
    SpanProcessor inMemorySpans() {
        return SimpleSpanProcessor.create(SPANS);
    }

    /** Added to every builder by Spring Boot's prototype, before Levee binds it. */
    @Bean
    RestClientCustomizer recordingCustomizer(ObservationRegistry observations) {
        return builder -> builder.requestInterceptor(recorder("customizer", observations));
    }

    /** An application's own group configurer: it runs before Levee's. */
    @Bean
    RestClientHttpServiceGroupConfigurer recordingGroupConfigurer(ObservationRegistry observations) {
        return groups -> groups.forEachClient((group, builder) -> builder.requestInterceptor(recorder("group", observations)));
    }

    static ClientHttpRequestInterceptor recorder(String name, ObservationRegistry observations) {
        return (request, body, execution) -> {
            Observation current = observations.getCurrentObservation();
            Observation parent = current == null ? null : current.getContextView().getParentObservation() instanceof Observation p ? p : null;
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            SEEN.add(new Seen(name, request.getURI().getPath(), Thread.currentThread().getName(), MDC.get("traceId"),
                    MDC.get("spanId"), MDC.get("requestId"),
                    RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a ? a.getRequest().getRequestURI() : null,
                    user == null ? null : user.getName(),
                    current == null ? null : current.getContextView().getName(),
                    parent == null ? null : parent.getContextView().getName(),
                    request.getHeaders().getFirst("traceparent")));
            request.getHeaders().add("X-Seen-By", name); // added per attempt: must not pile up across retries
            return execution.execute(request, body);
        };
    }

    @RestController
    static class CheckoutController {

        private final RestClient catalog;
        private final PricingClient pricing;

        CheckoutController(UpstreamRestClients clients, Environment env, PricingClient pricing, ObservationRegistry observations) {
            this.catalog = clients.builder("catalog").baseUrl(env.getRequiredProperty("app.catalog-url"))
                    .requestInterceptor(recorder("after", observations)) // added after binding
                    .build();
            this.pricing = pricing;
        }

        @GetMapping("/items/{sku}")
        String item(@PathVariable String sku, @RequestHeader("X-Request-Id") String requestId) {
            return withCallerContext(requestId, () -> catalog.get().uri("/items/{sku}", sku).retrieve().body(String.class));
        }

        @GetMapping("/prices/{sku}")
        String price(@PathVariable String sku, @RequestHeader("X-Request-Id") String requestId) {
            return withCallerContext(requestId, () -> pricing.price(sku));
        }

        /** The caller's own context (an MDC key, an authenticated user) around the call; the answer names its thread. */
        private String withCallerContext(String requestId, java.util.function.Supplier<@Nullable String> call) {
            MDC.put("requestId", requestId);
            SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", "n/a"));
            try {
                return call.get() + " thread=" + Thread.currentThread().getName() + " trace=" + MDC.get("traceId");
            } finally {
                SecurityContextHolder.clearContext();
                MDC.remove("requestId");
            }
        }
    }
}
