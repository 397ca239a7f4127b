/**
 * Levee's core as a named module: only the public API packages are exported. {@code dev.levee.internal}
 * holds the behaviour and is not exported, so on the module path no application can compile against it or
 * reach it by reflection; on the class path the same rule is kept by the build (the committed API signature
 * names no internal type).
 *
 * @since 0.1
 */
module dev.levee.core {
    exports dev.levee;
    exports dev.levee.spi;
    exports dev.levee.metrics;
    exports dev.levee.observation;
    exports dev.levee.contract;
    exports dev.levee.contract.json;
    exports dev.levee.contract.testkit;
    exports dev.levee.contract.verifier;
    exports dev.levee.migration;
    exports dev.levee.reactor;

    // Types of these appear in Levee's public signatures (MeterRegistry, ObservationRegistry, KeyValues, @Nullable).
    requires transitive micrometer.core;
    requires transitive micrometer.observation;
    requires transitive micrometer.commons;
    requires transitive org.jspecify;
    // Used inside only: never in a public signature.
    requires io.github.resilience4j.circuitbreaker;
    requires context.propagation;
    requires org.slf4j;
    requires java.net.http; // HttpTimeoutException, a timeout by default
    // Optional: only contract files, the test kit and the verifier read JSON (Jackson 3).
    requires static tools.jackson.databind;
    // Optional: only OpenFeatureRampSource reads a migration's stage from feature flags.
    requires static dev.openfeature.sdk;
    // Optional: only the Reactor entry point (dev.levee.reactor), whose signatures name Mono and Flux.
    requires static transitive reactor.core;
    requires static transitive org.reactivestreams;
    // Optional: only the BlockHound integration (class path; META-INF/services) names BlockHound's types.
    requires static reactor.blockhound;

    // Carries the call's Deadline across threads with the rest of the caller's context.
    provides io.micrometer.context.ThreadLocalAccessor with dev.levee.internal.DeadlineAccessor;
}
