package dev.levee.spring.autoconfigure;

import dev.levee.ClassificationRules;
import dev.levee.InvalidSpecException;
import dev.levee.UpstreamSpec;
import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.UpstreamProperties;
import dev.levee.spring.autoconfigure.BaseConfigs.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * Resolves the settings of one upstream through its levels and remembers which level each one came from, so that a
 * value the core rejects is reported with the property the user wrote, and a rule between two settings names both.
 */
final class Resolution {

    private static final UpstreamSpec CORE = UpstreamSpec.named("core").build();
    private static final Pattern BETWEEN = Pattern.compile("between (\\S+) and (\\S+)");
    private static final Pattern TWICE = Pattern.compile("at least twice attemptTimeout \\((\\S+)\\)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern CAMEL = Pattern.compile("\\b[a-z]+(?:[A-Z][a-z0-9]*)+\\b");
    /** The core's names of the classification rules, and the properties that set them. */
    private static final Map<String, String> CORE_FIELDS = Map.of(
            "classification.callerFault", "classification.callerFaults",
            "classification.timeout", "classification.timeouts");

    private final String path;
    private final List<Level> levels;
    private final @Nullable String only;
    private final @Nullable Set<String> discovered;
    private final Map<String, Level> sources = new HashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, Class<? extends Throwable>[]> classes = new HashMap<>();

    private Resolution(String path, List<Level> levels, @Nullable String only, @Nullable Set<String> discovered) {
        this.path = path;
        this.levels = levels;
        this.only = only;
        this.discovered = discovered;
    }

    /** Resolves through the levels, nearest first; an unset setting is reported under {@code path}. */
    static Resolution of(String path, List<Level> levels) {
        return new Resolution(path, levels, null, null);
    }

    /** Resolves nothing: records which settings {@code level} sets itself. */
    static Resolution discovering(Level level) {
        return new Resolution(level.path(), List.of(level), null, new LinkedHashSet<>());
    }

    /** Takes one setting from {@code level} and everything else from {@code context}. */
    static Resolution probing(Level level, String field, Level context) {
        return new Resolution(level.path(), List.of(level, context), field, null);
    }

    /** The settings a discovering resolution found. */
    Set<String> discovered() {
        return discovered == null ? Set.of() : discovered;
    }

    <T> @Nullable T get(String field, Function<UpstreamProperties, @Nullable T> getter) {
        if (discovered != null) {
            if (getter.apply(levels.get(0).properties()) != null) {
                discovered.add(field);
            }
            return null;
        }
        for (int i = 0; i < levels.size(); i++) {
            if (i == 0 && only != null && !only.equals(field)) {
                continue;
            }
            T value = getter.apply(levels.get(i).properties());
            if (value != null) {
                sources.put(field, levels.get(i));
                values.put(field, value);
                return value;
            }
        }
        return null;
    }

    <T> void set(String field, Function<UpstreamProperties, @Nullable T> getter, Consumer<T> setter) {
        T value = get(field, getter);
        if (value != null) {
            setter.accept(value);
        }
    }

    /** Which of two resolved settings comes from the nearer level; ties go to neither (negative). */
    int nearer(String a, String b) {
        int ia = levels.indexOf(sources.get(a));
        int ib = levels.indexOf(sources.get(b));
        return ia == ib ? -1 : ia < ib ? 0 : 1;
    }

    /** Forgets a resolved value that was not used (the losing window), so messages do not refer to it. */
    void unused(String field) {
        values.remove(field);
    }

    /** Remembers the classes a classification list resolved to, to name the entry a rejection is about. */
    void classes(String field, Class<? extends Throwable>[] types) {
        classes.put(field, types);
    }

    /**
     * Where a setting came from: the level that set it; a setting set at no level (a core default that conflicts with
     * another setting, or a value set in code) is reported under this resolution's own path, where setting it helps.
     */
    String propertyOf(String field) {
        if (field.equals("name")) {
            return path;
        }
        Level source = sources.get(field);
        return (source != null ? source.path() : path) + "." + PropertyPaths.kebab(field);
    }

    /** The settings' name for a field the core names. */
    static String field(InvalidSpecException e) {
        return field(e.field());
    }

    private static String field(String coreField) {
        return CORE_FIELDS.getOrDefault(coreField, coreField);
    }

    /**
     * The core's rejection, told in property paths. A probing resolution reports the core's words: the bounds it
     * names come from the context, not from the user's settings.
     */
    LeveeConfigurationException rejected(InvalidSpecException e) {
        String field = field(e);
        if (field.startsWith("classification.")) {
            return rejectedClass(field, e);
        }
        String allowed = only != null ? e.allowed() : switch (field) {
            case "deadline" -> bound(e, "attemptTimeout", true);
            case "circuitBreaker.slowCallThreshold" -> bound(e, "attemptTimeout", false);
            case "circuitBreaker.minimumCalls" -> bound(e, "circuitBreaker.countWindow", false);
            case "retry.maxBackoff" -> bound(e, "retry.initialBackoff", true);
            case "bulkhead.maxWait" -> bound(e, "deadline", false);
            case "circuitBreaker.timeWindow" -> twiceTheAttemptTimeout(e);
            default -> e.allowed();
        };
        return new LeveeConfigurationException(propertyOf(field), e.value(), allowed, e);
    }

    /**
     * A range whose lower or upper bound is another setting: names that setting when it is the bound the value
     * broke, such as {@code at least levee.upstreams.x.attempt-timeout (500ms)}; otherwise the core's words.
     */
    private String bound(InvalidSpecException e, String other, boolean lower) {
        Matcher m = BETWEEN.matcher(e.allowed());
        Object effective = effective(other);
        if (!m.matches() || effective == null) {
            return e.allowed();
        }
        String bound = m.group(lower ? 1 : 2);
        int compared = compare(e.value(), bound);
        boolean broken = lower ? compared < 0 : compared > 0;
        if (broken && equal(bound, effective)) {
            return (lower ? "at least " : "at most ") + propertyOf(other) + " (" + bound + ")";
        }
        return e.allowed(); // the absolute bound, or one set in code: the core's words are right
    }

    /**
     * Of two refusals of one value, the one whose range is the wider ({@code between 1ms and 60m} rather than
     * {@code between 10m and 60m}): each context narrows the range from one side.
     */
    static LeveeConfigurationException widest(LeveeConfigurationException a, LeveeConfigurationException b) {
        Matcher ma = BETWEEN.matcher(a.allowed());
        Matcher mb = BETWEEN.matcher(b.allowed());
        if (!ma.matches() || !mb.matches()) {
            return a;
        }
        String low = compare(ma.group(1), mb.group(1)) <= 0 ? ma.group(1) : mb.group(1);
        String high = compare(ma.group(2), mb.group(2)) >= 0 ? ma.group(2) : mb.group(2);
        return new LeveeConfigurationException(a.property(), a.value(), "between " + low + " and " + high, a.getCause());
    }

    private String twiceTheAttemptTimeout(InvalidSpecException e) {
        Matcher m = TWICE.matcher(e.allowed());
        if (m.matches() && effective("attemptTimeout") instanceof Duration attempt
                && equal(m.group(1), attempt.multipliedBy(2))) {
            return "at least " + m.group(1) + ", twice " + propertyOf("attemptTimeout");
        }
        // not the bound it is made of (a value set in code): the core's words, in property names
        return CAMEL.matcher(e.allowed()).replaceAll(r -> PropertyPaths.kebab(r.group()));
    }

    private LeveeConfigurationException rejectedClass(String field, InvalidSpecException e) {
        String value = "'" + e.value() + "'";
        String conflict = "a type not already in ";
        String other = e.allowed().startsWith(conflict) ? field(e.allowed().substring(conflict.length())) : null;
        if (other == null) {
            return new LeveeConfigurationException(entryOf(field, e.value()), value, e.allowed(), e);
        }
        List<String> builtIn = ClassificationRules.defaults().timeout().stream().map(Class::getName).toList();
        if (field.equals("classification.timeouts") && builtIn.contains(e.value())) {
            // the user listed a built-in timeout elsewhere: the other list is where to look
            return new LeveeConfigurationException(entryOf(other, e.value()), value,
                    "a class that is not always a timeout " + builtIn, e);
        }
        return new LeveeConfigurationException(entryOf(field, e.value()), value,
                "a class not already in " + propertyOf(other), e);
    }

    /** The list entry that names a class, such as {@code ...caller-faults[1]}, or the list if it is not found. */
    private String entryOf(String field, String className) {
        Class<? extends Throwable>[] types = classes.get(field);
        for (int i = 0; types != null && i < types.length; i++) {
            if (types[i].getName().equals(className)) {
                return propertyOf(field) + "[" + i + "]";
            }
        }
        return propertyOf(field);
    }

    /** The value in effect for a setting: the resolved one, or the core's default where messages need it. */
    private @Nullable Object effective(String field) {
        Object value = values.get(field);
        if (value != null) {
            return value;
        }
        return switch (field) {
            case "attemptTimeout" -> CORE.attemptTimeout();
            case "deadline" -> CORE.deadline();
            case "retry.initialBackoff" -> CORE.retry().initialBackoff();
            default -> null;
        };
    }

    /** Compares two values as the core prints them (numbers or durations); 0 for what cannot be compared. */
    private static int compare(String a, String b) {
        if (NUMBER.matcher(a).matches() && NUMBER.matcher(b).matches()) {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        }
        try {
            return DurationStyle.detectAndParse(a).compareTo(DurationStyle.detectAndParse(b));
        } catch (RuntimeException notDurations) {
            return 0;
        }
    }

    private static boolean equal(String bound, Object effective) {
        try {
            return effective instanceof Duration d ? DurationStyle.detectAndParse(bound).equals(d) : bound.equals(String.valueOf(effective));
        } catch (RuntimeException notADuration) {
            return false;
        }
    }
}
