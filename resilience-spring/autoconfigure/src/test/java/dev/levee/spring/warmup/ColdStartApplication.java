package dev.levee.spring.warmup;

import dev.levee.spring.http.UpstreamRestClients;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * An application started in a JVM of its own by {@link WarmUpTests}: once started, it makes its first call to the
 * upstream at {@code args[0]} through a bound RestClient whose single attempt has 150 ms.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ColdStartApplication {

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ColdStartApplication.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off",
                        "logging.level.dev.levee.spring.autoconfigure=DEBUG",
                        "levee.upstreams.pricing.attempt-timeout=150ms",
                        "levee.upstreams.pricing.deadline=150ms",
                        "levee.upstreams.pricing.retry.max-attempts=1")
                .run(args)) {
            RestClient pricing = context.getBean(UpstreamRestClients.class).builder("pricing").baseUrl(args[0]).build();
            ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
            System.out.println("first call starts");
            long loaded = classes.getTotalLoadedClassCount();
            long start = System.nanoTime();
            String body = pricing.get().uri("/prices/42").retrieve().body(String.class);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("first call loaded " + (classes.getTotalLoadedClassCount() - loaded) + " classes");
            System.out.println("first call answered in " + millis + " ms: " + body);
        }
    }
}
