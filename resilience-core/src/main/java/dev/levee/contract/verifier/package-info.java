/**
 * The provider's verifier: a main class that checks a contract file against a running provider or a folder of recorded responses, without Levee's call path. Needs Jackson 3.
 *
 * <p>Covered by semantic versioning like {@code dev.levee}.
 *
 * @since 0.2
 */
@NullMarked
package dev.levee.contract.verifier;

import org.jspecify.annotations.NullMarked;
