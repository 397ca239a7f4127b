package dev.levee.spring.http;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives HTTP service client beans their {@link UpstreamServiceFallback}: a bean that is a Spring proxy of an
 * interface some fallback is for (as {@code @ImportHttpServices} clients are) is replaced by
 * {@link UpstreamRestClients#withFallback(String, Class, Object, Object)} of it. The fallback beans are looked up
 * when the first such proxy is made.
 *
 * @since 0.2
 */
public final class UpstreamServiceFallbackPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<UpstreamRestClients> restClients;
    private final ObjectProvider<UpstreamServiceFallback<?>> fallbacks;
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
            if (f.service().isInstance(bean) && bean != f.fallback()) {
                return wrap(f, bean);
            }
        }
        return bean;
    }

    private static <S> S wrap(UpstreamServiceFallback<S> f, Object bean, UpstreamRestClients clients) {
        return clients.withFallback(f.upstream(), f.service(), f.service().cast(bean), f.fallback());
    }

    private Object wrap(UpstreamServiceFallback<?> f, Object bean) {
        return wrap(f, bean, restClients.getObject());
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
