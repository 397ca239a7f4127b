package dev.levee.internal.contract;

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
import org.jspecify.annotations.Nullable;

/**
 * Reads the consumer's own objects: record components, public getters ({@code getX}, {@code isX}, {@code x()}),
 * map keys, list and array indexes. Accessors are looked up once per class and property.
 */
public final class ObjectAccess implements Access {

    /** The shared instance. */
    public static final ObjectAccess INSTANCE = new ObjectAccess();

    private static final MethodHandle NONE = MethodHandles.constant(Object.class, null);

    private static final ClassValue<Map<String, MethodHandle>> PROPERTIES = new ClassValue<>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private ObjectAccess() {
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
        Map<String, MethodHandle> properties = PROPERTIES.get(type);
        MethodHandle getter = properties.get(segment); // no capturing lambda on the hot path
        if (getter == null) {
            getter = properties.computeIfAbsent(segment, s -> find(type, s));
        }
        if (getter == NONE) {
            return ABSENT; // the consumer's type has no such property: nothing it could rely on
        }
        try {
            return orAbsent(getter.invoke(node));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("reading '" + segment + "' of " + node.getClass().getName() + " failed", t);
        }
    }

    private static Object orAbsent(@Nullable Object value) {
        if (value instanceof Optional<?> o) {
            value = o.orElse(null);
        }
        return value == null ? ABSENT : value;
    }

    private static MethodHandle find(Class<?> type, String name) {
        try {
            if (type.isRecord()) {
                for (RecordComponent c : type.getRecordComponents()) {
                    if (c.getName().equals(name)) {
                        Method m = c.getAccessor();
                        m.setAccessible(true); // records of the consumer's own, often package-private
                        return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                    }
                }
                return NONE;
            }
            String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            for (String candidate : new String[] {"get" + cap, "is" + cap, name}) {
                try {
                    Method m = type.getMethod(candidate);
                    if (m.getReturnType() != void.class && !Modifier.isStatic(m.getModifiers())) {
                        m.setAccessible(true);
                        return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
                    }
                } catch (NoSuchMethodException next) {
                    // try the next form
                }
            }
            return NONE;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read property '" + name + "' of " + type.getName() + ": " + e, e);
        }
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
