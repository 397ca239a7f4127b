/**
 * The names, tag keys and descriptions of the meters Levee publishes through Micrometer, in one place, for
 * dashboards, alert rules and tests to refer to.
 *
 * @since 0.1
 */
@NullMarked
package dev.levee.metrics;

import org.jspecify.annotations.NullMarked;
