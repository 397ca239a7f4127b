package dev.levee.spring;

import org.jspecify.annotations.Nullable;

/**
 * A {@code levee.*} property has a value Levee cannot accept. Thrown at startup; the message names the full
 * property path, the value and what is allowed.
 *
 * @since 0.1
 */
public class LeveeConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;
    private final String allowed;

    /**
     * Creates the exception.
     *
     * @param property the full property path, such as {@code levee.upstreams.pricing.retry.max-attempts}
     * @param value the rejected value
     * @param allowed what would have been accepted
     * @param cause the validation failure, if any
     */
    public LeveeConfigurationException(String property, String value, String allowed, @Nullable Throwable cause) {
        super(property + " must be " + allowed + ", but was " + value, cause);
        this.property = property;
        this.value = value;
        this.allowed = allowed;
    }

    /**
     * The full property path.
     *
     * @return the path
     */
    public String property() {
        return property;
    }

    /**
     * The rejected value.
     *
     * @return the value, as text
     */
    public String value() {
        return value;
    }

    /**
     * What would have been accepted.
     *
     * @return the allowed range or form
     */
    public String allowed() {
        return allowed;
    }
}
