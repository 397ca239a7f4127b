package dev.levee.migration;

import dev.levee.CallContext;

/**
 * One provider's side of a migrated call: sends the request to the provider's client. The provider's
 * {@link dev.levee.Adapter} then translates its response into the domain type that both sides share.
 *
 * @param <Q> the request type, in the domain's terms
 * @param <U> the provider's response type
 * @since 0.3
 */
@FunctionalInterface
public interface ProviderCall<Q, U> {

    /**
     * Calls the provider.
     *
     * @param request the caller's request
     * @param context the call's context: the remaining time, abandon actions
     * @return the provider's response
     * @throws Exception whatever the client throws; classified by the provider's upstream
     */
    U call(Q request, CallContext context) throws Exception;
}
