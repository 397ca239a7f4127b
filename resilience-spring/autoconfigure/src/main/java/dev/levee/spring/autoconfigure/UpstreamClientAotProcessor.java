package dev.levee.spring.autoconfigure;

import dev.levee.spring.UpstreamClient;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.util.ClassUtils;

/**
 * Ahead-of-time hints for the proxies {@link UpstreamClientPostProcessor} creates: for a bean implementing an
 * interface annotated with {@link UpstreamClient}, the JDK proxy {@code Upstream.protect} builds on that
 * interface and reflective invocation of its methods (the proxy calls the bean and its fallback by reflection);
 * for a bean with an annotated class or methods, invocation of the guarded methods. Registered in
 * {@code META-INF/spring/aot.factories}. The class-based proxy itself is generated at run time by Spring AOP,
 * which a native image cannot do: in a native image annotate an interface.
 *
 * @since 0.1.0
 */
public final class UpstreamClientAotProcessor implements BeanRegistrationAotProcessor {

    /** Creates the processor; Spring's AOT engine calls this. */
    public UpstreamClientAotProcessor() {
    }

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> type = ClassUtils.getUserClass(registeredBean.getBeanClass());
        Class<?> port = UpstreamClientPostProcessor.annotatedInterface(type);
        if (port == null) { // a factory bean (a Spring Data repository) says what it makes in the bean type
            port = UpstreamClientPostProcessor.annotatedInterface(registeredBean.getBeanType().toClass());
        }
        if (port != null) {
            Class<?> annotated = port;
            return (context, code) -> register(context.getRuntimeHints(), annotated);
        }
        var guarded = UpstreamClientPostProcessor.guardedMethods(type);
        if (guarded.isEmpty()) {
            return null;
        }
        return (context, code) -> guarded.keySet()
                .forEach(method -> context.getRuntimeHints().reflection().registerMethod(method, ExecutableMode.INVOKE));
    }

    /** Registers the hints for the JDK proxy on {@code port}; package-private for tests. */
    static void register(RuntimeHints hints, Class<?> port) {
        hints.proxies().registerJdkProxy(port);
        hints.reflection().registerType(port, MemberCategory.INVOKE_PUBLIC_METHODS);
        UpstreamClient annotation = port.getAnnotation(UpstreamClient.class);
        if (annotation != null && annotation.fallback() != void.class) {
            hints.reflection().registerType(annotation.fallback(), MemberCategory.INVOKE_PUBLIC_METHODS);
        }
        for (Method method : port.getMethods()) {
            hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
        }
    }
}
