/**
 * Levee for Spring Boot: auto-configuration, one class per concern.
 *
 * @since 0.1
 */
@NullMarked
package dev.levee.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
