package dev.levee.internal;

import dev.levee.Adapter;
import dev.levee.CallOptions;
import dev.levee.Idempotent;
import dev.levee.UpstreamException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
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
    private final Map<Method, MethodHandle> hiddenDefaults;

    /** What is decided once per port method instead of on every invocation. */
    private static final class Plan {
        final Method method; // the copy made accessible: the proxy passes its own copies of the port's methods
        final boolean idempotent;
        final boolean async;

        Plan(Method method, boolean idempotent, boolean async) {
            this.method = method;
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
        Map<Method, MethodHandle> d = new HashMap<>();
        boolean allIdempotent = port.isAnnotationPresent(Idempotent.class);
        for (Method m : port.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers())) {
                Class<?> r = m.getReturnType();
                boolean async = r == CompletionStage.class || r == CompletableFuture.class;
                trySetAccessible(m);
                p.put(m, new Plan(m, allIdempotent || m.isAnnotationPresent(Idempotent.class), async));
            } else if (m.isDefault() && !Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                MethodHandle h = defaultHandle(m);
                if (h != null) {
                    d.put(m, h);
                }
            }
        }
        this.plans = Map.copyOf(p);
        this.hiddenDefaults = Map.copyOf(d);
    }

    /**
     * A handle on a default method of a non-public interface, which {@code InvocationHandler.invokeDefault}
     * cannot reach from this package; {@code null} if the interface's package is not open to Levee.
     */
    private static @Nullable MethodHandle defaultHandle(Method m) {
        Class<?> declaring = m.getDeclaringClass();
        try {
            return MethodHandles.privateLookupIn(declaring, MethodHandles.lookup()).unreflectSpecial(m, declaring);
        } catch (IllegalAccessException | RuntimeException e) {
            return null; // invokeDefault will report why
        }
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
            MethodHandle hidden = hiddenDefaults.get(method);
            return hidden != null ? hidden.bindTo(proxy).invokeWithArguments(args == null ? new Object[0] : args)
                    : InvocationHandler.invokeDefault(proxy, method, args);
        }
        Method m = plan.method;
        if (plan.async) {
            Function<UpstreamException, CompletionStage<? extends Object>> recover = fallback == null ? null
                    : e -> (CompletionStage<?>) invokeOn(fallback, m, args);
            return new AsyncCall<Object, Object>(engine, context -> (CompletionStage<Object>) invokeOn(implementation, m, args),
                    Adapter.identity(), plan.idempotent, recover).start();
        }
        CallOptions<Object> options = CallOptions.defaults().withIdempotent(plan.idempotent);
        if (fallback != null) {
            Object target = fallback;
            options = options.withFallback(e -> invokeOn(target, m, args));
        }
        return engine.call(context -> invokeOn(implementation, m, args), Adapter.identity(), options);
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
