package org.fftk.trainer.history;

import java.util.Arrays;

/**
 * The statistics of paper 004's layer-dynamics questions (docs/algorithms.md "Layer dynamics"):
 * RQ1, the epoch at which a layer's accuracy first reaches a target (its "delay"), and RQ2, how
 * strongly a layer's accuracy goes with the model's over training (Pearson's r and Spearman's ρ).
 */
public final class LayerDynamics {
    private LayerDynamics() {
    }

    /** The first {@code epochs[i]} whose {@code values[i]} is at least {@code target}, or -1 if none is. */
    public static int firstReach(int[] epochs, double[] values, double target) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= target) {
                return epochs[i];
            }
        }
        return -1;
    }

    /** Pearson's correlation coefficient of paired samples (NaN when either has no variance). */
    public static double pearson(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /** Spearman's rank correlation: Pearson's r of the ranks, tied values sharing their mean rank. */
    public static double spearman(double[] x, double[] y) {
        return pearson(ranks(x), ranks(y));
    }

    /** 1-based ranks, ties given the mean of the ranks they span. */
    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }
}
