package dev.levee.spring.http;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.service.annotation.HttpExchange;

/**
 * Gives HTTP service client beans their {@link UpstreamServiceFallback}: a bean that is a Spring proxy of an
 * HTTP service interface (one with {@code @HttpExchange} on it or its methods, as {@code @ImportHttpServices}
 * clients are) that some fallback is for is replaced by
 * {@link UpstreamRestClients#withFallback(String, Class, Object, Object)} of it. The fallback beans are looked up
 * when the first such proxy is made; a fallback whose interface has no client bean is named in a WARN once the
 * singletons are made.
 *
 * @since 0.2
 */
public final class UpstreamServiceFallbackPostProcessor implements BeanPostProcessor, SmartInitializingSingleton {

    private static final Log LOG = LogFactory.getLog(UpstreamServiceFallbackPostProcessor.class);

    private final ObjectProvider<UpstreamRestClients> restClients;
    private final ObjectProvider<UpstreamServiceFallback<?>> fallbacks;
    private final Set<UpstreamServiceFallback<?>> used = ConcurrentHashMap.newKeySet();
    private volatile @Nullable List<UpstreamServiceFallback<?>> resolved;

    /**
     * Creates the post-processor.
     *
     * @param restClients the factory whose fallback proxies it makes
     * @param fallbacks the fallback beans
     */
    public UpstreamServiceFallbackPostProcessor(ObjectProvider<UpstreamRestClients> restClients,
            ObjectProvider<UpstreamServiceFallback<?>> fallbacks) {
        this.restClients = restClients;
        this.fallbacks = fallbacks;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!AopUtils.isAopProxy(bean)) {
            return bean;
        }
        for (UpstreamServiceFallback<?> f : fallbacks()) {
            if (f.service().isInstance(bean) && bean != f.fallback() && isHttpService(f.service())) {
                used.add(f);
                return wrap(f, bean, restClients.getObject());
            }
        }
        return bean;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (UpstreamServiceFallback<?> f : fallbacks()) {
            if (!used.contains(f)) {
                LOG.warn(f + " falls back for no bean: there is no HTTP service client of " + f.service().getName()
                        + " (@ImportHttpServices), or it is made lazily");
            }
        }
    }

    private static <S> S wrap(UpstreamServiceFallback<S> f, Object bean, UpstreamRestClients clients) {
        return clients.withFallback(f.upstream(), f.service(), f.service().cast(bean), f.fallback());
    }

    private static boolean isHttpService(Class<?> service) {
        return AnnotatedElementUtils.hasAnnotation(service, HttpExchange.class)
                || Arrays.stream(service.getMethods()).anyMatch(m -> AnnotatedElementUtils.hasAnnotation(m, HttpExchange.class));
    }

    private List<UpstreamServiceFallback<?>> fallbacks() {
        List<UpstreamServiceFallback<?>> r = resolved;
        if (r == null) {
            r = fallbacks.orderedStream().toList();
            resolved = r;
        }
        return r;
    }
}
