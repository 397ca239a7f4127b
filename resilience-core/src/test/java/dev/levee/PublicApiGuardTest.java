package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.internal.UpstreamEngine;
import dev.levee.spi.UpstreamObserver;
import dev.levee.testing.MainClasses;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * resilience4j is an implementation detail: no type of it may appear anywhere in the public API (every package
 * the module descriptor exports), so it can be upgraded or replaced without breaking users.
 * {@link Upstream#unwrap(Class)} is the one, deliberately untyped, escape hatch.
 */
class PublicApiGuardTest {

    private static final String FORBIDDEN = "io.github.resilience4j";
    /** The packages {@code module-info} exports: the API, as a module user sees it. */
    private static final Set<String> API_PACKAGES = exportedPackages();

    @Test
    void noResilience4jTypeInThePublicApi() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : apiClasses()) {
            leaks.addAll(leaks(type));
        }
        assertThat(leaks).as("resilience4j types in the public API").isEmpty();
    }

    @Test
    void theScanCoversThePublicApiAndNothingElse() {
        List<Class<?>> api = apiClasses();
        assertThat(api).contains(Upstream.class, Upstreams.class, Upstreams.Builder.class, UpstreamSpec.Builder.class,
                BreakerSpec.WindowType.class, Verdict.Kind.class, UpstreamException.class, UpstreamObserver.class,
                dev.levee.spi.UpstreamObserverFactory.class, dev.levee.spi.RetryRefusal.class,
                dev.levee.observation.LeveeObservation.class, dev.levee.observation.CallObservationContext.class,
                dev.levee.contract.Contract.class, dev.levee.contract.testkit.ContractStubs.class,
                dev.levee.reactor.ReactorUpstream.class);
        assertThat(api).hasSizeGreaterThan(30);
        assertThat(API_PACKAGES).contains("dev.levee", "dev.levee.spi", "dev.levee.metrics", "dev.levee.observation",
                "dev.levee.contract").noneMatch(p -> p.contains("internal"));
        assertThat(api).allSatisfy(c -> assertThat(c.getPackageName()).isIn(API_PACKAGES));
        assertThat(api).doesNotContain(UpstreamEngine.class);
        assertThat(api).as("package-private classes are not API").noneMatch(c -> c.getSimpleName().equals("IdentityAdapter"));
    }

    private static Set<String> exportedPackages() {
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            return ModuleDescriptor.read(in).exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the walker must find a leak wherever it hides -----------------------------------------------------

    @ParameterizedTest
    @ValueSource(classes = {LeakInReturnType.class, LeakInParameterTypeArgument.class, LeakInWildcardLowerBound.class,
            LeakInWildcardUpperBound.class, LeakInMethodTypeVariableBound.class, LeakInGenericArray.class,
            LeakInArray.class, LeakInThrows.class, LeakInPublicField.class, LeakInProtectedField.class,
            LeakInConstructor.class, LeakInProtectedMethod.class, LeakInSuperclassTypeArgument.class,
            LeakInInterfaceTypeArgument.class, LeakInClassTypeVariableBound.class, LeakInNestedTypeArgument.class})
    void walkerDetectsAResilience4jTypeWhereverItHides(Class<?> sample) {
        assertThat(leaks(sample)).as("leaks found in %s", sample.getSimpleName()).isNotEmpty()
                .allSatisfy(leak -> assertThat(leak).contains(FORBIDDEN));
    }

    @Test
    void walkerIgnoresPrivateAndPackagePrivateMembers() {
        assertThat(leaks(CleanSample.class)).isEmpty();
    }

    @Test
    void walkerSurvivesRecursiveBounds() {
        assertThat(leaks(RecursiveBound.class)).isEmpty();
        assertThat(leaks(Outcome.class)).isEmpty();
    }

    @Test
    void walkerFindsTheEngineTypesInTheInternalCallPath() {
        // UpstreamEngine (internal) does hold resilience4j objects: the walker must see them there
        Set<String> found = new TreeSet<>();
        for (Field f : UpstreamEngine.class.getDeclaredFields()) {
            walk(f.getGenericType(), found, new HashSet<>());
        }
        assertThat(found).contains(CircuitBreaker.class.getName());
    }

    // ---- the walker --------------------------------------------------------------------------------------

    private static List<Class<?>> apiClasses() {
        return MainClasses.inPackages(API_PACKAGES).stream().filter(PublicApiGuardTest::isApi).collect(Collectors.toList());
    }

    /** Public or protected, and so is every class enclosing it; never anonymous, local or synthetic. */
    private static boolean isApi(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!isVisible(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every forbidden type in the visible signature of {@code type}, as "Class#member: type". */
    static List<String> leaks(Class<?> type) {
        List<String> leaks = new ArrayList<>();
        check(leaks, type.getName() + " (class type parameters)", typeParameterBounds(type.getTypeParameters()));
        check(leaks, type.getName() + " (superclass)", optional(type.getGenericSuperclass()));
        check(leaks, type.getName() + " (interfaces)", List.of(type.getGenericInterfaces()));
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (isVisible(c.getModifiers())) {
                checkExecutable(leaks, type, c);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (isVisible(m.getModifiers())) {
                checkExecutable(leaks, type, m);
                check(leaks, member(type, m) + " (return)", List.of(m.getGenericReturnType()));
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (isVisible(f.getModifiers())) {
                check(leaks, member(type, f) + " (field)", List.of(f.getGenericType()));
            }
        }
        return leaks;
    }

    private static void checkExecutable(List<String> leaks, Class<?> owner, Executable e) {
        check(leaks, member(owner, e) + " (type parameters)", typeParameterBounds(e.getTypeParameters()));
        check(leaks, member(owner, e) + " (parameters)", List.of(e.getGenericParameterTypes()));
        check(leaks, member(owner, e) + " (throws)", List.of(e.getGenericExceptionTypes()));
    }

    private static void check(List<String> leaks, String where, List<Type> types) {
        Set<String> found = new TreeSet<>();
        for (Type t : types) {
            walk(t, found, new HashSet<>());
        }
        for (String name : found) {
            leaks.add(where + ": " + name);
        }
    }

    /** Collects into {@code found} the forbidden classes anywhere in {@code type}. */
    static void walk(Type type, Set<String> found, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.getName().startsWith(FORBIDDEN + ".")) {
                found.add(c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            walk(p.getRawType(), found, seen);
            walk(p.getOwnerType(), found, seen);
            for (Type arg : p.getActualTypeArguments()) {
                walk(arg, found, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                walk(b, found, seen);
            }
            for (Type b : w.getLowerBounds()) {
                walk(b, found, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                walk(b, found, seen);
            }
        } else if (type instanceof GenericArrayType a) {
            walk(a.getGenericComponentType(), found, seen);
        } else {
            throw new AssertionError("unknown kind of type: " + type.getClass() + " " + type);
        }
    }

    private static List<Type> typeParameterBounds(TypeVariable<?>[] variables) {
        return List.of(variables);
    }

    private static List<Type> optional(Type t) {
        return t == null ? List.of() : List.of(t);
    }

    private static String member(Class<?> owner, Member m) {
        return owner.getName() + "#" + (m instanceof Constructor ? "<init>" : m.getName());
    }

    // ---- samples, each leaking in one place -------------------------------------------------------------------

    public static class LeakInReturnType {
        public CircuitBreaker breaker() {
            return null;
        }
    }

    public static class LeakInParameterTypeArgument {
        public void use(List<Map<String, CircuitBreakerConfig>> retries) {
        }
    }

    public static class LeakInWildcardLowerBound {
        public void use(List<? super CircuitBreaker> sink) {
        }
    }

    public static class LeakInWildcardUpperBound {
        public Optional<? extends CircuitBreakerConfig> retry() {
            return Optional.empty();
        }
    }

    public static class LeakInMethodTypeVariableBound {
        public <T extends Comparable<T> & Supplier<CircuitBreakerConfig>> void use() {
        }
    }

    public static class LeakInGenericArray {
        public List<CircuitBreakerConfig>[] retries() {
            return null;
        }
    }

    public static class LeakInArray {
        public void use(CircuitBreaker[][] breakers) {
        }
    }

    public static class LeakInThrows {
        public void use() throws CallNotPermittedException {
        }
    }

    public static class LeakInPublicField {
        public CircuitBreakerConfig retry;
    }

    public static class LeakInProtectedField {
        protected Optional<CircuitBreakerConfig> config;
    }

    public static class LeakInConstructor {
        public LeakInConstructor(CircuitBreakerConfig retry) {
        }
    }

    public static class LeakInProtectedMethod {
        protected CircuitBreaker breaker() {
            return null;
        }
    }

    @SuppressWarnings("serial")
    public static class LeakInSuperclassTypeArgument extends ArrayList<CircuitBreaker> {
    }

    public interface LeakInInterfaceTypeArgument extends Supplier<CircuitBreakerConfig> {
    }

    public static class LeakInClassTypeVariableBound<T extends CircuitBreakerConfig> {
    }

    public static class LeakInNestedTypeArgument {
        public Map<String, List<Optional<CircuitBreaker[]>>> deep() {
            return null;
        }
    }

    public static class CleanSample {
        private CircuitBreaker hidden;
        CircuitBreaker packagePrivate;

        public List<String> fine() {
            return List.of();
        }

        private CircuitBreakerConfig alsoHidden(CircuitBreaker b) {
            return null;
        }

        CircuitBreaker packagePrivateMethod(CircuitBreakerConfig r) {
            return hidden;
        }
    }

    public static class RecursiveBound<E extends Enum<E>> {
        public <T extends Comparable<? super T>> T max(List<? extends T> values) {
            return null;
        }
    }
}
