package dev.levee;

import java.util.concurrent.CompletionStage;

/**
 * The asynchronous call to an upstream that Levee protects. The returned stage should be cancellable:
 * at the attempt timeout Levee cancels it ({@code toCompletableFuture().cancel(true)}).
 *
 * @param <U> the upstream's response type
 * @since 0.1
 */
@FunctionalInterface
public interface AsyncUpstreamCall<U> {

    /**
     * Starts one attempt without blocking. Levee may call this more than once for idempotent calls.
     *
     * @param context the attempt's context
     * @return a stage completed with the upstream's response or its failure
     * @throws Exception if the attempt could not even be started; classified like a failed stage
     */
    CompletionStage<U> call(CallContext context) throws Exception;
}
