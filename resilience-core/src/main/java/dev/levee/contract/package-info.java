/**
 * Consumer-driven contracts: a {@link dev.levee.contract.Contract} states what a consumer relies on in an
 * upstream's response, on its own type; the call path checks it under a {@link dev.levee.contract.ContractPolicy};
 * the same contract is verified against stubs in tests ({@code dev.levee.contract.testkit}) and exported to a
 * file a provider verifies ({@code dev.levee.contract.json}, {@code dev.levee.contract.verifier}).
 *
 * <p>Covered by semantic versioning like {@code dev.levee}. Needs nothing beyond the core; the JSON side
 * needs Jackson 3 ({@code tools.jackson.core:jackson-databind}) on the class path.
 *
 * @since 0.2
 */
@NullMarked
package dev.levee.contract;

import org.jspecify.annotations.NullMarked;
