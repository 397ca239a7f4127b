package dev.levee.contract.json;

/**
 * A contract file could not be read: not JSON, not a Levee contract, a format version newer than this Levee
 * reads, or an expectation it does not know. The message names the file's offending part and what is allowed.
 *
 * @since 0.2
 */
public final class ContractFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, and what is allowed
     */
    public ContractFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what was wrong, and what is allowed
     * @param cause the parser's exception
     */
    public ContractFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
