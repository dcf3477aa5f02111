package org.fftk.pruner.method;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.activation.Activations;

/**
 * Chooses which neurons each hidden layer keeps, for the structured methods of docs/algorithms.md "Pruning". Every method
 * returns, per layer, the kept indices sorted ascending, ready for
 * {@link org.fftk.pruner.surgery.NeuronSurgery#keep}. Ties in a ranking go to the lower index.
 */
public final class NeuronSelection {
    private NeuronSelection() {
    }

    /**
     * The full ranking of every layer's neurons for a structured spec, best first: keeping t neurons
     * means keeping the first t entries (see {@link #head}). Every structured method is therefore
     * nested in t. The keep counts of the spec are ignored here.
     */
    public static int[][] ranking(Model m, PruneSpec spec, Dataset train) {
        int nl = m.layers().size();
        int[][] r = new int[nl][];
        switch (spec.method()) {
            case RANDOM:
                for (int l = 0; l < nl; l++) {
                    r[l] = permutation(m.layers().get(l).out(), spec.seed(), l);
                }
                return r;
            case MAGNITUDE: {
                double[][] sc = magnitudeScores(m, spec.l1());
                for (int l = 0; l < nl; l++) {
                    r[l] = order(sc[l], true);
                }
                return r;
            }
            case ACTIVATION: {
                double[][] a = meanActivations(m, train, spec.sampleSize(), spec.seed());
                for (int l = 0; l < nl; l++) {
                    r[l] = order(a[l], !spec.leastActive());
                }
                return r;
            }
            case GOODNESS: {
                double[][] g = GoodnessRanking.scores(m, train, spec.sampleSize(), spec.seed());
                for (int l = 0; l < nl; l++) {
                    r[l] = order(g[l], true);
                }
                return r;
            }
            case GREEDY:
                return GreedyRanking.ranking(m, train, spec.sampleSize(), spec.seed());
            default:
                throw new IllegalArgumentException(spec.method() + " pruning does not rank neurons");
        }
    }

    /** Per layer, the first keep[l] entries of the ranking, sorted ascending. */
    public static int[][] head(int[][] ranking, int[] keep) {
        if (keep.length != ranking.length) {
            throw new IllegalArgumentException("expected " + ranking.length + " keep counts, got " + keep.length);
        }
        int[][] r = new int[ranking.length][];
        for (int l = 0; l < r.length; l++) {
            r[l] = sortedHead(ranking[l], keep[l]);
        }
        return r;
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
        double[][] sc = magnitudeScores(m, l1);
        int[][] r = new int[sc.length][];
        for (int l = 0; l < r.length; l++) {
            r[l] = topK(sc[l], keep[l], true);
        }
        return r;
    }

    /** Per layer and neuron, the norm of its incoming weights (forward and, for ffrnn, backward row). */
    public static double[][] magnitudeScores(Model m, boolean l1) {
        double[][] r = new double[m.layers().size()][];
        for (int l = 0; l < r.length; l++) {
            DenseLayer L = m.layers().get(l);
            double[] score = rowNorms(L.weights(), L.out(), L.in(), l1);
            if (L.hasBackward()) {
                double[] b = rowNorms(L.backWeights(), L.out(), L.backIn(), l1);
                for (int j = 0; j < score.length; j++) {
                    score[j] = l1 ? score[j] + b[j] : Math.sqrt(score[j] * score[j] + b[j] * b[j]);
                }
            }
            r[l] = score;
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
     * Mean activation per neuron over a seeded sample of {@code sampleSize} training images, as
     * {@link Activations} defines them (true label embedded: positive data). Returns [layer][neuron].
     */
    public static double[][] meanActivations(Model m, Dataset train, int sampleSize, long seed) {
        if (train == null || train.size() == 0) {
            throw new IllegalArgumentException("activation pruning needs training images");
        }
        int[] idx = train.sampleIndices(sampleSize, seed);
        int nl = m.layers().size();
        double[][] sum = new double[nl][];
        for (int l = 0; l < nl; l++) {
            sum[l] = new double[m.layers().get(l).out()];
        }
        Activations.visit(m, train, idx, (sample, layer, h) -> {
            double[] s = sum[layer];
            for (int j = 0; j < h.length; j++) {
                s[j] += h[j];
            }
        });
        for (double[] s : sum) {
            for (int j = 0; j < s.length; j++) {
                s[j] /= idx.length;
            }
        }
        return sum;
    }

    /** Activation: keep the t most active neurons per layer (or the least active). */
    public static int[][] activation(Model m, int[] keep, Dataset train, int sampleSize, long seed,
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
        return sortedHead(order(score, largest), k);
    }

    /** All indices ordered by score, largest (or smallest) first, ties to the lower index. */
    public static int[] order(double[] score, boolean largest) {
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
        int[] r = new int[score.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = order[i];
        }
        return r;
    }

    private static int[] sortedHead(int[] p, int k) {
        int[] r = Arrays.copyOf(p, Math.min(k, p.length));
        Arrays.sort(r);
        return r;
    }
}
