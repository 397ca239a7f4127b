package dev.levee.internal.contract;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads the consumer's own objects: record components, public getters ({@code getX}, {@code isX}, {@code x()}),
 * map keys, list and array indexes. Accessors are looked up once per class and property.
 */
public final class ObjectAccess implements Access {

    /** The shared instance. */
    public static final ObjectAccess INSTANCE = new ObjectAccess();

    private static final Function<Object, Object> NONE = o -> null;

    private static final ClassValue<Map<String, Function<Object, Object>>> PROPERTIES = new ClassValue<>() {
        @Override
        protected Map<String, Function<Object, Object>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private ObjectAccess() {
    }

    /** A getter cached in a rule: valid while the value read at that segment is of {@code type}. */
    private record Cached(Class<?> type, Function<Object, Object> getter) {
    }

    /** Reads a property through the rule's cache for its segment: one class comparison when the data keeps its shape. */
    @Override
    public Object child(Object node, Rule rule, int i) {
        Object[] cache = rule.getters();
        if (cache[i] instanceof Cached c && c.type == node.getClass()) {
            return orAbsent(c.getter.apply(node));
        }
        String segment = rule.segments().get(i);
        Object child = child(node, segment);
        if (byProperty(node)) { // child() has looked the getter up
            cache[i] = new Cached(node.getClass(), PROPERTIES.get(node.getClass()).get(segment));
        }
        return child;
    }

    /** Whether values of this class are read by property: not a map, list, array, optional or scalar. */
    private boolean byProperty(Object node) {
        return !(node instanceof Map<?, ?> || node instanceof Collection<?> || node instanceof Optional<?>
                || node.getClass().isArray() || scalar(node) != null);
    }

    @Override
    public Object child(Object node, String segment) {
        if (node instanceof Optional<?> o) {
            node = o.isPresent() ? o.get() : null;
            if (node == null) {
                return ABSENT;
            }
        }
        if (node instanceof Map<?, ?> map) {
            return orAbsent(map.get(segment));
        }
        if (node instanceof List<?> || node.getClass().isArray()) {
            int index = Access.index(segment);
            int n = elements(node);
            return index >= 0 && index < n ? element(node, index) : ABSENT;
        }
        if (scalar(node) != null || node instanceof Collection<?>) {
            return NOT_A_CONTAINER;
        }
        Class<?> type = node.getClass();
        Map<String, Function<Object, Object>> properties = PROPERTIES.get(type);
        Function<Object, Object> getter = properties.get(segment); // no capturing lambda on the hot path
        if (getter == null) {
            getter = properties.computeIfAbsent(segment, s -> find(type, s));
        }
        if (getter == NONE) {
            return ABSENT; // the consumer's type has no such property: nothing it could rely on
        }
        return orAbsent(getter.apply(node));
    }

    private static Object orAbsent(@Nullable Object value) {
        if (value instanceof Optional<?> o) {
            value = o.orElse(null);
        }
        return value == null ? ABSENT : value;
    }

    private static Function<Object, Object> find(Class<?> type, String name) {
        Method accessor = accessor(type, name);
        return accessor == null ? NONE : getter(type, accessor);
    }

    /** The record component's accessor, else the public getter ({@code getX}, {@code isX}, {@code x()}); null if none. */
    static @Nullable Method accessor(Class<?> type, String name) {
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equals(name)) {
                    return c.getAccessor();
                }
            }
            return null;
        }
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String candidate : new String[] {"get" + cap, "is" + cap, name}) {
            try {
                Method m = type.getMethod(candidate);
                if (m.getReturnType() != void.class && !Modifier.isStatic(m.getModifiers())) {
                    return m;
                }
            } catch (NoSuchMethodException next) {
                // try the next form
            }
        }
        return null;
    }

    /**
     * A getter as a generated {@link Function}: called like any lambda, several times faster than a method
     * handle held in a map. Falls back to the method handle where the class cannot be looked up privately.
     */
    @SuppressWarnings("unchecked")
    private static Function<Object, Object> getter(Class<?> type, Method accessor) {
        try {
            accessor.setAccessible(true); // the consumer's records, often package-private
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(accessor.getDeclaringClass(), MethodHandles.lookup());
            MethodHandle handle = lookup.unreflect(accessor);
            try {
                CallSite site = LambdaMetafactory.metafactory(lookup, "apply", MethodType.methodType(Function.class),
                        MethodType.methodType(Object.class, Object.class), handle,
                        MethodType.methodType(wrap(accessor.getReturnType()), accessor.getDeclaringClass()));
                return (Function<Object, Object>) site.getTarget().invokeExact();
            } catch (Throwable notGenerated) {
                MethodHandle generic = handle.asType(MethodType.methodType(Object.class, Object.class));
                return node -> {
                    try {
                        return generic.invokeExact(node);
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IllegalStateException("reading '" + accessor.getName() + "' of " + type.getName() + " failed", t);
                    }
                };
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read property '" + accessor.getName() + "' of " + type.getName() + ": " + e, e);
        }
    }

    private static Class<?> wrap(Class<?> c) {
        return c.isPrimitive() ? MethodType.methodType(c).wrap().returnType() : c;
    }

    @Override
    public @Nullable String scalar(Object node) {
        if (node instanceof String s) {
            return s;
        }
        if (node instanceof Enum<?> e) {
            return e.name();
        }
        if (node instanceof Boolean || node instanceof Character || node instanceof CharSequence) {
            return node.toString();
        }
        if (node instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (node instanceof Number) {
            return isIntegral(node) ? Long.toString(integral(node)) : decimal(node).stripTrailingZeros().toPlainString();
        }
        return null;
    }

    @Override
    public @Nullable CharSequence text(Object node) {
        return node instanceof CharSequence s ? s : null;
    }

    @Override
    public boolean isNumber(Object node) {
        return node instanceof Number;
    }

    @Override
    public boolean isIntegral(Object node) {
        return node instanceof Integer || node instanceof Long || node instanceof Short || node instanceof Byte
                || node instanceof BigInteger b && b.bitLength() < 64;
    }

    @Override
    public long integral(Object node) {
        return ((Number) node).longValue();
    }

    @Override
    public BigDecimal decimal(Object node) {
        if (node instanceof BigDecimal d) {
            return d;
        }
        if (node instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        double d = ((Number) node).doubleValue();
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : (d > 0 ? BigDecimal.valueOf(Double.MAX_VALUE) : BigDecimal.valueOf(-Double.MAX_VALUE));
    }

    @Override
    public int size(Object node) {
        if (node instanceof Collection<?> c) {
            return c.size();
        }
        if (node instanceof Map<?, ?> m) {
            return m.size();
        }
        if (node instanceof CharSequence s) {
            return s.length();
        }
        return node.getClass().isArray() ? Array.getLength(node) : -1;
    }

    @Override
    public int elements(Object node) {
        if (node instanceof List<?> l) {
            return l.size();
        }
        return node.getClass().isArray() ? Array.getLength(node) : -1;
    }

    @Override
    public Object element(Object node, int index) {
        Object e = node instanceof List<?> l ? l.get(index) : Array.get(node, index);
        return orAbsent(e);
    }
}
