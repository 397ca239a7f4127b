package dev.levee.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a module as sorted text, one line per public type and per member a caller outside the
 * package can use, read from the compiled classes; and the check that compares it with the committed
 * signature file ({@code api/*.api} of each published module).
 *
 * <p>Why hand-written: japicmp compares two jars and so needs a released baseline; the JDK's {@code javap}
 * prints no {@code sealed}, {@code permits} or annotations without its verbose mode, and its layout changes
 * between JDKs. Reflection on the compiled classes gives the same text on every JDK from 17 on, and this
 * class stays small enough to read in one sitting.
 *
 * <p>A line is {@code <type>: <declaration>}: the type's own declaration (modifiers, kind, type parameters,
 * supertypes, permitted subclasses, {@code @FunctionalInterface}, {@code @Deprecated}), then its public
 * members, and protected ones where a caller can subclass the type (it is neither final nor sealed to
 * final subclasses). {@code equals}, {@code hashCode} and {@code toString} overrides, bridges and synthetic
 * members are left out: they change no signature a caller compiles against.
 */
public final class ApiSignature {

    /** The system property that makes {@link #check} write the current signature instead of failing. */
    public static final String UPDATE_PROPERTY = "levee.api.update";

    /** The one command that regenerates every signature file of the build. */
    public static final String UPDATE_COMMAND =
            "mvn -B -pl resilience-core,resilience-spring/autoconfigure -am test -Dlevee.api.update=true";

    private static final String HEADER = """
            # The public API of %s, generated from its compiled classes; checked by every build (%s).
            # A change here is a change of the API callers compile against: review it as such.
            # Regenerate after an intended change: %s
            """;

    private ApiSignature() {
    }

    // ---- reading the API ----------------------------------------------------------------------------------

    /**
     * Every class compiled into {@code root} whose package {@code api} accepts, loaded (not initialised)
     * with {@code loader}.
     */
    public static List<Class<?>> classesIn(Path root, ClassLoader loader, Predicate<String> api) {
        try (Stream<Path> files = Files.walk(root)) {
            List<String> names = files.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class") && !n.equals("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace(root.getFileSystem().getSeparator(), "."))
                    .filter(n -> api.test(n.substring(0, Math.max(0, n.lastIndexOf('.')))))
                    .sorted()
                    .collect(Collectors.toList());
            List<Class<?>> classes = new ArrayList<>();
            for (String name : names) {
                classes.add(Class.forName(name, false, loader));
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signature lines of those of {@code classes} that are API, grouped by type, sorted. */
    public static List<String> of(Collection<Class<?>> classes) {
        List<String> lines = new ArrayList<>();
        classes.stream().filter(ApiSignature::isApi).sorted(Comparator.comparing(ApiSignature::name)).forEach(type -> {
            String prefix = name(type) + ": ";
            lines.add(prefix + declaration(type));
            Set<String> members = new TreeSet<>();
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                boolean own = c == type;
                // A public type inherits the public members of a package-private superclass: they are its API too.
                if (!own && (isApi(c) || !c.getPackageName().equals(type.getPackageName()))) {
                    break;
                }
                for (Constructor<?> k : own ? c.getDeclaredConstructors() : new Constructor<?>[0]) {
                    if (visible(type, k)) {
                        members.add(prefix + executable(k, type.getSimpleName()));
                    }
                }
                for (Method m : c.getDeclaredMethods()) {
                    if (visible(type, m) && !m.isBridge() && !isObjectMethod(m)) {
                        members.add(prefix + method(m));
                    }
                }
                for (Field f : c.getDeclaredFields()) {
                    if (visible(type, f)) {
                        members.add(prefix + field(f));
                    }
                }
            }
            lines.addAll(members);
        });
        return lines;
    }

    /** The lines of {@code signature} that name anything starting with {@code packagePrefix}. */
    public static List<String> mentioning(List<String> signature, String packagePrefix) {
        return signature.stream().filter(l -> l.contains(packagePrefix)).collect(Collectors.toList());
    }

    /** Public or protected, and so is every class enclosing it; never anonymous, local or synthetic. */
    public static boolean isApi(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            int m = k.getModifiers();
            if (!Modifier.isPublic(m) && !(Modifier.isProtected(m) && subclassable(k.getEnclosingClass()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether code outside the package can declare a subclass of {@code c}, and so use its protected members. */
    static boolean subclassable(Class<?> c) {
        if (c == null || c.isInterface() || c.isEnum() || c.isRecord() || Modifier.isFinal(c.getModifiers())) {
            return false;
        }
        if (c.isSealed()) {
            return Arrays.stream(c.getPermittedSubclasses()).anyMatch(s -> isApi(s) && subclassable(s));
        }
        return Arrays.stream(c.getDeclaredConstructors()).mapToInt(Constructor::getModifiers)
                .anyMatch(m -> Modifier.isPublic(m) || Modifier.isProtected(m));
    }

    private static boolean visible(Class<?> type, Member member) {
        int m = member.getModifiers();
        return !member.isSynthetic() && (Modifier.isPublic(m) || Modifier.isProtected(m) && subclassable(type));
    }

    private static boolean isObjectMethod(Method m) {
        return m.getParameterCount() == 0 && (m.getName().equals("toString") || m.getName().equals("hashCode"))
                || m.getName().equals("equals") && Arrays.equals(m.getParameterTypes(), new Class<?>[] {Object.class});
    }

    // ---- formatting ---------------------------------------------------------------------------------------

    static String declaration(Class<?> c) {
        int m = c.getModifiers();
        String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
                : c.isRecord() ? "record" : "class";
        StringBuilder s = new StringBuilder(annotations(c)).append(visibility(m));
        boolean isClass = kind.equals("class");
        if (isClass && Modifier.isAbstract(m)) {
            s.append("abstract ");
        }
        if (isClass && Modifier.isStatic(m) && c.getEnclosingClass() != null) {
            s.append("static ");
        }
        if (isClass && Modifier.isFinal(m)) {
            s.append("final ");
        }
        if (c.isSealed()) {
            s.append("sealed ");
        } else if (!Modifier.isFinal(m) && !c.isEnum() && !c.isAnnotation() && directSupertypes(c).anyMatch(Class::isSealed)) {
            s.append("non-sealed ");
        }
        s.append(kind).append(' ').append(c.getSimpleName()).append(typeParameters(c.getTypeParameters()));
        Type superclass = c.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !c.isEnum() && !c.isRecord()) {
            s.append(" extends ").append(type(superclass));
        }
        List<Type> interfaces = Arrays.stream(c.getGenericInterfaces())
                .filter(i -> !(c.isAnnotation() && i == java.lang.annotation.Annotation.class))
                .collect(Collectors.toList());
        if (!interfaces.isEmpty()) {
            s.append(c.isInterface() ? " extends " : " implements ").append(join(interfaces));
        }
        if (c.isSealed()) {
            s.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses()).map(ApiSignature::name).sorted()
                    .collect(Collectors.joining(", ")));
        }
        return s.toString();
    }

    private static Stream<Class<?>> directSupertypes(Class<?> c) {
        return Stream.concat(Stream.ofNullable(c.getSuperclass()), Arrays.stream(c.getInterfaces()));
    }

    private static String method(Method m) {
        StringBuilder s = new StringBuilder(annotations(m)).append(visibility(m.getModifiers()));
        if (m.isDefault()) {
            s.append("default ");
        }
        for (int flag : new int[] {Modifier.STATIC, Modifier.ABSTRACT, Modifier.FINAL}) {
            if ((m.getModifiers() & flag) != 0) {
                s.append(Modifier.toString(flag)).append(' ');
            }
        }
        String generics = typeParameters(m.getTypeParameters());
        if (!generics.isEmpty()) {
            s.append(generics).append(' ');
        }
        s.append(type(m.getGenericReturnType())).append(' ').append(executable(m, m.getName()));
        if (m.getDefaultValue() != null) {
            s.append(" default ").append(m.getDefaultValue() instanceof Object[] a ? Arrays.toString(a) : m.getDefaultValue());
        }
        return s.toString();
    }

    /** {@code name(params) throws ...}; for a constructor, with its annotations, visibility and type parameters. */
    private static String executable(Executable e, String name) {
        StringBuilder s = new StringBuilder();
        if (e instanceof Constructor) {
            s.append(annotations(e)).append(visibility(e.getModifiers()));
            String generics = typeParameters(e.getTypeParameters());
            if (!generics.isEmpty()) {
                s.append(generics).append(' ');
            }
        }
        Type[] params = e.getGenericParameterTypes();
        if (params.length != e.getParameterCount()) {
            // inner-class and enum constructors: the generic view leaves out the implicit parameters
            params = e.getParameterTypes();
        }
        StringJoiner list = new StringJoiner(", ", name + "(", ")");
        for (int i = 0; i < params.length; i++) {
            String p = type(params[i]);
            list.add(e.isVarArgs() && i == params.length - 1 ? p.substring(0, p.length() - 2) + "..." : p);
        }
        s.append(list);
        if (e.getGenericExceptionTypes().length > 0) {
            s.append(" throws ").append(join(Arrays.asList(e.getGenericExceptionTypes())));
        }
        return s.toString();
    }

    private static String field(Field f) {
        StringBuilder s = new StringBuilder(annotations(f)).append(visibility(f.getModifiers()));
        for (int flag : new int[] {Modifier.STATIC, Modifier.FINAL}) {
            if ((f.getModifiers() & flag) != 0) {
                s.append(Modifier.toString(flag)).append(' ');
            }
        }
        s.append(type(f.getGenericType())).append(' ').append(f.getName());
        int constant = Modifier.STATIC | Modifier.FINAL;
        if ((f.getModifiers() & constant) == constant && (f.getType().isPrimitive() || f.getType() == String.class)) {
            // javac copies constants into the callers' classes: a new value reaches them only when they recompile
            s.append(" = ").append(constantValue(f));
        }
        return s.toString();
    }

    private static String constantValue(Field f) {
        try {
            Object value = f.get(null);
            return value instanceof String text ? '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : String.valueOf(value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String annotations(java.lang.reflect.AnnotatedElement e) {
        StringBuilder s = new StringBuilder();
        if (e.isAnnotationPresent(FunctionalInterface.class)) {
            s.append("@FunctionalInterface ");
        }
        Deprecated d = e.getAnnotation(Deprecated.class);
        if (d != null) {
            s.append(d.forRemoval() ? "@Deprecated(forRemoval=true) " : "@Deprecated ");
        }
        return s.toString();
    }

    private static String visibility(int modifiers) {
        return Modifier.isPublic(modifiers) ? "public " : Modifier.isProtected(modifiers) ? "protected " : "";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        StringJoiner s = new StringJoiner(", ", "<", ">");
        for (TypeVariable<?> v : variables) {
            List<Type> bounds = Arrays.asList(v.getBounds());
            s.add(bounds.equals(List.of(Object.class)) ? v.getName()
                    : v.getName() + " extends " + bounds.stream().map(ApiSignature::type).collect(Collectors.joining(" & ")));
        }
        return s.toString();
    }

    /** A type as source would write it, fully qualified, nested types with a dot: the same text on every JDK. */
    static String type(Type t) {
        if (t instanceof Class<?> c) {
            return c.isArray() ? type(c.getComponentType()) + "[]" : name(c);
        } else if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            String head = p.getOwnerType() instanceof ParameterizedType owner ? type(owner) + "." + raw.getSimpleName() : name(raw);
            return head + "<" + join(Arrays.asList(p.getActualTypeArguments())) + ">";
        } else if (t instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return "? super " + type(w.getLowerBounds()[0]);
            }
            Type upper = w.getUpperBounds()[0];
            return upper == Object.class ? "?" : "? extends " + type(upper);
        } else if (t instanceof TypeVariable<?> v) {
            return v.getName();
        } else if (t instanceof GenericArrayType a) {
            return type(a.getGenericComponentType()) + "[]";
        }
        throw new IllegalArgumentException("unknown kind of type: " + t);
    }

    static String name(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getName() : name(c.getEnclosingClass()) + "." + c.getSimpleName();
    }

    private static String join(List<Type> types) {
        return types.stream().map(ApiSignature::type).collect(Collectors.joining(", "));
    }

    // ---- comparing with the committed file ----------------------------------------------------------------

    /**
     * What changed between the committed signature and the current one.
     *
     * @param removed lines of the committed file the current API no longer has (a member removed or changed)
     * @param added lines of the current API the committed file does not have
     */
    public record Diff(List<String> removed, List<String> added) {

        /** Whether the API is the one recorded. */
        public boolean unchanged() {
            return removed.isEmpty() && added.isEmpty();
        }

        /**
         * {@code "breaking"} when anything was removed or changed, {@code "additive"} when lines were only added
         * or a member only became (or stopped being) deprecated: both keep every caller compiling and linking.
         */
        public String kind() {
            return breaking().isEmpty() ? "additive" : "breaking";
        }

        /** The removed lines that are not the same member with only its deprecation changed. */
        List<String> breaking() {
            Set<String> now = added.stream().map(Diff::undeprecated).collect(Collectors.toSet());
            return removed.stream().filter(l -> !now.contains(undeprecated(l))).collect(Collectors.toList());
        }

        private static String undeprecated(String line) {
            return line.replace("@Deprecated(forRemoval=true) ", "").replace("@Deprecated ", "");
        }

        /** The report the failing build prints: what changed, of which kind, and how to record it. */
        public String report(String module, Path file) {
            int deprecations = removed.size() - breaking().size();
            StringBuilder s = new StringBuilder();
            s.append("The public API of ").append(module).append(" changed but ").append(file)
                    .append(" was not updated. ").append(kind().toUpperCase(java.util.Locale.ROOT)).append(" change: ")
                    .append(breaking().size()).append(" removed or changed, ").append(added.size() - deprecations).append(" added")
                    .append(deprecations == 0 ? "" : ", " + deprecations + " with a changed deprecation").append(".\n");
            TreeMap<String, List<String>> byType = new TreeMap<>();
            removed.forEach(l -> byType.computeIfAbsent(typeOf(l), k -> new ArrayList<>()).add("  - " + l));
            added.forEach(l -> byType.computeIfAbsent(typeOf(l), k -> new ArrayList<>()).add("  + " + l));
            byType.values().forEach(lines -> lines.forEach(l -> s.append(l).append('\n')));
            s.append(breaking().isEmpty()
                    ? "Additive: allowed in a minor release.\n"
                    : "Breaking: callers compiled against the recorded API may no longer compile or link; only a major release may do this"
                            + " (or deprecate first and keep the old signature).\n");
            s.append("If the change is intended, regenerate the file and commit it with the change:\n  ").append(UPDATE_COMMAND);
            return s.toString();
        }

        private static String typeOf(String line) {
            int colon = line.indexOf(": ");
            return colon < 0 ? line : line.substring(0, colon);
        }
    }

    /** Compares a committed signature with the current one; lines starting with {@code #} are comments. */
    public static Diff diff(List<String> committed, List<String> current) {
        Set<String> before = new LinkedHashSet<>(withoutComments(committed));
        Set<String> now = new LinkedHashSet<>(current);
        return new Diff(before.stream().filter(l -> !now.contains(l)).collect(Collectors.toList()),
                now.stream().filter(l -> !before.contains(l)).collect(Collectors.toList()));
    }

    /**
     * Checks {@code current} against the committed signature {@code file}: passes when equal, writes the file
     * when the system property {@value #UPDATE_PROPERTY} is {@code true}, and otherwise fails with the
     * {@link Diff#report report} (a missing file counts as empty).
     *
     * @return the differences found (empty when the file was just written)
     */
    public static Diff check(String module, Path file, List<String> current) {
        List<String> committed;
        try {
            committed = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                String text = String.format(HEADER, module, "ApiSignatureTest", UPDATE_COMMAND) + String.join("\n", current) + "\n";
                Files.writeString(file, text, StandardCharsets.UTF_8);
                return diff(current, current);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Diff diff = diff(committed, current);
        if (!diff.unchanged()) {
            throw new AssertionError(diff.report(module, file));
        }
        return diff;
    }

    private static List<String> withoutComments(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.toList());
    }
}
