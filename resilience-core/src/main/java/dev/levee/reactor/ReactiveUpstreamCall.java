package dev.levee.reactor;

import dev.levee.CallContext;
import org.reactivestreams.Publisher;

/**
 * One attempt of a reactive upstream call: a cold publisher of the upstream's one response, such as a
 * WebClient's {@code retrieve().bodyToMono(...)}. Levee subscribes to it once per attempt and takes its first
 * element; a publisher that completes empty yields {@code null} to the adapter.
 *
 * @param <U> the upstream's response type
 * @since 0.3
 */
@FunctionalInterface
public interface ReactiveUpstreamCall<U> {

    /**
     * Builds the publisher of one attempt, without subscribing to it. Levee may call this more than once for
     * idempotent calls, and cancels the subscription when it gives up on the attempt.
     *
     * @param context the attempt's context; hand {@link CallContext#remaining()} to the client's own timeout
     * @return the publisher of the upstream's response
     * @throws Exception if the attempt could not even be built; classified like a failed attempt
     */
    Publisher<U> call(CallContext context) throws Exception;
}
