package dev.levee.testing;

import dev.levee.Upstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The compiled classes of the main code, found by listing its output directory. */
public final class MainClasses {

    private MainClasses() {
    }

    /** The directory the main classes were loaded from. */
    public static Path root() {
        try {
            Path root = Path.of(Upstream.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException("main classes are not in a directory: " + root);
            }
            return root;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every class (nested, anonymous and package-private ones too) whose package is one of {@code packages}. */
    public static List<Class<?>> inPackages(Set<String> packages) {
        Path root = root();
        try (Stream<Path> files = Files.walk(root)) {
            List<String> names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "."))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> !n.endsWith("package-info") && !n.equals("module-info"))
                    .filter(n -> packages.contains(n.substring(0, Math.max(0, n.lastIndexOf('.')))))
                    .sorted()
                    .collect(Collectors.toList());
            ClassLoader loader = Upstream.class.getClassLoader();
            return names.stream().<Class<?>>map(n -> {
                try {
                    return Class.forName(n, false, loader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
