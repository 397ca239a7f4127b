package dev.levee.spring.autoconfigure;

import dev.levee.spring.LeveeProperties;
import dev.levee.spring.UpstreamProperties;
import dev.levee.spring.http.HttpClassification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each upstream's HTTP classification from {@code levee.*.http.*}, inherited like every setting, for the
 * RestClient and WebClient integrations alike.
 *
 * @param byUpstream the classification of each upstream under {@code levee.upstreams}
 * @param unconfigured that of upstreams not under it (added by a customizer or registered in code)
 */
record HttpClassifications(Map<String, HttpClassification> byUpstream, HttpClassification unconfigured) {

    /**
     * Reads and checks every level's lists against the property they are written under, even if no upstream uses them.
     *
     * @throws dev.levee.spring.LeveeConfigurationException naming the property and the value of a bad entry
     */
    static HttpClassifications of(LeveeProperties properties) {
        BaseConfigs bases = new BaseConfigs(properties);
        for (BaseConfigs.Level level : bases.declared()) {
            UpstreamProperties.Http http = level.properties().getHttp();
            HttpClassification.of(level.path() + ".http", http.getFailureStatuses(), http.getIdempotentMethods());
        }
        Map<String, HttpClassification> classifications = new LinkedHashMap<>();
        for (Map.Entry<String, UpstreamProperties> e : properties.getUpstreams().entrySet()) {
            List<BaseConfigs.Level> levels = bases.of(e.getKey(), e.getValue());
            UpstreamProperties.Http own = e.getValue().getHttp();
            HttpClassification.of(levels.get(0).path() + ".http", own.getFailureStatuses(), own.getIdempotentMethods());
            classifications.put(e.getKey(), classification(levels));
        }
        return new HttpClassifications(classifications, classification(bases.ofUnconfigured()));
    }

    private static HttpClassification classification(List<BaseConfigs.Level> levels) {
        return HttpClassification.of(levels.get(0).path() + ".http",
                BaseConfigs.first(levels, p -> p.getHttp().getFailureStatuses()),
                BaseConfigs.first(levels, p -> p.getHttp().getIdempotentMethods()));
    }
}
