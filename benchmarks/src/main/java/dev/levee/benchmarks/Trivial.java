package dev.levee.benchmarks;

import dev.levee.CallContext;
import dev.levee.UpstreamCall;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The trivial upstream every benchmark calls: it returns a field. The same object is seen through each
 * library's functional interface, so no benchmark pays for a capturing lambda per call.
 */
public final class Trivial implements Supplier<String>, Callable<String>, UpstreamCall<String>,
        dev.failsafe.function.CheckedSupplier<String> {

    private String value = Stacks.VALUE;

    @Override
    public String get() {
        return value;
    }

    @Override
    public String call() {
        return value;
    }

    @Override
    public String call(CallContext context) {
        return value;
    }
}
