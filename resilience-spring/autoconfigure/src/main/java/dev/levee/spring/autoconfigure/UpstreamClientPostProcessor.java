package dev.levee.spring.autoconfigure;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Idempotent;
import dev.levee.Upstream;
import dev.levee.Upstreams;
import dev.levee.spring.UpstreamClient;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.HashMap;
import java.util.Map;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Replaces each bean whose interface, class or methods carry {@link UpstreamClient} by a proxy that calls it
 * through the named upstream: {@code Upstream.protect} for an annotated interface, a Spring AOP class-based
 * proxy for an annotated class or annotated methods. Thread-safe once the context has started.
 *
 * @since 0.1.0
 */
public final class UpstreamClientPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<Upstreams> upstreams;
    private final BeanFactory beans;

    /**
     * Creates the post-processor.
     *
     * @param upstreams the registry the annotations name upstreams of, looked up on first use
     * @param beans where fallback beans are looked up by type
     */
    public UpstreamClientPostProcessor(ObjectProvider<Upstreams> upstreams, BeanFactory beans) {
        this.upstreams = upstreams;
        this.beans = beans;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof Upstreams) {
            return bean;
        }
        Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        // the bean's own interfaces first: a Spring Data repository is a proxy of the annotated interface
        // around a target (SimpleJpaRepository) that does not implement it
        Class<?> port = annotatedInterface(bean.getClass());
        if (port == null) {
            port = annotatedInterface(type);
        }
        if (port != null) {
            return protectInterface(port, bean, beanName);
        }
        if (type.getName().startsWith("org.springframework.")) {
            return bean;
        }
        Map<Method, UpstreamClient> guarded = guardedMethods(type);
        if (guarded.isEmpty() || isFallback(bean, guarded)) {
            return bean;
        }
        Map<Method, Plan> plans = new HashMap<>();
        guarded.forEach((method, annotation) -> plans.put(method, plan(method, annotation, type, beanName)));
        SelfInvocation.warn(type, beanName, guarded.keySet());
        ProxyFactory factory = new ProxyFactory(bean);
        factory.setProxyTargetClass(true);
        factory.addAdvice(new Interceptor(plans));
        return factory.getProxy(type.getClassLoader());
    }

    /** The interface of {@code type} that carries the annotation, or {@code null}. */
    static @Nullable Class<?> annotatedInterface(Class<?> type) {
        for (Class<?> candidate : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if (candidate.isAnnotationPresent(UpstreamClient.class)) {
                return candidate;
            }
        }
        return null;
    }

    private Object protectInterface(Class<?> port, Object bean, String beanName) {
        UpstreamClient annotation = port.getAnnotation(UpstreamClient.class);
        if (annotation.fallback() != void.class && annotation.fallback().isInstance(bean)) {
            return bean; // the fallback itself answers unguarded
        }
        Upstream upstream = upstream(annotation.value(), beanName);
        @SuppressWarnings("unchecked")
        Class<Object> p = (Class<Object>) port;
        Object fallback = fallback(annotation, port, beanName);
        return fallback == null ? upstream.protect(p, bean) : upstream.protect(p, bean, fallback);
    }

    /** The public methods of {@code type} that an annotation (the method's own, else its class's) guards. */
    static Map<Method, UpstreamClient> guardedMethods(Class<?> type) {
        UpstreamClient onClass = AnnotatedElementUtils.findMergedAnnotation(type, UpstreamClient.class);
        Map<Method, UpstreamClient> guarded = new HashMap<>();
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
            int modifiers = method.getModifiers();
            if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || method.getDeclaringClass() == Object.class) {
                continue;
            }
            UpstreamClient annotation = method.getAnnotation(UpstreamClient.class);
            if (annotation == null) {
                annotation = onClass;
            }
            if (annotation != null) {
                guarded.put(method, annotation);
            }
        }
        return guarded;
    }

    private static boolean isFallback(Object bean, Map<Method, UpstreamClient> guarded) {
        return guarded.values().stream().anyMatch(a -> a.fallback() != void.class && a.fallback().isInstance(bean));
    }

    private Plan plan(Method method, UpstreamClient annotation, Class<?> type, String beanName) {
        boolean idempotent = method.isAnnotationPresent(Idempotent.class) || type.isAnnotationPresent(Idempotent.class);
        return new Plan(upstream(annotation.value(), beanName), idempotent, fallback(annotation, type, beanName));
    }

    private Upstream upstream(String name, String beanName) {
        Upstreams registry = upstreams.getObject();
        return registry.find(name).orElseThrow(() -> new IllegalStateException("@UpstreamClient on bean '" + beanName
                + "' names upstream '" + name + "', which is not registered; registered upstreams: " + registry.names()
                + " (declare it under levee.upstreams." + name + ")"));
    }

    private @Nullable Object fallback(UpstreamClient annotation, Class<?> guarded, String beanName) {
        Class<?> type = annotation.fallback();
        if (type == void.class) {
            return null;
        }
        if (!guarded.isAssignableFrom(type)) {
            throw new IllegalStateException("@UpstreamClient on bean '" + beanName + "' names fallback "
                    + type.getName() + ", which is not a " + guarded.getName());
        }
        try {
            return beans.getBean(type);
        } catch (BeansException e) {
            throw new IllegalStateException("@UpstreamClient on bean '" + beanName + "' names fallback " + type.getName()
                    + ", but no single bean of that type could be had: " + e.getMessage(), e);
        }
    }

    /** What is decided once per guarded method. */
    private record Plan(Upstream upstream, boolean idempotent, @Nullable Object fallback) {
    }

    /** Routes each guarded method through its upstream; other methods go straight to the target. */
    private static final class Interceptor implements MethodInterceptor {
        private final Map<Method, Plan> plans;

        Interceptor(Map<Method, Plan> plans) {
            this.plans = plans;
        }

        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            Method method = invocation.getMethod();
            Plan plan = plans.get(method);
            if (plan == null) {
                return invocation.proceed();
            }
            Object target = invocation.getThis();
            Object[] args = invocation.getArguments();
            CallOptions<Object> options = CallOptions.defaults().withIdempotent(plan.idempotent());
            Object fallback = plan.fallback();
            if (fallback != null) {
                options = options.withFallback(e -> {
                    try {
                        return invokeOn(fallback, method, args);
                    } catch (Exception failed) {
                        throw new UndeclaredThrowableException(failed);
                    }
                });
            }
            // each attempt calls the target afresh: an AOP invocation can proceed only once
            return plan.upstream().call(context -> invokeOn(target, method, args), Adapter.identity(), options);
        }

        /** Calls the method on a target, throwing what the method threw, so the upstream classifies it. */
        private static @Nullable Object invokeOn(@Nullable Object target, Method method, Object[] args) throws Exception {
            try {
                return AopUtils.invokeJoinpointUsingReflection(target, method, args);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new UndeclaredThrowableException(e);
            }
        }
    }
}
