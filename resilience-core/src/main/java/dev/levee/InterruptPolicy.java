package dev.levee;

/**
 * Whether Levee interrupts the thread of a synchronous attempt it abandons ({@link TimeoutMode#ENFORCED}):
 * at its timeout, when the caller is interrupted, or when the registry closes.
 *
 * <p>Giving up on an attempt and stopping its work are two acts. Levee releases the caller at once; the work
 * is stopped by what the call registered with {@link CallContext#onAbandon(Runnable)} (a statement cancel, a
 * request abort). An interrupt is no cancellation protocol: a blocking socket read on a platform thread
 * ignores it, and on a virtual thread (JDK 21+) it closes the socket under the client, which defeats a
 * driver's own cancellation (measured with PostgreSQL: a {@code pg_sleep} abandoned that way keeps running
 * on the server while its connection is gone).
 *
 * @since 0.2
 */
public enum InterruptPolicy {
    /**
     * Interrupt the attempt thread only if the attempt registered no abandon action. The default: a call that
     * knows how to stop its work is left to stop it cleanly; one that does not still gets the interrupt, the
     * only signal Levee can send it.
     */
    WHEN_NO_ABANDON_ACTION,
    /** Always interrupt the attempt thread, after running the registered abandon actions. */
    ALWAYS,
    /** Never interrupt: the work stops when it ends by itself or through its abandon actions. */
    NEVER
}
