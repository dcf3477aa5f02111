package org.fftk.pruner.report;

import org.fftk.edge.model.DenseLayer;

/**
 * Signed statistics of a weight matrix (paper 003 Table 4): min, max, mean, population standard
 * deviation; and docs/algorithms.md "Sparsity metrics"'s polarity ϱ⁺ (mean over neurons of the fraction of positive incoming
 * weights) and mean bias.
 */
public record WeightStats(double min, double max, double mean, double std) {

    public static WeightStats of(float[] w) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (float v : w) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        double mean = sum / w.length;
        double ss = 0;
        for (float v : w) {
            double d = v - mean;
            ss += d * d;
        }
        return new WeightStats(min, max, mean, Math.sqrt(ss / w.length));
    }

    /** ϱ⁺: mean over the rows (neurons) of the fraction of their weights that are &gt; 0. */
    public static double polarity(float[] w, int rows, int cols) {
        double s = 0;
        for (double v : positiveShares(w, rows, cols)) {
            s += v;
        }
        return s / rows;
    }

    /** Per row (neuron): the fraction of its weights that are &gt; 0 (paper 000's ϱ⁺ of one neuron). */
    public static double[] positiveShares(float[] w, int rows, int cols) {
        double[] r = new double[rows];
        for (int j = 0; j < rows; j++) {
            int pos = 0;
            for (int i = 0; i < cols; i++) {
                if (w[j * cols + i] > 0) {
                    pos++;
                }
            }
            r[j] = (double) pos / cols;
        }
        return r;
    }

    public static double polarity(DenseLayer l) {
        return polarity(l.weights(), l.out(), l.in());
    }

    public static double meanBias(DenseLayer l) {
        double s = 0;
        for (int j = 0; j < l.out(); j++) {
            s += l.bias(j);
        }
        return s / l.out();
    }
}
