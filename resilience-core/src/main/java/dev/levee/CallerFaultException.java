package dev.levee;

import org.jspecify.annotations.Nullable;

/**
 * The upstream answered that the request itself was at fault (an HTTP 400 or 409, say) and the adapter did
 * not map that answer to a domain value. Not held against the upstream, never retried, no fallback.
 *
 * @since 0.1
 */
public final class CallerFaultException extends UpstreamException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * Creates the exception.
     *
     * @param upstream the upstream's name
     * @param reason a short classification without payloads, such as {@code "http 400"}
     * @param cause the upstream client's exception, or {@code null}
     */
    public CallerFaultException(String upstream, String reason, @Nullable Throwable cause) {
        super(upstream, Outcome.CALLER_FAULT, cause, true);
        this.reason = reason;
    }

    /**
     * The short classification of the fault.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    @Override
    protected String describe() {
        return "refused the request (" + reason + ")";
    }
}
