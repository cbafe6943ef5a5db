package org.fastdowntime.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.fastdowntime.sandbox.LoadClients;

/** The benchmark's statistics: medians of the repeats, and how far a ratio of medians can be trusted. */
public final class Statistics {
    private Statistics() {}

    /** The median of {@code values} (NaN for none). */
    public static double median(double... values) {
        return LoadClients.median(values);
    }

    /** The median of one figure over {@code runs}. */
    static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        return median(runs.stream().mapToDouble(figure).toArray());
    }

    /**
     * A 95 % bootstrap interval of median(ours) / median(baseline), resampling the repeats with replacement,
     * each repeat's two outages together (they met the same load, one after the other). A fixed seed, so a report
     * repeats itself.
     */
    public static double[] ratioInterval(double[] ours, double[] baseline) {
        int n = Math.min(ours.length, baseline.length);
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random random = new Random(15);
        double[] ratios = new double[2000];
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < ratios.length; i++) {
            for (int j = 0; j < n; j++) {
                int pick = random.nextInt(n);
                a[j] = ours[pick];
                b[j] = baseline[pick];
            }
            ratios[i] = median(a) / median(b);
        }
        Arrays.sort(ratios);
        return new double[] {ratios[(int) (ratios.length * 0.025)], ratios[(int) (ratios.length * 0.975) - 1]};
    }
}
