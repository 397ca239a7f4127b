package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.testing.MainClasses;
import io.micrometer.context.ThreadLocalAccessor;
import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * On the module path levee-core is the module {@code dev.levee.core}: it exports every package but
 * {@code dev.levee.internal}, which no application can compile against or reach by reflection. The test
 * loads the built module with its real dependencies in a fresh module layer, as an application on the module
 * path would.
 */
class ModuleTest {

    /** The jars of levee-core's own dependencies on this test's class path (not the test libraries). */
    private static final List<String> DEPENDENCIES = List.of("/io/micrometer/micrometer-core/",
            "/io/micrometer/micrometer-observation/", "/io/micrometer/micrometer-commons/", "/io/micrometer/context-propagation/",
            "/io/github/resilience4j/resilience4j-", "/org/slf4j/slf4j-api/", "/org/jspecify/", "/org/hdrhistogram/",
            "/org/latencyutils/");

    @Test
    void exportsEveryPackageButTheInternalOnes() throws IOException {
        ModuleDescriptor descriptor = descriptor();
        assertThat(descriptor.name()).isEqualTo("dev.levee.core");
        Set<String> exported = descriptor.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> api = new TreeSet<>(descriptor.packages());
        api.removeIf(p -> !ApiSignatureTest.isApiPackage(p));
        assertThat(exported).as("exported packages: a new public package needs its `exports` line in module-info.java")
                .isEqualTo(api).contains("dev.levee", "dev.levee.spi").doesNotContain(ApiSignatureTest.INTERNAL);
        assertThat(descriptor.exports()).as("qualified exports").allMatch(e -> !e.isQualified());
        assertThat(descriptor.opens()).isEmpty();
    }

    @Test
    void onTheModulePathTheApiWorksAndTheInternalsAreOutOfReach() throws Exception {
        ModuleLayer layer = layer();
        Module core = layer.findModule("dev.levee.core").orElseThrow();
        assertThat(core.isExported("dev.levee")).isTrue();
        assertThat(core.isExported("dev.levee.internal")).isFalse();
        assertThat(core.isOpen("dev.levee.internal")).isFalse();

        // the public API works from outside the module: a registry is built and closed
        ClassLoader loader = layer.findLoader("dev.levee.core");
        Class<?> upstreams = Class.forName("dev.levee.Upstreams", true, loader);
        assertThat(upstreams.getModule()).isSameAs(core);
        Object builder = upstreams.getMethod("builder").invoke(null);
        AutoCloseable registry = (AutoCloseable) builder.getClass().getMethod("build").invoke(builder);
        registry.close();

        // the engine is loaded (the API runs on it) but not reachable, not even by deep reflection
        Class<?> engine = Class.forName("dev.levee.internal.UpstreamEngine", false, loader);
        assertThatThrownBy(() -> engine.getDeclaredConstructors()[0].setAccessible(true))
                .isInstanceOf(InaccessibleObjectException.class).hasMessageContaining("does not \"exports dev.levee.internal\"");
        Method check = Class.forName("dev.levee.internal.Check", false, loader)
                .getMethod("range", String.class, int.class, int.class, int.class);
        assertThatThrownBy(() -> check.invoke(null, "x", 1, 0, 2)).isInstanceOf(IllegalAccessException.class)
                .hasMessageContaining("does not export dev.levee.internal");

        // the Deadline still travels with the caller's context: the module provides its accessor
        Class<?> accessor = Class.forName(ThreadLocalAccessor.class.getName(), false, loader);
        assertThat(accessor).isNotSameAs(ThreadLocalAccessor.class); // the layer's own context-propagation
        assertThat(ServiceLoader.load(layer, accessor).stream().map(p -> p.type().getName()))
                .contains("dev.levee.internal.DeadlineAccessor");
    }

    private static ModuleDescriptor descriptor() throws IOException {
        try (var in = Files.newInputStream(MainClasses.root().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in, () -> packagesOf(MainClasses.root()));
        }
    }

    private static Set<String> packagesOf(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("module-info.class"))
                    .map(f -> root.relativize(f.getParent()).toString().replace(File.separatorChar, '.'))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The built module and its dependencies in a new layer over the boot layer, resolved as the JVM would. */
    private static ModuleLayer layer() {
        Stream<Path> dependencies = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> DEPENDENCIES.stream().anyMatch(d -> entry.replace(File.separatorChar, '/').contains(d)))
                .map(Path::of);
        ModuleFinder finder = ModuleFinder.of(Stream.concat(Stream.of(MainClasses.root()), dependencies).toArray(Path[]::new));
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of("dev.levee.core"));
        return boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
    }
}
