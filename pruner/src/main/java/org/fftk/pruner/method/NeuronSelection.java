package org.fftk.pruner.method;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.pruner.data.LabeledImages;
import org.fftk.pruner.forward.Forward;

/**
 * Chooses which neurons each hidden layer keeps, for the structured methods of SPEC §6. Every method
 * returns, per layer, the kept indices sorted ascending, ready for
 * {@link org.fftk.pruner.surgery.NeuronSurgery#keep}. Ties in a ranking go to the lower index.
 */
public final class NeuronSelection {
    private NeuronSelection() {
    }

    /**
     * Random: layer l's permutation is derived from (seed, l) only, never from t, so keeping t' &gt; t
     * keeps a superset of the t-neuron selection (nested).
     */
    public static int[][] random(int[] widths, int[] keep, long seed) {
        int[][] r = new int[widths.length][];
        for (int l = 0; l < widths.length; l++) {
            int[] p = permutation(widths[l], seed, l);
            r[l] = sortedHead(p, keep[l]);
        }
        return r;
    }

    /** The seeded permutation of layer l (Fisher–Yates over a SplittableRandom seeded from seed and l). */
    public static int[] permutation(int n, long seed, int layer) {
        long s = seed * 0x9E3779B97F4A7C15L + (layer + 1) * 0xBF58476D1CE4E5B9L;
        SplittableRandom rnd = new SplittableRandom(s);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Magnitude: per neuron the L2 (or L1) norm of its incoming weights; keep the t largest. For ffrnn
     * the incoming weights are the forward row and the backward row together.
     */
    public static int[][] magnitude(Model m, int[] keep, boolean l1) {
        int[][] r = new int[m.layers().size()][];
        for (int l = 0; l < r.length; l++) {
            DenseLayer L = m.layers().get(l);
            double[] score = rowNorms(L.weights(), L.out(), L.in(), l1);
            if (L.hasBackward()) {
                double[] b = rowNorms(L.backWeights(), L.out(), L.backIn(), l1);
                for (int j = 0; j < score.length; j++) {
                    score[j] = l1 ? score[j] + b[j] : Math.sqrt(score[j] * score[j] + b[j] * b[j]);
                }
            }
            r[l] = topK(score, keep[l], true);
        }
        return r;
    }

    /** Row norms of a row-major matrix. */
    public static double[] rowNorms(float[] w, int rows, int cols, boolean l1) {
        double[] n = new double[rows];
        for (int j = 0; j < rows; j++) {
            double s = 0;
            for (int i = 0; i < cols; i++) {
                float v = w[j * cols + i];
                s += l1 ? Math.abs(v) : (double) v * v;
            }
            n[j] = l1 ? s : Math.sqrt(s);
        }
        return n;
    }

    /**
     * Mean activation per neuron over a seeded sample of {@code sampleSize} training images with their
     * true label embedded (positive data), from {@link Forward#hidden}. Returns [layer][neuron].
     */
    public static double[][] meanActivations(Model m, LabeledImages train, int sampleSize, long seed) {
        if (train == null || train.size() == 0) {
            throw new IllegalArgumentException("activation pruning needs training images");
        }
        if (train.inputSize() != m.inputSize()) {
            throw new IllegalArgumentException("training images have width " + train.inputSize()
                    + " but the model reads " + m.inputSize());
        }
        int[] idx = train.sampleIndices(sampleSize, seed);
        int nl = m.layers().size();
        double[][] sum = new double[nl][];
        for (int l = 0; l < nl; l++) {
            sum[l] = new double[m.layers().get(l).out()];
        }
        for (int i : idx) {
            int label = train.label(i);
            if (label < 0 || label >= m.numLabels()) {
                throw new IllegalArgumentException("training label " + label + " is outside 0.." + (m.numLabels() - 1));
            }
            float[][] h = Forward.hidden(m, train.pixels(), train.offset(i),
                    m.architecture() == Architecture.BPNN ? -1 : label);
            for (int l = 0; l < nl; l++) {
                for (int j = 0; j < h[l].length; j++) {
                    sum[l][j] += h[l][j];
                }
            }
        }
        for (double[] s : sum) {
            for (int j = 0; j < s.length; j++) {
                s[j] /= idx.length;
            }
        }
        return sum;
    }

    /** Activation: keep the t most active neurons per layer (or the least active). */
    public static int[][] activation(Model m, int[] keep, LabeledImages train, int sampleSize, long seed,
                                     boolean leastActive) {
        double[][] a = meanActivations(m, train, sampleSize, seed);
        int[][] r = new int[a.length][];
        for (int l = 0; l < a.length; l++) {
            r[l] = topK(a[l], keep[l], !leastActive);
        }
        return r;
    }

    /** Indices of the k largest (or smallest) scores, ties to the lower index, returned ascending. */
    public static int[] topK(double[] score, int k, boolean largest) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(score[a], score[b]);
            if (largest) {
                c = -c;
            }
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] r = new int[Math.min(k, score.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = order[i];
        }
        Arrays.sort(r);
        return r;
    }

    private static int[] sortedHead(int[] p, int k) {
        int[] r = Arrays.copyOf(p, Math.min(k, p.length));
        Arrays.sort(r);
        return r;
    }
}
