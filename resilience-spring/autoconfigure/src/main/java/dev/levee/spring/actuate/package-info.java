/**
 * Levee for Spring Boot: the upstreams health contributor and actuator endpoint.
 *
 * @since 0.1
 */
@NullMarked
package dev.levee.spring.actuate;

import org.jspecify.annotations.NullMarked;
