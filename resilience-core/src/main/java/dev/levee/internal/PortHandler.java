package dev.levee.internal;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Idempotent;
import dev.levee.UpstreamException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The proxy behind {@code Upstream.protect}: each abstract port method becomes a guarded call. */
final class PortHandler implements InvocationHandler {

    private final UpstreamEngine engine;
    private final Class<?> port;
    private final Object implementation;
    private final @Nullable Object fallback;
    private final Map<Method, Plan> plans;

    /** What is decided once per port method instead of on every invocation. */
    private static final class Plan {
        final boolean idempotent;
        final boolean async;

        Plan(boolean idempotent, boolean async) {
            this.idempotent = idempotent;
            this.async = async;
        }
    }

    private PortHandler(UpstreamEngine engine, Class<?> port, Object implementation, @Nullable Object fallback) {
        this.engine = engine;
        this.port = port;
        this.implementation = implementation;
        this.fallback = fallback;
        Map<Method, Plan> p = new HashMap<>();
        boolean allIdempotent = port.isAnnotationPresent(Idempotent.class);
        for (Method m : port.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers())) {
                Class<?> r = m.getReturnType();
                boolean async = r == CompletionStage.class || r == CompletableFuture.class;
                p.put(m, new Plan(allIdempotent || m.isAnnotationPresent(Idempotent.class), async));
                trySetAccessible(m);
            }
        }
        this.plans = Map.copyOf(p);
    }

    static <P> P proxy(UpstreamEngine engine, Class<P> port, P implementation, @Nullable P fallback) {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(implementation, "implementation");
        if (!port.isInterface()) {
            throw new IllegalArgumentException("port must be an interface, but was " + port.getName());
        }
        Object proxy = Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                new PortHandler(engine, port, implementation, fallback));
        return port.cast(proxy);
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            switch (method.getName()) {
                case "equals":
                    return args != null && proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return port.getSimpleName() + " guarded by upstream '" + engine.name + "'";
                default:
                    return method.invoke(implementation, args);
            }
        }
        Plan plan = plans.get(method);
        if (plan == null) { // a default method: runs on the proxy, so the abstract methods it calls are guarded
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if (plan.async) {
            Function<UpstreamException, CompletionStage<? extends Object>> recover = fallback == null ? null
                    : e -> (CompletionStage<?>) invokeOn(fallback, method, args);
            return new AsyncCall<Object, Object>(engine, context -> (CompletionStage<Object>) invokeOn(implementation, method, args),
                    Adapter.identity(), plan.idempotent, recover).start();
        }
        CallOptions<Object> options = CallOptions.defaults().withIdempotent(plan.idempotent);
        if (fallback != null) {
            Object target = fallback;
            options = options.withFallback(e -> invokeOn(target, method, args));
        }
        return engine.call(context -> invokeOn(implementation, method, args), Adapter.identity(), options);
    }

    /** Invokes the method on a target, rethrowing what the method itself threw. */
    private static @Nullable Object invokeOn(Object target, Method method, @Nullable Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw Observers.<RuntimeException>sneaky(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method + " on " + target.getClass().getName(), e);
        }
    }

    private static void trySetAccessible(Method m) {
        try {
            m.setAccessible(true);
        } catch (RuntimeException e) {
            // a public method of an exported interface needs no access override
        }
    }
}
