/**
 * Contract files (export, read, version check) and checking contracts on JSON documents. Needs Jackson 3 ({@code tools.jackson.core:jackson-databind}), an optional dependency of the core.
 *
 * <p>Covered by semantic versioning like {@code dev.levee}.
 *
 * @since 0.2
 */
@NullMarked
package dev.levee.contract.json;

import org.jspecify.annotations.NullMarked;
