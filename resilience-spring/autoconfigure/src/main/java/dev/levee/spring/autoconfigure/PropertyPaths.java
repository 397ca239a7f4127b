package dev.levee.spring.autoconfigure;

import java.util.Locale;
import java.util.regex.Pattern;

/** Property paths as users write them, for messages. */
final class PropertyPaths {

    /** A map key Spring Boot binds as written without brackets: lowercase letters, digits and inner dashes. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private PropertyPaths() {
    }

    /**
     * The path of one entry of a map property: {@code levee.upstreams.pricing}, or in the bracket form where the
     * key needs it, {@code levee.upstreams[payments.eu]} or {@code levee.upstreams[my upstream]}.
     */
    static String entry(String mapProperty, String key) {
        return PLAIN_KEY.matcher(key).matches() ? mapProperty + "." + key : mapProperty + "[" + key + "]";
    }

    /** {@code circuitBreaker.timeWindow} as its property name, {@code circuit-breaker.time-window}. */
    static String kebab(String field) {
        StringBuilder sb = new StringBuilder();
        for (char c : field.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
