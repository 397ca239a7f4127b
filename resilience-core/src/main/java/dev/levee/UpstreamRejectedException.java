package dev.levee;

/**
 * The call was refused without touching the upstream, because its circuit is open
 * ({@link Outcome#CIRCUIT_OPEN}), its bulkhead was full ({@link Outcome#BULKHEAD_FULL}) or its registry was
 * closed ({@link Outcome#CLOSED}).
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
     * @param outcome {@link Outcome#CIRCUIT_OPEN}, {@link Outcome#BULKHEAD_FULL} or {@link Outcome#CLOSED}
     * @param limit for a full bulkhead, its maximum of concurrent calls; otherwise ignored
     * @throws IllegalArgumentException if {@code outcome} is not a rejection
     */
    public UpstreamRejectedException(String upstream, Outcome outcome, int limit) {
        super(upstream, outcome, null, false);
        if (!outcome.isRejection()) {
            throw new IllegalArgumentException("outcome must be CIRCUIT_OPEN, BULKHEAD_FULL or CLOSED, but was " + outcome);
        }
        this.limit = limit;
    }

    @Override
    protected String describe() {
        switch (outcome()) {
            case CIRCUIT_OPEN:
                return "rejected, circuit is open";
            case CLOSED:
                return "rejected, upstreams closed";
            default:
                return "rejected, bulkhead is full (" + limit + " concurrent calls)";
        }
    }
}
