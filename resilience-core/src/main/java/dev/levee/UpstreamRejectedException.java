package dev.levee;

/**
 * The call was refused without touching the upstream, because its circuit is open
 * ({@link Outcome#CIRCUIT_OPEN}) or its bulkhead was full ({@link Outcome#BULKHEAD_FULL}).
 *
 * <p>Rejections are the fast path of an outage, so this exception has no stack trace and formats its
 * message only when asked.
 *
 * @since 0.1
 */
public final class UpstreamRejectedException extends UpstreamException {

    private static final long serialVersionUID = 1L;

    private final int limit;

    /**
     * Creates the exception.
     *
     * @param upstream the upstream's name
     * @param outcome {@link Outcome#CIRCUIT_OPEN} or {@link Outcome#BULKHEAD_FULL}
     * @param limit for a full bulkhead, its maximum of concurrent calls; otherwise ignored
     * @throws IllegalArgumentException if {@code outcome} is not a rejection
     */
    public UpstreamRejectedException(String upstream, Outcome outcome, int limit) {
        super(upstream, outcome, null, false);
        if (!outcome.isRejection()) {
            throw new IllegalArgumentException("outcome must be CIRCUIT_OPEN or BULKHEAD_FULL, but was " + outcome);
        }
        this.limit = limit;
    }

    @Override
    protected String describe() {
        return outcome() == Outcome.CIRCUIT_OPEN
                ? "rejected, circuit is open"
                : "rejected, bulkhead is full (" + limit + " concurrent calls)";
    }
}
