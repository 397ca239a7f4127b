package dev.levee;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable rules that classify what an upstream call throws when its adapter has no opinion
 * ({@link Verdict#unclassified()}). Rules are checked in this order, the first match wins:
 * <ol>
 * <li>{@link Builder#passThrough pass-through} types: the caller's own domain exceptions, thrown by a port
 *     implementation on purpose. Rethrown unchanged, recorded as {@link Outcome#CALLER_FAULT}.</li>
 * <li>{@link Builder#callerFault caller-fault} types: the request was wrong. Wrapped in a
 *     {@link CallerFaultException}; not held against the upstream; never retried.</li>
 * <li>{@link Builder#timeout timeout} types: the client's own timeout fired. Recorded as
 *     {@link Outcome#TIMEOUT}. By default {@link java.net.SocketTimeoutException} and
 *     {@link java.net.http.HttpTimeoutException}.</li>
 * <li>{@link Builder#notRetryable not-retryable} types: an upstream failure another attempt cannot fix.</li>
 * <li>everything else: an upstream {@link Outcome#FAILURE}, retried if the call is idempotent.</li>
 * </ol>
 * Errors of the JVM ({@link VirtualMachineError}) are never classified: they propagate unchanged.
 *
 * <p>Built objects are thread-safe; builders are not.
 *
 * @since 0.1
 */
public final class ClassificationRules {

    private static final ClassificationRules DEFAULTS = new Builder().build();

    private final List<Class<? extends Throwable>> passThrough;
    private final List<Class<? extends Throwable>> callerFault;
    private final List<Class<? extends Throwable>> timeout;
    private final List<Class<? extends Throwable>> notRetryable;

    private ClassificationRules(Builder b) {
        passThrough = List.copyOf(b.passThrough);
        callerFault = List.copyOf(b.callerFault);
        timeout = List.copyOf(b.timeout);
        notRetryable = List.copyOf(b.notRetryable);
    }

    /**
     * The default rules: client timeouts are timeouts, everything else is a retryable failure.
     *
     * @return the defaults, a shared instance
     */
    public static ClassificationRules defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these rules.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the exception types rethrown unchanged as caller faults */
    public List<Class<? extends Throwable>> passThrough() {
        return passThrough;
    }

    /** @return the exception types classified as caller faults */
    public List<Class<? extends Throwable>> callerFault() {
        return callerFault;
    }

    /** @return the exception types classified as timeouts */
    public List<Class<? extends Throwable>> timeout() {
        return timeout;
    }

    /** @return the exception types classified as failures that are not retried */
    public List<Class<? extends Throwable>> notRetryable() {
        return notRetryable;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassificationRules r && passThrough.equals(r.passThrough) && callerFault.equals(r.callerFault)
                && timeout.equals(r.timeout) && notRetryable.equals(r.notRetryable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(passThrough, callerFault, timeout, notRetryable);
    }

    @Override
    public String toString() {
        return "ClassificationRules[passThrough=" + names(passThrough) + ", callerFault=" + names(callerFault)
                + ", timeout=" + names(timeout) + ", notRetryable=" + names(notRetryable) + "]";
    }

    private static List<String> names(List<Class<? extends Throwable>> types) {
        return types.stream().map(Class::getName).toList();
    }

    /**
     * Builds {@link ClassificationRules}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final List<Class<? extends Throwable>> passThrough = new ArrayList<>();
        private final List<Class<? extends Throwable>> callerFault = new ArrayList<>();
        private final List<Class<? extends Throwable>> timeout = new ArrayList<>(
                List.of(java.net.SocketTimeoutException.class, java.net.http.HttpTimeoutException.class));
        private final List<Class<? extends Throwable>> notRetryable = new ArrayList<>();

        private Builder() {
        }

        private Builder(ClassificationRules r) {
            passThrough.addAll(r.passThrough);
            callerFault.addAll(r.callerFault);
            timeout.clear();
            timeout.addAll(r.timeout);
            notRetryable.addAll(r.notRetryable);
        }

        /**
         * Adds domain exception types that the call throws on purpose, to be rethrown unchanged.
         *
         * @param types exception types and their subtypes
         * @return this builder
         */
        @SafeVarargs
        public final Builder passThrough(Class<? extends Throwable>... types) {
            add(passThrough, types);
            return this;
        }

        /**
         * Adds exception types that mean the request was at fault.
         *
         * @param types exception types and their subtypes
         * @return this builder
         */
        @SafeVarargs
        public final Builder callerFault(Class<? extends Throwable>... types) {
            add(callerFault, types);
            return this;
        }

        /**
         * Adds exception types that mean the client's own timeout fired.
         *
         * @param types exception types and their subtypes
         * @return this builder
         */
        @SafeVarargs
        public final Builder timeout(Class<? extends Throwable>... types) {
            add(timeout, types);
            return this;
        }

        /**
         * Adds exception types that are upstream failures another attempt cannot fix.
         *
         * @param types exception types and their subtypes
         * @return this builder
         */
        @SafeVarargs
        public final Builder notRetryable(Class<? extends Throwable>... types) {
            add(notRetryable, types);
            return this;
        }

        private static void check(Map<Class<?>, String> ruleOf, String rule, List<Class<? extends Throwable>> types) {
            for (Class<? extends Throwable> type : types) {
                if (UpstreamException.class.isAssignableFrom(type)) {
                    throw new InvalidSpecException("classification." + rule, type.getName(),
                            "a client or domain exception type, not one of Levee's own");
                }
                String previous = ruleOf.putIfAbsent(type, rule);
                if (previous != null && !previous.equals(rule)) {
                    throw new InvalidSpecException("classification." + rule, type.getName(),
                            "a type not already in classification." + previous);
                }
            }
        }

        private static void add(List<Class<? extends Throwable>> list, Class<? extends Throwable>[] types) {
            for (Class<? extends Throwable> type : types) {
                list.add(Objects.requireNonNull(type, "type"));
            }
        }

        /**
         * Builds the rules.
         *
         * @return the rules
         * @throws InvalidSpecException if a type is given to two rules, or is one of Levee's own exceptions
         */
        public ClassificationRules build() {
            Map<Class<?>, String> ruleOf = new HashMap<>();
            check(ruleOf, "passThrough", passThrough);
            check(ruleOf, "callerFault", callerFault);
            check(ruleOf, "timeout", timeout);
            check(ruleOf, "notRetryable", notRetryable);
            return new ClassificationRules(this);
        }
    }
}
