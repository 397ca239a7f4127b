package dev.levee.spring.http;

import dev.levee.contract.Contract;
import java.util.Objects;

/**
 * One upstream's {@link Contract}, checked on every good JSON response its {@code RestClient}s and HTTP service
 * clients receive, inside the call path, under the upstream's {@code levee.upstreams.<name>.contract.*} policy:
 * a violation is counted and logged per expectation and, unless the policy is {@code record}, fails the
 * exchange as {@code contract_violation}, answered by the upstream's fallback if it has one (policy
 * {@code fallback}, the default). Declare it as a bean and the auto-configuration gives it to
 * {@link UpstreamRestClients}.
 *
 * <pre>{@code
 * @Bean
 * UpstreamHttpContract recommendationsContract() {
 *     return UpstreamHttpContract.of("recommendations", RecommendationsDto.CONTRACT);
 * }
 * }</pre>
 *
 * <p>The contract is written on the type the client deserializes the body into, and checked on the body as
 * JSON (field names for paths, as a provider checks it), before the client deserializes it: the same
 * verdicts, without reading the body twice into objects. The body is buffered for the check, up to
 * 4 MiB; a larger or malformed body fails the exchange as {@code unreadable}. Needs Jackson 3, which Spring
 * Boot 4 applications with a web starter have. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class UpstreamHttpContract {

    private final String upstream;
    private final Contract<?> contract;

    private UpstreamHttpContract(String upstream, Contract<?> contract) {
        this.upstream = upstream;
        this.contract = contract;
    }

    /**
     * The contract of one upstream's responses.
     *
     * @param upstream the upstream's name
     * @param contract the contract, written on the type its clients deserialize
     * @return the pairing
     */
    public static UpstreamHttpContract of(String upstream, Contract<?> contract) {
        return new UpstreamHttpContract(Objects.requireNonNull(upstream, "upstream"), Objects.requireNonNull(contract, "contract"));
    }

    /**
     * The upstream's name.
     *
     * @return the name
     */
    public String upstream() {
        return upstream;
    }

    /**
     * The contract.
     *
     * @return the contract
     */
    public Contract<?> contract() {
        return contract;
    }

    @Override
    public String toString() {
        return "UpstreamHttpContract[" + upstream + ", " + contract.name() + "]";
    }
}
