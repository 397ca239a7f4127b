package dev.levee.internal;

import dev.levee.migration.Difference;
import dev.levee.migration.MismatchKind;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The walk behind {@code StructuralEquivalence}: records, maps, lists, arrays, numbers, then equals. */
public final class StructuralComparer {

    private final Set<String> ignored;
    private final Map<String, Double> tolerances;
    private final Set<String> unordered;

    public StructuralComparer(Set<String> ignored, Map<String, Double> tolerances, Set<String> unordered) {
        this.ignored = ignored;
        this.tolerances = tolerances;
        this.unordered = unordered;
    }

    public List<Difference> compare(@Nullable Object primary, @Nullable Object candidate) {
        List<Difference> out = new ArrayList<>();
        walk("", "", primary, candidate, out);
        return List.copyOf(out);
    }

    /**
     * @param path the path with indexes, for the difference
     * @param field the path without indexes, to match the settings
     */
    private void walk(String path, String field, @Nullable Object p, @Nullable Object c, List<Difference> out) {
        String shown = path.isEmpty() ? "$" : path;
        if (!field.isEmpty() && ignored.contains(field)) {
            return;
        }
        if (p == null || c == null) {
            if (p != c) {
                out.add(new Difference(shown, p == null ? MismatchKind.UNEXPECTED : MismatchKind.MISSING, p, c));
            }
            return;
        }
        if (p instanceof Number pn && c instanceof Number cn) {
            if (!numbersEqual(field, pn, cn)) {
                out.add(new Difference(shown, MismatchKind.VALUE, p, c));
            }
        } else if (p.getClass().isRecord() && p.getClass() == c.getClass()) {
            for (RecordComponent rc : p.getClass().getRecordComponents()) {
                String child = join(field, rc.getName());
                walk(join(path, rc.getName()), child, read(rc, p), read(rc, c), out);
            }
        } else if (p instanceof Map<?, ?> pm && c instanceof Map<?, ?> cm) {
            Set<Object> keys = new LinkedHashSet<>(pm.keySet());
            keys.addAll(cm.keySet());
            for (Object k : keys) {
                String name = String.valueOf(k);
                String child = join(field, name);
                if (ignored.contains(child)) {
                    continue;
                }
                if (!pm.containsKey(k) || !cm.containsKey(k)) {
                    out.add(new Difference(join(path, name), pm.containsKey(k) ? MismatchKind.MISSING : MismatchKind.UNEXPECTED,
                            pm.get(k), cm.get(k)));
                } else {
                    walk(join(path, name), child, pm.get(k), cm.get(k), out);
                }
            }
        } else if (isSequence(p) && isSequence(c)) {
            List<?> pl = asList(p);
            List<?> cl = asList(c);
            if (p instanceof Set<?> || unordered.contains(field.isEmpty() ? "$" : field)) {
                compareUnordered(path, field, pl, cl, out);
            } else {
                compareOrdered(path, field, pl, cl, out);
            }
        } else if (p.getClass() != c.getClass()) {
            out.add(new Difference(shown, MismatchKind.TYPE, p, c));
        } else if (!p.equals(c)) {
            out.add(new Difference(shown, MismatchKind.VALUE, p, c));
        }
    }

    private void compareOrdered(String path, String field, List<?> pl, List<?> cl, List<Difference> out) {
        if (pl.size() != cl.size()) {
            out.add(new Difference(path.isEmpty() ? "$" : path, MismatchKind.SIZE, pl.size(), cl.size()));
        }
        int n = Math.min(pl.size(), cl.size());
        for (int i = 0; i < n; i++) {
            walk(path + "[" + i + "]", field + "[]", pl.get(i), cl.get(i), out);
        }
        for (int i = n; i < pl.size(); i++) {
            out.add(new Difference(path + "[" + i + "]", MismatchKind.MISSING, pl.get(i), null));
        }
        for (int i = n; i < cl.size(); i++) {
            out.add(new Difference(path + "[" + i + "]", MismatchKind.UNEXPECTED, null, cl.get(i)));
        }
    }

    /** Pairs each primary element with an equivalent candidate element; what is left over differs. */
    private void compareUnordered(String path, String field, List<?> pl, List<?> cl, List<Difference> out) {
        boolean[] taken = new boolean[cl.size()];
        List<Integer> unmatched = new ArrayList<>();
        for (int i = 0; i < pl.size(); i++) {
            int match = -1;
            for (int j = 0; j < cl.size() && match < 0; j++) {
                if (!taken[j]) {
                    List<Difference> probe = new ArrayList<>();
                    walk(path + "[" + i + "]", field + "[]", pl.get(i), cl.get(j), probe);
                    if (probe.isEmpty()) {
                        match = j;
                    }
                }
            }
            if (match >= 0) {
                taken[match] = true;
            } else {
                unmatched.add(i);
            }
        }
        if (pl.size() != cl.size()) {
            out.add(new Difference(path.isEmpty() ? "$" : path, MismatchKind.SIZE, pl.size(), cl.size()));
        }
        for (int i : unmatched) {
            out.add(new Difference(path + "[" + i + "]", MismatchKind.MISSING, pl.get(i), null));
        }
        for (int j = 0; j < cl.size(); j++) {
            if (!taken[j]) {
                out.add(new Difference(path + "[" + j + "]", MismatchKind.UNEXPECTED, null, cl.get(j)));
            }
        }
    }

    private boolean numbersEqual(String field, Number p, Number c) {
        Double tolerance = tolerances.get(field);
        if (tolerance != null) {
            return Math.abs(p.doubleValue() - c.doubleValue()) <= tolerance;
        }
        try {
            return new BigDecimal(p.toString()).compareTo(new BigDecimal(c.toString())) == 0;
        } catch (NumberFormatException nanOrInfinity) {
            return Double.compare(p.doubleValue(), c.doubleValue()) == 0;
        }
    }

    private static boolean isSequence(Object o) {
        return o instanceof Collection<?> || o.getClass().isArray();
    }

    private static List<?> asList(Object o) {
        if (o instanceof List<?> l) {
            return l;
        }
        if (o instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        List<Object> l = new ArrayList<>();
        for (int i = 0, n = Array.getLength(o); i < n; i++) {
            l.add(Array.get(o, i));
        }
        return l;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static @Nullable Object read(RecordComponent rc, Object record) {
        Method accessor = rc.getAccessor();
        try {
            accessor.setAccessible(true);
        } catch (RuntimeException e) {
            // a public record of an exported package needs no override
        }
        try {
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + record.getClass().getName() + "." + rc.getName(), e);
        }
    }
}
