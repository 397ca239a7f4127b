package dev.levee.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.CallerFaultException;
import dev.levee.CircuitState;
import dev.levee.Idempotent;
import dev.levee.UpstreamFailureException;
import dev.levee.Upstreams;
import dev.levee.metrics.LeveeMeters;
import dev.levee.spring.UpstreamClient;
import dev.levee.spring.autoconfigure.LeveeAutoConfiguration;
import dev.levee.spring.autoconfigure.LeveeUpstreamClientAutoConfiguration;
import dev.levee.spring.autoconfigure.UpstreamClientAotProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;

/** {@link UpstreamClient} on a non-HTTP client: an interface, a class's methods, fallbacks, failures, AOT hints. */
@ExtendWith(OutputCaptureExtension.class)
class UpstreamClientTests {

    /** A JDBC-like repository: what the annotation is for. */
    @UpstreamClient(value = "orders-db", fallback = CachedOrders.class)
    public interface Orders {
        @Idempotent
        String find(long id);

        void save(String order);
    }

    /** A fake repository: each method fails {@code failures} times (a "connection reset"), then succeeds. */
    static class FlakyOrders implements Orders {
        private final Calls calls;

        FlakyOrders(Calls calls) {
            this.calls = calls;
        }

        @Override
        public String find(long id) {
            if (id < 0) {
                throw new IllegalArgumentException("id must be >= 0, but was " + id);
            }
            if (calls.finds.incrementAndGet() <= calls.failures) {
                throw new IllegalStateException("connection reset");
            }
            return "order " + id;
        }

        @Override
        public void save(String order) {
            if (calls.saves.incrementAndGet() <= calls.failures) {
                throw new IllegalStateException("connection reset");
            }
        }
    }

    /** What the fake repository saw; the repository bean itself is replaced by its proxy. */
    static class Calls {
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger saves = new AtomicInteger();
        volatile int failures = 1;
    }

    static class CachedOrders implements Orders {
        @Override
        public String find(long id) {
            return "cached order " + id;
        }

        @Override
        public void save(String order) {
            throw new UnsupportedOperationException("read-only while orders-db is down");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OrdersConfiguration {
        @Bean
        Calls calls() {
            return new Calls();
        }

        @Bean
        @Primary
        Orders orders(Calls calls) {
            return new FlakyOrders(calls);
        }

        @Bean
        CachedOrders cachedOrders() {
            return new CachedOrders();
        }
    }

    /** A class-based client whose one annotated method is guarded; it also calls that method on itself. */
    public static class PriceCache {
        final AtomicInteger lookups = new AtomicInteger();

        @UpstreamClient("prices-cache")
        @Idempotent
        public String price(String sku) {
            if (lookups.incrementAndGet() == 1) {
                throw new IllegalStateException("cache node down");
            }
            return sku + ": 42";
        }

        public String priceOfAll(String sku) {
            return price(sku); // self-invocation: bypasses the proxy
        }

        public String unguarded() {
            return "direct";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PriceConfiguration {
        @Bean
        PriceCache priceCache() {
            return new PriceCache();
        }
    }

    /** Every public method guarded, through the class's annotation. */
    @UpstreamClient("prices-cache")
    public static class SessionCache {
        public String session(String id) {
            throw new IllegalStateException("cache node down");
        }
    }

    @UpstreamClient(value = "prices-cache", fallback = String.class)
    public interface WronglyFallingBack {
        String get();
    }

    /** Like a Spring Data repository: a proxy of the interface around a target that does not implement it. */
    @Configuration(proxyBeanMethods = false)
    static class RepositoryProxyConfiguration {
        @Bean
        Orders orders() {
            ProxyFactory factory = new ProxyFactory(new Object());
            factory.addInterface(Orders.class);
            factory.addAdvice((MethodInterceptor) invocation -> "from the repository proxy");
            return (Orders) factory.getProxy();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LeveeAutoConfiguration.class, LeveeUpstreamClientAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("levee.warm-up.enabled=false", "levee.upstreams.orders-db.retry.max-attempts=3",
                    "levee.upstreams.orders-db.retry.initial-backoff=1ms",
                    "levee.upstreams.orders-db.classification.caller-faults=java.lang.IllegalArgumentException",
                    "levee.upstreams.prices-cache.retry.initial-backoff=1ms");

    @Test
    void runWhenARepositoryInterfaceIsAnnotatedShouldRetryOnlyItsIdempotentMethodsAndCountTheCalls() {
        runner.withUserConfiguration(OrdersConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            Orders orders = context.getBean(Orders.class);
            Calls target = context.getBean(Calls.class);
            assertThat(Proxy.isProxyClass(orders.getClass())).isTrue();
            assertThat(context.getBean(CachedOrders.class)).isNotInstanceOf(Proxy.class);

            assertThat(orders.find(7)).isEqualTo("order 7");
            assertThat(target.finds).hasValue(2); // failed once, retried: @Idempotent

            // the failure reaches the fallback bean, which refuses writes
            assertThatThrownBy(() -> orders.save("o-1")).isInstanceOf(UnsupportedOperationException.class);
            assertThat(target.saves).hasValue(1); // not idempotent: never retried

            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, "orders-db").timers().stream()
                    .mapToLong(t -> t.count()).sum()).isEqualTo(2);
        });
    }

    @Test
    void runWhenTheCallerIsAtFaultShouldThrowCallerFaultWithoutRetryingOrCountingAFailure() {
        runner.withUserConfiguration(OrdersConfiguration.class).run(context -> {
            Orders orders = context.getBean(Orders.class);
            Calls target = context.getBean(Calls.class);
            target.failures = 0;
            assertThatThrownBy(() -> orders.find(-1)).isInstanceOf(CallerFaultException.class)
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(target.finds).hasValue(0); // thrown before counting: one attempt, no retry
            assertThat(context.getBean(Upstreams.class).get("orders-db").circuitState()).isEqualTo(CircuitState.CLOSED);
        });
    }

    @Test
    void runWhenTheCircuitIsOpenShouldAnswerFromTheFallbackBean() {
        runner.withUserConfiguration(OrdersConfiguration.class).run(context -> {
            Orders orders = context.getBean(Orders.class);
            context.getBean(Upstreams.class).get("orders-db").forceCircuitOpen();
            assertThat(orders.find(7)).isEqualTo("cached order 7");
            assertThat(context.getBean(Calls.class).finds).hasValue(0);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, "orders-db")
                    .tag(LeveeMeters.TAG_FALLBACK, "true").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void runWhenTheUpstreamIsUnknownShouldFailStartupNamingTheBeanTheNameAndTheRegisteredUpstreams() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LeveeAutoConfiguration.class, LeveeUpstreamClientAutoConfiguration.class))
                .withPropertyValues("levee.warm-up.enabled=false", "levee.upstreams.inventory.owner=team")
                .withUserConfiguration(PriceConfiguration.class)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("bean 'priceCache'").hasMessageContaining("'prices-cache'")
                        .hasMessageContaining("registered upstreams: [inventory]"));
    }

    @Test
    void runWhenAMethodOfAClassBeanIsAnnotatedShouldGuardThatMethodOnly() {
        runner.withUserConfiguration(PriceConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            PriceCache cache = context.getBean(PriceCache.class);
            assertThat(AopUtils.isCglibProxy(cache)).isTrue();
            assertThat(cache.price("sku-1")).isEqualTo("sku-1: 42"); // failed once, retried
            assertThat(cache.unguarded()).isEqualTo("direct");
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.find(LeveeMeters.CALLS).tag(LeveeMeters.TAG_UPSTREAM, "prices-cache").timers()).isNotEmpty();
        });
    }

    @Test
    void runWhenAGuardedMethodIsCalledOnItselfShouldBypassTheUpstreamAndWarnAtStartup(CapturedOutput output) {
        runner.withUserConfiguration(PriceConfiguration.class).run(context -> {
            assertThat(output).contains("@UpstreamClient bean 'priceCache'").contains("priceOfAll -> price");
            PriceCache cache = context.getBean(PriceCache.class);
            // the inner call reaches the target, not the proxy: its failure is not retried
            assertThatThrownBy(() -> cache.priceOfAll("sku-1")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cache node down");
        });
    }

    @Test
    void runWhenAClassIsAnnotatedShouldGuardEveryPublicMethod() {
        runner.withBean(SessionCache.class).run(context -> {
            SessionCache cache = context.getBean(SessionCache.class);
            assertThatThrownBy(() -> cache.session("s-1")).isInstanceOf(UpstreamFailureException.class)
                    .hasRootCauseMessage("cache node down");
            assertThat(context.getBean(MeterRegistry.class).get(LeveeMeters.CALLS)
                    .tag(LeveeMeters.TAG_UPSTREAM, "prices-cache").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void runWhenTheBeanIsAProxyOfTheAnnotatedInterfaceShouldProtectIt() {
        runner.withUserConfiguration(RepositoryProxyConfiguration.class).withBean(CachedOrders.class).run(context -> {
            Orders orders = context.getBean("orders", Orders.class);
            assertThat(orders).hasToString("Orders guarded by upstream 'orders-db'");
            assertThat(orders.find(1)).isEqualTo("from the repository proxy");
        });
    }

    @Test
    void runWhenTheFallbackIsNotOfTheAnnotatedTypeShouldFailStartup() {
        runner.withBean(WronglyFallingBack.class, () -> () -> "live").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("names fallback java.lang.String, which is not a "
                        + WronglyFallingBack.class.getName()));
    }

    @Test
    void runAheadOfTimeShouldRegisterTheProxyAndReflectionHintsOfAnAnnotatedInterface() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerBeanDefinition("orders", new RootBeanDefinition(FlakyOrders.class));
        beans.registerBeanDefinition("priceCache", new RootBeanDefinition(PriceCache.class));
        RuntimeHints hints = new RuntimeHints();
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(UpstreamClientTests.class)), new InMemoryGeneratedFiles(), hints);
        UpstreamClientAotProcessor processor = new UpstreamClientAotProcessor();
        for (String name : beans.getBeanDefinitionNames()) {
            BeanRegistrationAotContribution contribution = processor.processAheadOfTime(RegisteredBean.of(beans, name));
            assertThat(contribution).as(name).isNotNull();
            contribution.applyTo(generation, null);
        }
        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(Orders.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Orders.class, "find")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(CachedOrders.class, "find")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PriceCache.class, "price")).accepts(hints);
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(BeanRegistrationAotProcessor.class)).hasAtLeastOneElementOfType(UpstreamClientAotProcessor.class);
    }
}
