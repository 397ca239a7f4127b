package dev.levee.spring.autoconfigure;

import dev.levee.BreakerSpec;
import dev.levee.InvalidSpecException;
import dev.levee.RetrySpec;
import dev.levee.UpstreamSpec;
import dev.levee.spring.LeveeConfigurationException;
import dev.levee.spring.LeveeProperties;
import dev.levee.spring.UpstreamProperties;
import dev.levee.spring.autoconfigure.BaseConfigs.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds upstream spec builders from {@code levee.upstreams.<name>}, its base configurations under
 * {@code levee.configs} and {@code levee.defaults}: the nearest level that sets a setting wins, then the core's
 * default. Remembers where each setting came from, so a value the core rejects is reported with the property path
 * the user wrote.
 *
 * <p>{@code levee.defaults} and every base configuration are also checked on their own, so that a bad value fails
 * startup even where no upstream uses it. A setting's own range is checked there, not its rules with other settings,
 * which an upstream may still satisfy by setting the other one: each value is tried alone against two contexts that
 * satisfy those rules from either side (a very short and a very long attempt timeout, the longest deadline, the
 * shortest initial backoff and so on), and rejected only when both refuse it for itself.
 */
final class SpecBinder {

    /** Settings under which a value is refused only for itself: each context satisfies the cross-field rules one way. */
    private static final List<Level> CONTEXTS = List.of(context(Duration.ofMillis(1), false), context(Duration.ofMinutes(10), true));

    private final LeveeProperties properties;
    private final BaseConfigs bases;
    private final ExceptionClasses exceptionClasses;
    private final Map<String, Resolution> resolutions = new ConcurrentHashMap<>();

    SpecBinder(LeveeProperties properties, @Nullable ClassLoader classLoader) {
        this.properties = properties;
        this.bases = new BaseConfigs(properties);
        this.exceptionClasses = new ExceptionClasses(classLoader);
    }

    /**
     * Checks {@code levee.defaults} and the base configurations, then returns one builder per configured upstream, in
     * configuration order; the builders' validation waits for {@link #build}.
     */
    Map<String, UpstreamSpec.Builder> builders() {
        for (Level level : bases.declared()) {
            check(level);
        }
        Map<String, UpstreamSpec.Builder> builders = new LinkedHashMap<>();
        for (Map.Entry<String, UpstreamProperties> e : properties.getUpstreams().entrySet()) {
            builders.put(e.getKey(), builder(e.getKey(), e.getValue()));
        }
        return builders;
    }

    /**
     * A builder for an upstream registered in code: {@code levee.defaults} and, if named, a base configuration
     * under {@code levee.configs}, applied as to an upstream configured with nothing of its own.
     */
    UpstreamSpec.Builder inCode(String name, @Nullable String baseConfig) {
        if (baseConfig != null && !properties.getConfigs().containsKey(baseConfig)) {
            Set<String> configs = properties.getConfigs().keySet();
            throw new LeveeConfigurationException("the base configuration of upstream '" + name + "' (added in code)",
                    "'" + baseConfig + "'", "the name of a configuration under levee.configs ("
                    + (configs.isEmpty() ? "none is configured" : "one of " + configs) + ")", null);
        }
        UpstreamProperties own = new UpstreamProperties();
        own.setBaseConfig(baseConfig);
        return builder(name, own);
    }

    /** Validates a builder; a rejected value is reported with the property it came from. */
    UpstreamSpec build(String name, UpstreamSpec.Builder builder) {
        try {
            return builder.build();
        } catch (InvalidSpecException e) {
            Resolution r = resolutions.get(name);
            throw (r != null ? r : Resolution.of(PropertyPaths.entry(BaseConfigs.UPSTREAMS, name), List.of())).rejected(e);
        }
    }

    private UpstreamSpec.Builder builder(String name, UpstreamProperties upstream) {
        String path = PropertyPaths.entry(BaseConfigs.UPSTREAMS, name);
        UpstreamSpec.Builder b;
        try {
            b = UpstreamSpec.named(name);
        } catch (InvalidSpecException e) {
            throw new LeveeConfigurationException(path, "'" + name + "'",
                    "a name of 1 to 64 lowercase letters, digits, '-', '_' or '.'", e);
        }
        Resolution r = Resolution.of(path, bases.of(name, upstream));
        try {
            apply(r, b);
        } catch (InvalidSpecException e) {
            throw r.rejected(e);
        }
        resolutions.put(name, r);
        return b;
    }

    /** Checks the values one level sets, each for itself; see the class comment. */
    private void check(Level level) {
        Resolution alone = Resolution.of(level.path(), List.of(level));
        try {
            window(alone, BreakerSpec.builder()); // both windows named at one level
        } catch (InvalidSpecException e) {
            throw alone.rejected(e);
        }
        Resolution discovering = Resolution.discovering(level);
        apply(discovering, UpstreamSpec.named("check"));
        for (String field : discovering.discovered()) {
            LeveeConfigurationException refused = null;
            for (Level context : CONTEXTS) {
                LeveeConfigurationException e = refusedForItself(level, field, context);
                if (e == null) {
                    refused = null;
                    break;
                }
                refused = refused == null ? e : Resolution.widest(refused, e);
            }
            if (refused != null) {
                throw refused;
            }
        }
    }

    private @Nullable LeveeConfigurationException refusedForItself(Level level, String field, Level context) {
        Resolution r = Resolution.probing(level, field, context);
        try {
            UpstreamSpec.Builder b = UpstreamSpec.named("check");
            apply(r, b);
            b.build();
            return null;
        } catch (InvalidSpecException e) {
            return Resolution.field(e).equals(field) ? r.rejected(e) : null;
        }
    }

    private static Level context(Duration attemptTimeout, boolean countWindow) {
        UpstreamProperties p = new UpstreamProperties();
        p.setAttemptTimeout(attemptTimeout);
        p.setDeadline(Duration.ofHours(1));
        p.getCircuitBreaker().setMinimumCalls(1);
        if (countWindow) { // no time window rule against the long attempt timeout
            p.getCircuitBreaker().setCountWindow(10_000);
        }
        p.getRetry().setInitialBackoff(Duration.ofMillis(1));
        p.getRetry().setMaxBackoff(Duration.ofMinutes(5));
        return new Level("(context)", p);
    }

    /** Every setting, in the order the core validates them. */
    private void apply(Resolution r, UpstreamSpec.Builder b) {
        r.set("owner", UpstreamProperties::getOwner, b::owner);
        r.set("criticality", UpstreamProperties::getCriticality, b::criticality);
        r.set("attemptTimeout", UpstreamProperties::getAttemptTimeout, b::attemptTimeout);
        r.set("timeoutMode", UpstreamProperties::getTimeoutMode, b::timeoutMode);
        r.set("interruptPolicy", UpstreamProperties::getInterruptPolicy, b::interruptPolicy);
        r.set("deadline", UpstreamProperties::getDeadline, b::deadline);
        r.set("percentileHistogram", UpstreamProperties::getPercentileHistogram, b::percentileHistogram);
        b.circuitBreaker(cb -> {
            r.set("circuitBreaker.failureRateThreshold", p -> p.getCircuitBreaker().getFailureRateThreshold(), cb::failureRateThreshold);
            r.set("circuitBreaker.slowCallThreshold", p -> p.getCircuitBreaker().getSlowCallThreshold(), cb::slowCallThreshold);
            r.set("circuitBreaker.slowCallRateThreshold", p -> p.getCircuitBreaker().getSlowCallRateThreshold(), cb::slowCallRateThreshold);
            window(r, cb);
            r.set("circuitBreaker.minimumCalls", p -> p.getCircuitBreaker().getMinimumCalls(), cb::minimumCalls);
            r.set("circuitBreaker.waitInOpenState", p -> p.getCircuitBreaker().getWaitInOpenState(), cb::waitInOpenState);
            r.set("circuitBreaker.halfOpenProbes", p -> p.getCircuitBreaker().getHalfOpenProbes(), cb::halfOpenProbes);
            r.set("circuitBreaker.consecutiveFailures", p -> p.getCircuitBreaker().getConsecutiveFailures(), cb::consecutiveFailures);
        });
        b.retry(retry -> retry(r, retry));
        b.bulkhead(bh -> {
            r.set("bulkhead.maxConcurrentCalls", p -> p.getBulkhead().getMaxConcurrentCalls(), bh::maxConcurrentCalls);
            r.set("bulkhead.maxWait", p -> p.getBulkhead().getMaxWait(), bh::maxWait);
        });
        b.classification(c -> {
            classes(r, "classification.passThrough", p -> p.getClassification().getPassThrough(), c::passThrough);
            classes(r, "classification.callerFaults", p -> p.getClassification().getCallerFaults(), c::callerFault);
            classes(r, "classification.timeouts", p -> p.getClassification().getTimeouts(), c::timeout);
            classes(r, "classification.notRetryable", p -> p.getClassification().getNotRetryable(), c::notRetryable);
        });
        b.contractPolicy(c -> {
            r.set("contract.action", p -> p.getContract().getAction(), c::action);
            r.set("contract.sampleRate", p -> p.getContract().getSampleRate(), c::sampleRate);
            r.set("contract.logInterval", p -> p.getContract().getLogInterval(), c::logInterval);
        });
    }

    private static void retry(Resolution r, RetrySpec.Builder retry) {
        r.set("retry.maxAttempts", p -> p.getRetry().getMaxAttempts(), retry::maxAttempts);
        Duration initial = r.get("retry.initialBackoff", p -> p.getRetry().getInitialBackoff());
        Double multiplier = r.get("retry.multiplier", p -> p.getRetry().getMultiplier());
        RetrySpec d = RetrySpec.defaults(); // the builder started from these; the core sets some settings in pairs
        if (initial != null || multiplier != null) {
            retry.exponentialBackoff(initial != null ? initial : d.initialBackoff(), multiplier != null ? multiplier : d.multiplier());
        }
        r.set("retry.jitter", p -> p.getRetry().getJitter(), retry::jitter);
        r.set("retry.maxBackoff", p -> p.getRetry().getMaxBackoff(), retry::maxBackoff);
        Double ratio = r.get("retry.budgetRatio", p -> p.getRetry().getBudgetRatio());
        Integer min = r.get("retry.budgetMinRetries", p -> p.getRetry().getBudgetMinRetries());
        Duration window = r.get("retry.budgetWindow", p -> p.getRetry().getBudgetWindow());
        if (ratio != null || min != null || window != null) {
            retry.budget(ratio != null ? ratio : d.budgetRatio(), min != null ? min : d.budgetMinRetries(),
                    window != null ? window : d.budgetWindow());
        }
    }

    /** The window named at the nearest level wins; both named at that one level is an error. */
    private static void window(Resolution r, BreakerSpec.Builder cb) {
        Integer count = r.get("circuitBreaker.countWindow", p -> p.getCircuitBreaker().getCountWindow());
        Duration time = r.get("circuitBreaker.timeWindow", p -> p.getCircuitBreaker().getTimeWindow());
        if (count != null && time != null) {
            int nearer = r.nearer("circuitBreaker.countWindow", "circuitBreaker.timeWindow");
            if (nearer < 0) {
                throw new InvalidSpecException("circuitBreaker.countWindow", count,
                        "unset when " + r.propertyOf("circuitBreaker.timeWindow") + " is set (choose one)");
            }
            r.unused(nearer == 0 ? "circuitBreaker.timeWindow" : "circuitBreaker.countWindow");
            if (nearer == 0) {
                time = null;
            } else {
                count = null;
            }
        }
        if (count != null) {
            cb.countWindow(count);
        } else if (time != null) {
            cb.timeWindow(time);
        }
    }

    private void classes(Resolution r, String field, Function<UpstreamProperties, @Nullable List<String>> getter,
            Consumer<Class<? extends Throwable>[]> rule) {
        List<String> names = r.get(field, getter);
        if (names != null) {
            Class<? extends Throwable>[] types = exceptionClasses.resolve(r.propertyOf(field), names);
            r.classes(field, types);
            rule.accept(types);
        }
    }
}
