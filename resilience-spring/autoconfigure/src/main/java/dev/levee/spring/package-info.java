/**
 * Levee for Spring Boot: configuration properties and the hooks to adjust what they build.
 *
 * @since 0.1
 */
@NullMarked
package dev.levee.spring;

import org.jspecify.annotations.NullMarked;
