package dev.levee.spring.autoconfigure;

import dev.levee.InvalidSpecException;
import dev.levee.RetrySpec;
import dev.levee.UpstreamSpec;
import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.UpstreamProperties;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds upstream spec builders from {@code levee.defaults} and {@code levee.upstreams.<name>}: a setting the
 * upstream names wins, then the default's, then the core's. Remembers where each setting came from, so a
 * value the core rejects is reported with the property path the user wrote.
 */
final class SpecBinder {

    private final LeveeProperties properties;

    SpecBinder(LeveeProperties properties) {
        this.properties = properties;
    }

    /** One builder per configured upstream, in configuration order; validation waits for {@link #build}. */
    Map<String, UpstreamSpec.Builder> builders() {
        Map<String, UpstreamSpec.Builder> builders = new LinkedHashMap<>();
        for (Map.Entry<String, UpstreamProperties> e : properties.getUpstreams().entrySet()) {
            builders.put(e.getKey(), builder(e.getKey(), e.getValue()));
        }
        return builders;
    }

    /** Validates a builder; a rejected value is reported with the property it came from. */
    UpstreamSpec build(String name, UpstreamSpec.Builder builder) {
        try {
            return builder.build();
        } catch (InvalidSpecException e) {
            throw new LeveeConfigurationException(propertyOf(name, e.field()), e.value(), e.allowed(), e);
        }
    }

    private UpstreamSpec.Builder builder(String name, UpstreamProperties upstream) {
        UpstreamSpec.Builder b;
        try {
            b = UpstreamSpec.named(name);
        } catch (InvalidSpecException e) {
            throw new LeveeConfigurationException("levee.upstreams." + name, "'" + name + "'",
                    "a name of 1 to 64 lowercase letters, digits, '-', '_' or '.'", e);
        }
        Apply a = new Apply(name, upstream, properties.getDefaults());
        try {
            a.set("owner", UpstreamProperties::getOwner, b::owner);
            a.set("criticality", UpstreamProperties::getCriticality, b::criticality);
            a.set("attemptTimeout", UpstreamProperties::getAttemptTimeout, b::attemptTimeout);
            a.set("timeoutMode", UpstreamProperties::getTimeoutMode, b::timeoutMode);
            a.set("deadline", UpstreamProperties::getDeadline, b::deadline);
            a.set("percentileHistogram", UpstreamProperties::getPercentileHistogram, b::percentileHistogram);
            b.circuitBreaker(cb -> {
                a.set("circuitBreaker.failureRateThreshold", p -> p.getCircuitBreaker().getFailureRateThreshold(), cb::failureRateThreshold);
                a.set("circuitBreaker.slowCallThreshold", p -> p.getCircuitBreaker().getSlowCallThreshold(), cb::slowCallThreshold);
                a.set("circuitBreaker.slowCallRateThreshold", p -> p.getCircuitBreaker().getSlowCallRateThreshold(), cb::slowCallRateThreshold);
                window(a, upstream, cb);
                a.set("circuitBreaker.minimumCalls", p -> p.getCircuitBreaker().getMinimumCalls(), cb::minimumCalls);
                a.set("circuitBreaker.waitInOpenState", p -> p.getCircuitBreaker().getWaitInOpenState(), cb::waitInOpenState);
                a.set("circuitBreaker.halfOpenProbes", p -> p.getCircuitBreaker().getHalfOpenProbes(), cb::halfOpenProbes);
            });
            b.retry(r -> {
                a.set("retry.maxAttempts", p -> p.getRetry().getMaxAttempts(), r::maxAttempts);
                Duration initial = a.get("retry.initialBackoff", p -> p.getRetry().getInitialBackoff());
                Double multiplier = a.get("retry.multiplier", p -> p.getRetry().getMultiplier());
                RetrySpec d = RetrySpec.defaults(); // the builder started from these; the core sets some settings in pairs
                if (initial != null || multiplier != null) {
                    r.exponentialBackoff(initial != null ? initial : d.initialBackoff(), multiplier != null ? multiplier : d.multiplier());
                }
                a.set("retry.jitter", p -> p.getRetry().getJitter(), r::jitter);
                a.set("retry.maxBackoff", p -> p.getRetry().getMaxBackoff(), r::maxBackoff);
                Double ratio = a.get("retry.budgetRatio", p -> p.getRetry().getBudgetRatio());
                Integer min = a.get("retry.budgetMinRetries", p -> p.getRetry().getBudgetMinRetries());
                Duration window = a.get("retry.budgetWindow", p -> p.getRetry().getBudgetWindow());
                if (ratio != null || min != null || window != null) {
                    r.budget(ratio != null ? ratio : d.budgetRatio(), min != null ? min : d.budgetMinRetries(),
                            window != null ? window : d.budgetWindow());
                }
            });
            b.bulkhead(bh -> {
                a.set("bulkhead.maxConcurrentCalls", p -> p.getBulkhead().getMaxConcurrentCalls(), bh::maxConcurrentCalls);
                a.set("bulkhead.maxWait", p -> p.getBulkhead().getMaxWait(), bh::maxWait);
            });
        } catch (InvalidSpecException e) {
            throw new LeveeConfigurationException(a.propertyOf(e.field()), e.value(), e.allowed(), e);
        }
        applied.put(name, a);
        return b;
    }

    private static void window(Apply a, UpstreamProperties upstream, dev.levee.BreakerSpec.Builder cb) {
        Integer count = a.get("circuitBreaker.countWindow", p -> p.getCircuitBreaker().getCountWindow());
        Duration time = a.get("circuitBreaker.timeWindow", p -> p.getCircuitBreaker().getTimeWindow());
        boolean countHere = upstream.getCircuitBreaker().getCountWindow() != null;
        boolean timeHere = upstream.getCircuitBreaker().getTimeWindow() != null;
        if (countHere == timeHere && count != null && time != null) {
            // Both named at the same level (the upstream's, or the defaults' with the upstream naming neither).
            throw new InvalidSpecException("circuitBreaker.countWindow", count, "unset when circuit-breaker.time-window is set (choose one)");
        }
        if (count != null && !timeHere) { // the window named closest to the upstream wins
            cb.countWindow(count);
        } else if (time != null) {
            cb.timeWindow(time);
        }
    }

    private final Map<String, Apply> applied = new LinkedHashMap<>();

    private String propertyOf(String name, String field) {
        if (field.equals("name")) {
            return "levee.upstreams." + name;
        }
        Apply a = applied.get(name);
        return a != null ? a.propertyOf(field) : "levee.upstreams." + name + "." + kebab(field);
    }

    static String kebab(String field) {
        StringBuilder sb = new StringBuilder();
        for (char c : field.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Applies one setting at a time and remembers which ones the upstream named itself. */
    private static final class Apply {
        private final String name;
        private final UpstreamProperties upstream;
        private final UpstreamProperties defaults;
        private final Set<String> explicit = new HashSet<>();
        private final Set<String> inherited = new HashSet<>();

        Apply(String name, UpstreamProperties upstream, UpstreamProperties defaults) {
            this.name = name;
            this.upstream = upstream;
            this.defaults = defaults;
        }

        <T> @Nullable T get(String field, Function<UpstreamProperties, @Nullable T> getter) {
            T own = getter.apply(upstream);
            if (own != null) {
                explicit.add(field);
                return own;
            }
            T inheritedValue = getter.apply(defaults);
            if (inheritedValue != null) {
                inherited.add(field);
            }
            return inheritedValue;
        }

        <T> void set(String field, Function<UpstreamProperties, @Nullable T> getter, Consumer<T> setter) {
            T value = get(field, getter);
            if (value != null) {
                setter.accept(value);
            }
        }

        /**
         * Where a rejected field came from: the upstream's own setting, else the inherited default; a field set
         * at neither level (a core default that conflicts with another setting, or a value set in code) is
         * reported under the upstream, where setting it fixes the conflict.
         */
        String propertyOf(String field) {
            boolean fromDefaults = !explicit.contains(field) && inherited.contains(field);
            return (fromDefaults ? "levee.defaults." : "levee.upstreams." + name + ".") + kebab(field);
        }
    }
}
