package io.convtrail.bench;

import java.util.Arrays;

/** Percentiles of a set of durations given in microseconds (nearest-rank). */
public record Percentiles(int count, long p50Micros, long p99Micros, long maxMicros) {

    static final Percentiles NONE = new Percentiles(0, 0, 0, 0);

    static Percentiles of(long[] micros, int length) {
        if (length == 0) {
            return NONE;
        }
        long[] sorted = Arrays.copyOf(micros, length);
        Arrays.sort(sorted);
        return new Percentiles(length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[length - 1]);
    }

    static Percentiles of(LongList micros) {
        return of(micros.array(), micros.size());
    }

    /** The median of some rates (per-second samples): noisy seconds at either end do not move it. */
    static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    double p50Millis() {
        return p50Micros / 1000.0;
    }

    double p99Millis() {
        return p99Micros / 1000.0;
    }

    private static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
