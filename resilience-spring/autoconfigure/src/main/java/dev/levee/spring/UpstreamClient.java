package dev.levee.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Protects a Spring bean that is not an HTTP client (a JDBC repository, a cache, a message producer) through
 * the upstream of that name, on the same call path as every other Levee call: deadline, bulkhead, circuit
 * breaker, retry ({@link dev.levee.Idempotent} methods only), attempt timeout, fallback, metrics.
 *
 * <p>Named {@code UpstreamClient} rather than {@code Upstream} so that it never clashes with
 * {@link dev.levee.Upstream}, which the same classes often import.
 *
 * <p>Where it goes decides the proxy:
 * <ul>
 *   <li><b>On an interface</b>: every bean implementing it is replaced by
 *       {@code upstream.protect(Interface, bean[, fallback])}, a JDK proxy; inject the interface.</li>
 *   <li><b>On a class, or on methods of a class</b>: the bean is replaced by a Spring AOP (class-based) proxy that
 *       routes each annotated method (every public method for a class annotation) through
 *       {@code upstream.call(...)}; a method's own annotation wins over its class's.</li>
 * </ul>
 * <pre>{@code
 * @UpstreamClient(value = "orders-db", fallback = CachedOrders.class)
 * public interface Orders {
 *     @Idempotent
 *     Optional<Order> find(long id);
 *     void save(Order order);           // never retried
 * }
 * }</pre>
 *
 * <p>The fallback is a bean of the given type that implements the same interface (or extends the same class);
 * it answers the same method with the same arguments when the call fails or is rejected. It is itself left
 * unprotected. Two beans then implement the interface: mark the real one {@code @Primary}, or inject by name.
 *
 * <p><b>Self-invocation bypasses the protection</b>: a method of the bean that calls an annotated method on
 * {@code this} calls the target, not the proxy, so that inner call is neither retried nor timed nor counted. At
 * startup a WARN names every unguarded method of an annotated class that calls a guarded method of its own class
 * (read from the class's bytecode: a call from a lambda is named after the lambda's synthetic method, a call
 * through a field holding the bean is not seen). Beans guarded through an annotated interface are JDK proxies of
 * {@code Upstream.protect}, whose default methods run on the proxy and stay guarded; calls between the
 * implementation's own methods are not checked. Move the annotated method to another bean, or call it through
 * the injected proxy.
 *
 * <p>An upstream name that is not registered ({@code levee.upstreams.<name>} or an
 * {@link UpstreamsBuilderCustomizer}) fails startup, naming the bean, the name and the registered upstreams.
 *
 * @since 0.1.0
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface UpstreamClient {

    /**
     * The upstream's registered name.
     *
     * @return the upstream's name
     */
    String value();

    /**
     * The type of the bean that answers when a call fails or is rejected; {@code void.class} (the default) for
     * none. It must implement the annotated interface, or extend the annotated class.
     *
     * @return the fallback bean's type
     */
    Class<?> fallback() default void.class;
}
