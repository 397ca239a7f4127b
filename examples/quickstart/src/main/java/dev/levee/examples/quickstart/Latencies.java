package dev.levee.examples.quickstart;

import java.util.Arrays;

/** A growable list of latencies in nanoseconds, with percentiles. Thread-safe. */
final class Latencies {

    private long[] values = new long[256];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** Adds every value of another list. */
    void addAll(Latencies other) {
        long[] copy;
        int n;
        synchronized (other) {
            copy = Arrays.copyOf(other.values, other.size);
            n = other.size;
        }
        for (int i = 0; i < n; i++) {
            add(copy[i]);
        }
    }

    synchronized int count() {
        return size;
    }

    /** The given percentile (0-100) in milliseconds, or NaN if empty. */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, index))] / 1e6;
    }

    synchronized double maxMillis() {
        long max = 0;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, values[i]);
        }
        return size == 0 ? Double.NaN : max / 1e6;
    }

    /** Takes the values recorded so far and starts empty again. */
    synchronized Latencies drain() {
        Latencies copy = new Latencies();
        copy.values = Arrays.copyOf(values, Math.max(1, size));
        copy.size = size;
        size = 0;
        return copy;
    }
}
