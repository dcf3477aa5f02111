package org.fftk.edge.stats;

import java.util.Arrays;

/**
 * Sparsity metrics of docs/algorithms.md "Sparsity metrics" (paper 003 §2.5, eqs. 9–12) on the absolute values of a vector x of n
 * values (weights: a layer's flattened |W|; activations: one h vector). Higher means sparser.
 * Degenerate inputs (n = 1, or all zeros) give 0 by convention, so reports never hold NaN.
 */
public final class Sparsity {
    private Sparsity() {
    }

    /** Hoyer: (√n − ‖x‖₁/‖x‖₂) / (√n − 1). All equal → 0, one non-zero → 1. */
    public static double hoyer(float[] x) {
        int n = x.length;
        double l1 = 0;
        double l2 = 0;
        for (float v : x) {
            l1 += Math.abs(v);
            l2 += (double) v * v;
        }
        if (n < 2 || l2 == 0) {
            return 0;
        }
        double sq = Math.sqrt(n);
        return (sq - l1 / Math.sqrt(l2)) / (sq - 1);
    }

    /** L1 negative entropy: 1 + (1/log₂ n) Σ p_i log₂ p_i, p_i = |x_i| / ‖x‖₁ (0·log 0 = 0). All equal → 0, one non-zero → 1. */
    public static double l1NegEntropy(float[] x) {
        int n = x.length;
        double l1 = 0;
        for (float v : x) {
            l1 += Math.abs(v);
        }
        if (n < 2 || l1 == 0) {
            return 0;
        }
        double s = 0;
        for (float v : x) {
            double p = Math.abs(v) / l1;
            if (p > 0) {
                s += p * log2(p);
            }
        }
        return 1 + s / log2(n);
    }

    /**
     * L2 negative entropy: 1 + (1/log₂ n²) Σ q_i log₂ q_i, q_i = x_i² / ‖x‖₂² (0·log 0 = 0).
     * All equal → 1/2 (because of the n² in the normaliser), one non-zero → 1.
     */
    public static double l2NegEntropy(float[] x) {
        int n = x.length;
        double l2 = 0;
        for (float v : x) {
            l2 += (double) v * v;
        }
        if (n < 2 || l2 == 0) {
            return 0;
        }
        double s = 0;
        for (float v : x) {
            double q = (double) v * v / l2;
            if (q > 0) {
                s += q * log2(q);
            }
        }
        return 1 + s / (2 * log2(n));
    }

    /**
     * Gini: with |x| sorted ascending a_(1..n), 1 − 2 Σ_i (a_(i)/‖x‖₁)·(n − i + 1/2)/n.
     * All equal → 0, one non-zero → 1 − 1/n.
     */
    public static double gini(float[] x) {
        int n = x.length;
        double[] a = new double[n];
        double l1 = 0;
        for (int i = 0; i < n; i++) {
            a[i] = Math.abs(x[i]);
            l1 += a[i];
        }
        if (n < 2 || l1 == 0) {
            return 0;
        }
        Arrays.sort(a);
        double s = 0;
        for (int i = 1; i <= n; i++) {
            s += (a[i - 1] / l1) * (n - i + 0.5) / n;
        }
        return 1 - 2 * s;
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
