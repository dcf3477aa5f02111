package org.fftk.trainer.metrics;

import java.util.Arrays;

/**
 * Sparsity measures of SPEC §5 (paper 003 §2.5) of a vector x of n values; all use |x|. Each is 0
 * for a vector with all entries equal in magnitude and approaches 1 for a single non-zero entry.
 * Sums are accumulated in double. An all-zero vector gives NaN (the measures are undefined).
 */
public final class Sparsity {
    private Sparsity() {
    }

    /** Hoyer: (√n − ‖x‖₁/‖x‖₂) / (√n − 1). */
    public static double hoyer(float[] x) {
        int n = x.length;
        double l1 = 0, l2 = 0;
        for (float v : x) {
            l1 += Math.abs(v);
            l2 += (double) v * v;
        }
        double sn = Math.sqrt(n);
        return (sn - l1 / Math.sqrt(l2)) / (sn - 1);
    }

    /** L1 negative entropy: 1 + (1/log₂ n) Σ p_i log₂ p_i, p_i = |x_i| / ‖x‖₁. */
    public static double l1NegEntropy(float[] x) {
        double l1 = 0;
        for (float v : x) {
            l1 += Math.abs(v);
        }
        double s = 0;
        for (float v : x) {
            double p = Math.abs(v) / l1;
            if (p > 0) {
                s += p * Math.log(p);
            }
        }
        return 1 + s / Math.log(x.length);
    }

    /** L2 negative entropy: 1 + (1/log₂ n²) Σ q_i log₂ q_i, q_i = x_i² / ‖x‖₂². */
    public static double l2NegEntropy(float[] x) {
        double l2 = 0;
        for (float v : x) {
            l2 += (double) v * v;
        }
        double s = 0;
        for (float v : x) {
            double q = (double) v * v / l2;
            if (q > 0) {
                s += q * Math.log(q);
            }
        }
        return 1 + s / (2 * Math.log(x.length));
    }

    /** Gini: with |x| sorted ascending a_(1..n): 1 − 2 Σ_i (a_(i)/‖x‖₁)·(n − i + ½)/n. */
    public static double gini(float[] x) {
        int n = x.length;
        float[] a = new float[n];
        double l1 = 0;
        for (int i = 0; i < n; i++) {
            a[i] = Math.abs(x[i]);
            l1 += a[i];
        }
        Arrays.sort(a);
        double s = 0;
        for (int i = 1; i <= n; i++) {
            s += (a[i - 1] / l1) * ((n - i + 0.5) / n);
        }
        return 1 - 2 * s;
    }
}
