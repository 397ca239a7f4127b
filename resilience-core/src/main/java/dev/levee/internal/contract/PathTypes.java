package dev.levee.internal.contract;

import dev.levee.InvalidSpecException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks, when a contract is built, that its paths lead somewhere in the consumer's type: each segment a record
 * component or getter of the type reached so far, a list index after a list. A typo then fails at build time
 * instead of reading as "missing" on every response. Where the type cannot tell (a map, {@code Object}, an
 * interface, a type variable), the rest of the path is taken on trust.
 */
public final class PathTypes {

    private PathTypes() {
    }

    /** Checks every rule's path from {@code root}; throws naming the first path that leads nowhere. */
    public static void check(Type root, List<Rule> rules) {
        for (Rule rule : rules) {
            if (rule.type() == Rule.Type.PREDICATE) {
                continue;
            }
            Type reached = walk(root, rule);
            if (rule.type() == Rule.Type.EACH && reached != null) {
                Type element = element(reached);
                if (element == null) {
                    throw new InvalidSpecException("contract.each(" + rule.path() + ")", "a " + name(reached),
                            "a path to a list or an array");
                }
                check(element, rule.nested());
            }
        }
    }

    /** The type at the end of the rule's path, or {@code null} if somewhere along it the type cannot tell. */
    private static @Nullable Type walk(Type root, Rule rule) {
        Type t = root;
        for (String segment : rule.segments()) {
            Class<?> raw = raw(t);
            if (raw == null || raw == Object.class || Map.class.isAssignableFrom(raw) || raw.isInterface() && !Collection.class.isAssignableFrom(raw)) {
                return null;
            }
            if (raw == Optional.class) {
                t = argument(t, 0);
                raw = raw(t);
                if (raw == null) {
                    return null;
                }
            }
            Type element = element(t);
            if (element != null) {
                if (Access.index(segment) < 0) {
                    throw refused(rule, segment, "a list index (0, 1, ...) after a list of " + name(element));
                }
                t = element;
                continue;
            }
            if (isScalar(raw)) {
                throw refused(rule, segment, "nothing after a " + raw.getSimpleName() + ": it has no properties");
            }
            Type property = property(raw, segment);
            if (property == null) {
                throw refused(rule, segment, "a record component or getter of " + raw.getName() + ": " + properties(raw));
            }
            t = property;
        }
        return t;
    }

    private static InvalidSpecException refused(Rule rule, String segment, String allowed) {
        return new InvalidSpecException("contract." + rule.expectation() + ".path", "'" + rule.path() + "' (at '" + segment + "')", allowed);
    }

    private static @Nullable Type property(Class<?> raw, String name) {
        Method accessor = ObjectAccess.accessor(raw, name); // the same lookup as at run time
        return accessor == null ? null : accessor.getGenericReturnType();
    }

    private static String properties(Class<?> raw) {
        List<String> names = new ArrayList<>();
        if (raw.isRecord()) {
            for (RecordComponent c : raw.getRecordComponents()) {
                names.add(c.getName());
            }
        } else {
            for (Method m : raw.getMethods()) {
                String n = m.getName();
                if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class
                        && n.length() > 3 && n.startsWith("get")) {
                    names.add(Character.toLowerCase(n.charAt(3)) + n.substring(4));
                }
            }
            names.sort(null);
        }
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    private static boolean isScalar(Class<?> raw) {
        return raw.isPrimitive() || raw.isEnum() || CharSequence.class.isAssignableFrom(raw) || Number.class.isAssignableFrom(raw)
                || raw == Boolean.class || raw == Character.class;
    }

    /** The element type of a list, collection or array type; {@code Object} if the list is raw; null if not one. */
    private static @Nullable Type element(Type t) {
        if (t instanceof GenericArrayType g) {
            return g.getGenericComponentType();
        }
        Class<?> raw = raw(t);
        if (raw == null) {
            return null;
        }
        if (raw.isArray()) {
            return raw.getComponentType();
        }
        if (Collection.class.isAssignableFrom(raw)) {
            Type a = argument(t, 0);
            return a == null ? Object.class : a;
        }
        return null;
    }

    private static @Nullable Type argument(Type t, int i) {
        return t instanceof ParameterizedType p && p.getActualTypeArguments().length > i ? p.getActualTypeArguments()[i] : null;
    }

    private static @Nullable Class<?> raw(@Nullable Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null; // a type variable or a wildcard: the type cannot tell
    }

    private static String name(Type t) {
        return t instanceof Class<?> c ? c.getName() : t.getTypeName();
    }
}
