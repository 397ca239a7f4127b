package dev.levee.spring.autoconfigure;

import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.UpstreamProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The levels an upstream's settings are resolved through, nearest first: the upstream itself, its base
 * configuration and that one's base configurations in turn, then {@code levee.defaults}. An upstream that names no
 * {@code base-config} takes {@code levee.defaults.base-config}; an empty name names none. Checked on creation:
 * every {@code base-config} names a configuration under {@code levee.configs}, and no chain leads back to where it
 * started.
 */
final class BaseConfigs {

    static final String DEFAULTS = "levee.defaults";
    static final String UPSTREAMS = "levee.upstreams";
    static final String CONFIGS = "levee.configs";

    /** One level of settings and the path its properties are written under, such as {@code levee.configs.slow}. */
    record Level(String path, UpstreamProperties properties) {
    }

    private final LeveeProperties properties;

    BaseConfigs(LeveeProperties properties) {
        this.properties = properties;
        checkNames();
        checkCycles();
    }

    /** The levels of an upstream under {@code levee.upstreams}, nearest first. */
    List<Level> of(String upstream, UpstreamProperties own) {
        List<Level> levels = new ArrayList<>();
        levels.add(new Level(PropertyPaths.entry(UPSTREAMS, upstream), own));
        String base = own.getBaseConfig() != null ? own.getBaseConfig() : properties.getDefaults().getBaseConfig();
        addChain(levels, base);
        levels.add(defaults());
        return levels;
    }

    /** The levels of an upstream that is not under {@code levee.upstreams} (registered in code): the defaults' chain. */
    List<Level> ofUnconfigured() {
        List<Level> levels = new ArrayList<>();
        addChain(levels, properties.getDefaults().getBaseConfig());
        levels.add(defaults());
        return levels;
    }

    /** {@code levee.defaults} and every configuration, each on its own: levels no upstream may use, still to be checked. */
    List<Level> declared() {
        List<Level> levels = new ArrayList<>();
        levels.add(defaults());
        properties.getConfigs().forEach((name, config) -> levels.add(new Level(PropertyPaths.entry(CONFIGS, name), config)));
        return levels;
    }

    /** The value the nearest level sets, or null if none does. */
    static <T> @Nullable T first(List<Level> levels, Function<UpstreamProperties, @Nullable T> getter) {
        for (Level level : levels) {
            T value = getter.apply(level.properties());
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private Level defaults() {
        return new Level(DEFAULTS, properties.getDefaults());
    }

    private void addChain(List<Level> levels, @Nullable String base) {
        for (String name = base; named(name); name = properties.getConfigs().get(name).getBaseConfig()) {
            levels.add(new Level(PropertyPaths.entry(CONFIGS, name), properties.getConfigs().get(name)));
        }
    }

    private void checkNames() {
        checkName(DEFAULTS, properties.getDefaults());
        properties.getUpstreams().forEach((name, upstream) -> checkName(PropertyPaths.entry(UPSTREAMS, name), upstream));
        properties.getConfigs().forEach((name, config) -> checkName(PropertyPaths.entry(CONFIGS, name), config));
    }

    private void checkName(String path, UpstreamProperties level) {
        String base = level.getBaseConfig();
        if (named(base) && !properties.getConfigs().containsKey(base)) {
            Map<String, UpstreamProperties> configs = properties.getConfigs();
            String known = configs.isEmpty() ? "none is configured" : "one of " + configs.keySet();
            throw new LeveeConfigurationException(path + ".base-config", "'" + base + "'",
                    "the name of a configuration under " + CONFIGS + " (" + known + ")", null);
        }
    }

    /** Names are known to exist here; a chain from each configuration must not come back to it. */
    private void checkCycles() {
        Map<String, UpstreamProperties> configs = properties.getConfigs();
        for (Map.Entry<String, UpstreamProperties> start : configs.entrySet()) {
            List<String> chain = new ArrayList<>(List.of(start.getKey()));
            for (String name = start.getValue().getBaseConfig(); named(name); name = configs.get(name).getBaseConfig()) {
                boolean seen = chain.contains(name);
                chain.add(name);
                if (name.equals(start.getKey())) {
                    throw new LeveeConfigurationException(PropertyPaths.entry(CONFIGS, start.getKey()) + ".base-config",
                            "'" + start.getValue().getBaseConfig() + "'", "a configuration whose base-config chain does not lead back to '"
                                    + start.getKey() + "' (" + String.join(" -> ", chain) + ")", null);
                }
                if (seen) {
                    break; // a loop that does not pass through start: reported when one of its own members is checked
                }
            }
        }
    }

    private static boolean named(@Nullable String base) {
        return base != null && !base.isBlank();
    }
}
