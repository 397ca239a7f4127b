package dev.levee.migration;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns one differing value into the text a mismatch sample shows. Used only when samples are switched on
 * ({@link MigrationSpec.Builder#samples}); without samples no value is ever shown, only salted hashes.
 * Must be thread-safe.
 *
 * @since 0.3
 */
@FunctionalInterface
public interface Redactor {

    /**
     * The default: shows numbers, booleans, enum constants and null as they are; every text as its length
     * only ({@code <text, 12 chars>}); lists and maps as their size; anything else as its type's simple name.
     * Supply your own if numbers are sensitive in your domain.
     */
    Redactor DEFAULT = (path, value) -> {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return String.valueOf(value);
        }
        if (value instanceof CharSequence s) {
            return "<text, " + s.length() + " chars>";
        }
        if (value instanceof Collection<?> c) {
            return "<list, " + c.size() + " items>";
        }
        if (value instanceof Map<?, ?> m) {
            return "<map, " + m.size() + " entries>";
        }
        return "<" + value.getClass().getSimpleName() + ">";
    };

    /**
     * Redacts one value.
     *
     * @param path where the value differs, such as {@code items[2].name}
     * @param value the value, or null
     * @return what a sample may show
     */
    String redact(String path, @Nullable Object value);
}
