package dev.levee.migration;

import dev.levee.CallContext;
import java.util.concurrent.CompletionStage;

/**
 * One provider's side of a migrated call, for an asynchronous client: starts the request and returns its
 * response's stage. The provider's {@link dev.levee.Adapter} then translates the response.
 *
 * @param <Q> the request type
 * @param <U> the provider's response type
 * @since 0.3
 */
@FunctionalInterface
public interface AsyncProviderCall<Q, U> {

    /**
     * Starts the call to the provider.
     *
     * @param request the caller's request
     * @param context the call's context: the remaining time, abandon actions
     * @return the stage of the provider's response
     * @throws Exception whatever the client throws before it returns a stage
     */
    CompletionStage<U> call(Q request, CallContext context) throws Exception;
}
