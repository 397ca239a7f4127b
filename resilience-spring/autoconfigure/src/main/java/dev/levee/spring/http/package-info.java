/**
 * Levee for Spring Boot: RestClient and HTTP service client integration, and deadline propagation over HTTP.
 *
 * @since 0.1
 */
@NullMarked
package dev.levee.spring.http;

import org.jspecify.annotations.NullMarked;
