package dev.levee;

/**
 * How a synchronous call's attempt timeout is enforced.
 *
 * <p>Asynchronous calls never need a thread of their own: their timeouts are always scheduled.
 *
 * @since 0.1
 */
public enum TimeoutMode {
    /**
     * The attempt runs on a Levee thread (a virtual thread on JDK 21+, a bounded pool on JDK 17) and the
     * caller returns at the attempt timeout whatever the upstream client does; the abandoned work is
     * interrupted. Costs one thread hand-off per attempt (tens of microseconds). The default, because it
     * protects the caller even from clients that ignore interrupts and have no timeouts of their own.
     */
    ENFORCED,
    /**
     * The attempt runs on the caller's thread, and the upstream client is trusted to honour
     * {@link CallContext#remaining()} with its own request timeout. An attempt that fails at or after its
     * timeout is recorded as a {@link Outcome#TIMEOUT}. No hand-off cost; use it for clients whose own
     * timeouts are reliable (such as {@code java.net.http.HttpClient} with a request timeout).
     */
    COOPERATIVE
}
