package dev.levee.spring.http;

import dev.levee.Upstreams;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Per-upstream beans (fallbacks, contracts) indexed by the upstream they name. */
final class ByUpstream {

    private ByUpstream() {
    }

    /**
     * {@code existing} plus {@code values}, by upstream: each must name a registered upstream (else the registry's
     * error names the registered ones), and no upstream may have two.
     */
    static <V> Map<String, V> index(Upstreams upstreams, Map<String, V> existing, Iterable<V> values,
            Function<V, String> upstreamOf, String what) {
        Map<String, V> byName = new LinkedHashMap<>(existing);
        for (V v : values) {
            String upstream = upstreamOf.apply(v);
            upstreams.get(upstream);
            if (byName.putIfAbsent(upstream, v) != null) {
                throw new IllegalArgumentException("upstream '" + upstream + "' has two " + what + ": " + byName.get(upstream) + " and " + v);
            }
        }
        return byName;
    }
}
