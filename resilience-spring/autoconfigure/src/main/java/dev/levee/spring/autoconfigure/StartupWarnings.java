package dev.levee.spring.autoconfigure;

import dev.levee.Upstreams;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.UpstreamProperties;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;

/**
 * Warns at startup, once every singleton exists, of what would otherwise leave upstreams silently unprotected:
 * an optional dependency a configured feature needs is missing (naming the dependency to add), or HTTP service
 * groups and upstreams whose names do not meet (all of them in one line). Never fails startup: each of these can
 * be intended.
 */
final class StartupWarnings implements SmartInitializingSingleton {

    static final String RESTCLIENT_STARTER = "org.springframework.boot:spring-boot-starter-restclient";

    private static final Log LOG = LogFactory.getLog(StartupWarnings.class);
    private static final String BOOT_RESTCLIENT = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration";
    private static final String GROUP_REGISTRY = "org.springframework.web.service.registry.HttpServiceProxyRegistry";
    private static final String REST_CLIENTS = "dev.levee.spring.http.UpstreamRestClients";

    private final ListableBeanFactory beans;
    private final Upstreams upstreams;
    private final LeveeProperties properties;
    private final ClassLoader classLoader;

    StartupWarnings(ListableBeanFactory beans, Upstreams upstreams, LeveeProperties properties, ClassLoader classLoader) {
        this.beans = beans;
        this.upstreams = upstreams;
        this.properties = properties;
        this.classLoader = classLoader;
    }

    @Override
    public void afterSingletonsInstantiated() {
        warnings().forEach(LOG::warn);
    }

    /** The warnings of this application, each one log line. */
    List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        boolean bound = restClientIntegration();
        Set<String> groups = httpServiceGroups();
        if (!groups.isEmpty() && !ClassUtils.isPresent(BOOT_RESTCLIENT, classLoader)) {
            warnings.add("HTTP service " + plural(groups.size(), "group ", "groups ") + quoted(groups)
                    + " get" + (groups.size() == 1 ? "s" : "") + " neither Spring Boot's spring.http.serviceclient.* settings (base URL, timeouts)"
                    + (bound ? "" : " nor Levee's protection") + ": add " + RESTCLIENT_STARTER);
        } else if (!groups.isEmpty() && !bound) {
            warnings.add("HTTP service " + plural(groups.size(), "group ", "groups ") + quoted(groups)
                    + " are not protected by Levee: its RestClient integration (LeveeRestClientAutoConfiguration) is off");
        }
        List<String> httpSettings = httpSettings();
        if (!bound && !httpSettings.isEmpty()) {
            warnings.add(String.join(", ", httpSettings) + " set but no RestClient is bound to an upstream: add " + RESTCLIENT_STARTER);
        }
        if (bound) {
            unmatched(groups).ifPresent(warnings::add);
        }
        return warnings;
    }

    /** Groups without an upstream, named with the upstreams without a group: the two sides of a misspelling. */
    private java.util.Optional<String> unmatched(Set<String> groups) {
        Set<String> names = new LinkedHashSet<>(upstreams.names());
        Set<String> orphans = groups.stream().filter(g -> !names.contains(g)).collect(Collectors.toCollection(LinkedHashSet::new));
        if (orphans.isEmpty()) {
            return java.util.Optional.empty();
        }
        names.removeAll(groups);
        String one = orphans.size() == 1 ? "HTTP service group " + quoted(orphans) + " has no upstream of that name: its calls are not protected"
                : "HTTP service groups " + quoted(orphans) + " have no upstream of those names: their calls are not protected";
        return java.util.Optional.of(one + "; upstreams without an HTTP service group: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    private boolean restClientIntegration() {
        if (!ClassUtils.isPresent(REST_CLIENTS, classLoader) || !ClassUtils.isPresent("org.springframework.web.client.RestClient", classLoader)) {
            return false;
        }
        return beans.getBeanNamesForType(ClassUtils.resolveClassName(REST_CLIENTS, classLoader), false, false).length > 0;
    }

    private Set<String> httpServiceGroups() {
        if (!ClassUtils.isPresent(GROUP_REGISTRY, classLoader)) {
            return Set.of();
        }
        return Groups.of(beans);
    }

    /** The property prefixes that set HTTP classification, which only a bound RestClient applies. */
    private List<String> httpSettings() {
        List<String> set = new ArrayList<>();
        addIfSet(set, "levee.defaults.http.*", properties.getDefaults().getHttp());
        properties.getConfigs().forEach((name, p) -> addIfSet(set, PropertyPaths.entry("levee.configs", name) + ".http.*", p.getHttp()));
        for (Map.Entry<String, UpstreamProperties> e : properties.getUpstreams().entrySet()) {
            addIfSet(set, PropertyPaths.entry("levee.upstreams", e.getKey()) + ".http.*", e.getValue().getHttp());
        }
        return set;
    }

    private static void addIfSet(List<String> set, String path, UpstreamProperties.Http http) {
        if (http.getFailureStatuses() != null || http.getIdempotentMethods() != null) {
            set.add(path);
        }
    }

    private static String quoted(Set<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    private static String plural(int n, String one, String many) {
        return n == 1 ? one : many;
    }

    /** Kept apart so that this class loads without spring-web. */
    private static final class Groups {

        static Set<String> of(ListableBeanFactory beans) {
            Set<String> names = new LinkedHashSet<>();
            beans.getBeanProvider(HttpServiceProxyRegistry.class).orderedStream()
                    .forEach(registry -> names.addAll(new java.util.TreeSet<>(registry.getGroupNames())));
            return names;
        }
    }
}
