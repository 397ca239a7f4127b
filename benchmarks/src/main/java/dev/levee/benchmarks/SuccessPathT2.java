package dev.levee.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** {@link SuccessPath} on two threads sharing one upstream per library. */
@State(Scope.Benchmark)
@Threads(2)
public class SuccessPathT2 extends SuccessPath {
}
