/**
 * Extension points of Levee: observers that receive every call's and attempt's outcome.
 *
 * <p>Stability: these interfaces may gain methods with default implementations in minor releases;
 * implementations that override only what they need keep compiling.
 *
 * @since 0.1
 */
@NullMarked
package dev.levee.spi;

import org.jspecify.annotations.NullMarked;
