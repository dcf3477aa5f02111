package org.fftk.pruner.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * Unstructured magnitude pruning (docs/algorithms.md "Pruning" "weights"): in every hidden layer, zero the given fraction
 * of its forward weights with the smallest |w| (and, for ffrnn, the same fraction of its backward
 * weights, ranked separately). Biases and the classifier / output layer are left alone; shapes stay,
 * so the saving shows only in sparse or compressed storage (gzip size).
 */
public final class WeightPruning {
    private WeightPruning() {
    }

    /** Zeroes {@code zeroFraction[l]} (in [0,1]) of layer l's weights, smallest |w| first (ties: lower index). */
    public static Model zeroSmallest(Model m, double[] zeroFraction) {
        if (zeroFraction.length != m.layers().size()) {
            throw new IllegalArgumentException("expected " + m.layers().size() + " fractions, got " + zeroFraction.length);
        }
        List<DenseLayer> out = new ArrayList<>();
        for (int l = 0; l < zeroFraction.length; l++) {
            double f = zeroFraction[l];
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("fraction of weights to zero must be in [0, 1], got " + f);
            }
            DenseLayer L = m.layers().get(l);
            float[] w = zeroed(L.weights(), f);
            if (L.hasBackward()) {
                out.add(new DenseLayer(L.out(), L.in(), w, L.biases(), L.backIn(), zeroed(L.backWeights(), f)));
            } else {
                out.add(new DenseLayer(L.out(), L.in(), w, L.biases()));
            }
        }
        return m.toBuilder().layers(out).build();
    }

    /** Keep counts as weight fractions: layer l keeps t_l / n_l of its weights, i.e. zeroes 1 − t_l / n_l. */
    public static double[] zeroFractions(int[] widths, int[] keep) {
        double[] f = new double[widths.length];
        for (int l = 0; l < f.length; l++) {
            f[l] = 1.0 - (double) keep[l] / widths[l];
        }
        return f;
    }

    static float[] zeroed(float[] w, double fraction) {
        int k = (int) Math.round(fraction * w.length);
        if (k <= 0) {
            return w;
        }
        // |w| as int bits sorts like the float (non-negative), index in the low half breaks ties.
        long[] key = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            key[i] = ((long) Float.floatToIntBits(Math.abs(w[i])) << 32) | i;
        }
        Arrays.sort(key);
        for (int i = 0; i < k; i++) {
            w[(int) key[i]] = 0f;
        }
        return w;
    }
}
