package dev.levee;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a port method (or every method of a port interface) may safely be called more than once,
 * so Levee may retry it. Calls are not idempotent unless declared: retrying a non-idempotent request can
 * duplicate an order.
 *
 * <pre>{@code
 * interface InventoryPort {
 *     @Idempotent
 *     Stock stockOf(Sku sku);
 *     Reservation reserve(Sku sku, int quantity); // never retried
 * }
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Idempotent {
}
