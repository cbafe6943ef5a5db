package org.fastdowntime.sandbox;

import java.util.Arrays;

/**
 * The simulation's lead times, summarised: nearest-rank 50th and 95th percentiles and the maximum, in hours.
 *
 * @param p50 the median
 * @param p95 the 95th percentile
 * @param max the longest
 */
record Summary(double p50, double p95, double max) {
    /** Nearest-rank percentiles of {@code values}; NaN for none. */
    static Summary of(double[] values) {
        if (values.length == 0) {
            return new Summary(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return new Summary(rank(v, 0.50), rank(v, 0.95), v[v.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        int n = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, n - 1)];
    }
}
