package dev.levee.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** {@link SuccessPath} on one thread. */
@State(Scope.Benchmark)
@Threads(1)
public class SuccessPathT1 extends SuccessPath {
}
