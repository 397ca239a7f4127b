package dev.levee.spring.autoconfigure;

import dev.levee.spring.LeveeConfigurationException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/** Resolves the exception class names of {@code classification.*} lists, with the application's class loader. */
final class ExceptionClasses {

    private final @Nullable ClassLoader classLoader;

    ExceptionClasses(@Nullable ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * The classes a list names, in order.
     *
     * @param property the list's property path, such as {@code levee.upstreams.x.classification.caller-faults}
     * @throws LeveeConfigurationException naming the entry ({@code ...caller-faults[1]}) and its value if a name is not
     *     a Throwable class on the classpath
     */
    @SuppressWarnings("unchecked")
    Class<? extends Throwable>[] resolve(String property, List<String> names) {
        Class<? extends Throwable>[] types = (Class<? extends Throwable>[]) new Class<?>[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i) == null ? "" : names.get(i).trim();
            String entry = property + "[" + i + "]";
            String allowed = "the fully qualified name of a Throwable class on the classpath";
            Class<?> type;
            try {
                type = ClassUtils.forName(name, classLoader);
            } catch (ClassNotFoundException | LinkageError | IllegalArgumentException e) {
                throw new LeveeConfigurationException(entry, "'" + name + "'", allowed + " (no class of that name was found)", e);
            }
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new LeveeConfigurationException(entry, "'" + name + "'", allowed + " (" + type.getName() + " is not a Throwable)", null);
            }
            types[i] = (Class<? extends Throwable>) type;
        }
        return types;
    }
}
