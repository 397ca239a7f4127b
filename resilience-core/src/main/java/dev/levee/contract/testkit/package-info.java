/**
 * The consumer's test kit: verifies a contract against WireMock stub mapping files and recorded responses, with a report per stub. Use it from test scope; needs Jackson 3.
 *
 * <p>Covered by semantic versioning like {@code dev.levee}.
 *
 * @since 0.2
 */
@NullMarked
package dev.levee.contract.testkit;

import org.jspecify.annotations.NullMarked;
