package dev.levee.spring.autoconfigure;

import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.LeveeProperties;
import org.jspecify.annotations.Nullable;

/** The validated {@code levee.deadline.header}, for the filter that reads it and the clients that send it. */
final class DeadlineHeader {

    private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

    private DeadlineHeader() {
    }

    /**
     * The header outgoing requests carry, or {@code null} if deadlines do not travel over HTTP.
     *
     * @throws LeveeConfigurationException if the header is not a valid HTTP header name
     */
    static @Nullable String outgoing(LeveeProperties properties) {
        return properties.getDeadline().isEnabled() ? name(properties) : null;
    }

    /**
     * The configured header name.
     *
     * @throws LeveeConfigurationException if it is not a valid HTTP header name
     */
    static String name(LeveeProperties properties) {
        String header = properties.getDeadline().getHeader();
        if (header == null || header.isEmpty() || !header.chars().allMatch(DeadlineHeader::isTokenChar)) {
            throw new LeveeConfigurationException("levee.deadline.header", header == null ? "null" : "'" + header + "'",
                    "an HTTP header name: one or more letters, digits or " + TOKEN_CHARS, null);
        }
        return header;
    }

    private static boolean isTokenChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TOKEN_CHARS.indexOf(c) >= 0;
    }
}
