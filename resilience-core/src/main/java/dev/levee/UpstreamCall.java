package dev.levee;

/**
 * The synchronous call to an upstream that Levee protects: typically one request through an HTTP client or
 * SDK, returning the upstream's own representation.
 *
 * @param <U> the upstream's response type
 * @since 0.1
 */
@FunctionalInterface
public interface UpstreamCall<U> {

    /**
     * Makes one attempt. Levee may call this more than once for idempotent calls.
     *
     * @param context the attempt's context: pass {@link CallContext#remaining()} on to the client's own timeout
     * @return the upstream's response
     * @throws Exception whatever the client throws; it is classified, never passed on unwrapped
     */
    U call(CallContext context) throws Exception;
}
