package org.fftk.pruner.lowrank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.Test;

/**
 * {@link LowRank} against matrices whose singular value decomposition is known by construction
 * (W = Q1·diag(s)·Q2ᵀ with orthonormal Q1, Q2 from Gram–Schmidt in the test): the rank-r factors must
 * multiply to Q1_r·diag(s_r)·Q2_rᵀ (Eckart–Young), each factor carrying √s; at full rank the model
 * scores as the original; ranks for a budget follow energy per weight.
 */
class LowRankTest {
    /** n orthonormal columns of length m (column-major in an m × n row-major array), by Gram–Schmidt on random vectors. */
    static double[][] orthonormal(Random r, int m, int n) {
        double[][] q = new double[n][m];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < m; i++) {
                q[c][i] = r.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += q[c][i] * q[p][i];
                }
                for (int i = 0; i < m; i++) {
                    q[c][i] -= dot * q[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += q[c][i] * q[c][i];
            }
            for (int i = 0; i < m; i++) {
                q[c][i] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    /** Σ_{k<r} s_k · a_k · b_kᵀ as an out × in row-major matrix. */
    static double[] sum(double[][] a, double[] s, double[][] b, int r, int out, int in) {
        double[] w = new double[out * in];
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    w[j * in + i] += s[k] * a[k][j] * b[k][i];
                }
            }
        }
        return w;
    }

    @Test
    void truncationIsTheKnownBestApproximation() {
        Random r = new Random(3);
        int out = 12;
        int in = 30; // layer 0 of an ffnn on 20 values and 10 labels
        double[] s = {9, 7, 5.5, 4, 3, 2.5, 2, 1.5, 1, 0.7, 0.4, 0.1};
        double[][] q1 = orthonormal(r, out, out);
        double[][] q2 = orthonormal(r, in, out);
        double[] w = sum(q1, s, q2, s.length, out, in);
        float[] wf = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wf[i] = (float) w[i];
        }
        Model m = Model.builder(Architecture.FFNN).inputSize(20).numLabels(10)
                .addLayer(new DenseLayer(out, in, wf, new float[out]))
                .addLayer(new DenseLayer(5, out, Models.uniform(r, 5 * out, 0.3f), new float[5])).build();
        LowRank lr = LowRank.of(m);
        assertArrayEquals(s, lr.singularValues(0), 1e-5);
        for (int rank : new int[] {1, 3, 7, 12}) {
            Model f = lr.truncate(new int[] {rank, 0});
            DenseLayer l = f.layers().get(0);
            assertEquals(rank, l.rank());
            assertEquals(0, f.layers().get(1).rank());
            double[] expect = sum(q1, s, q2, rank, out, in);
            float[] got = l.weights();
            for (int i = 0; i < got.length; i++) {
                assertEquals(expect[i], got[i], 2e-5, "rank " + rank + " W[" + i + "]");
            }
            // each factor carries √σ: column k of U and row k of V both have norm √σ_k
            float[] u = l.factorU();
            float[] v = l.factorV();
            for (int k = 0; k < rank; k++) {
                double nu = 0;
                double nv = 0;
                for (int j = 0; j < out; j++) {
                    nu += u[j * rank + k] * u[j * rank + k];
                }
                for (int i = 0; i < in; i++) {
                    nv += v[k * in + i] * v[k * in + i];
                }
                assertEquals(s[k], nu, 1e-4);
                assertEquals(s[k], nv, 1e-4);
            }
        }
    }

    /**
     * Data-aware factors keep the layer's pre-activations on the inputs it sees: images whose only
     * non-zero pixels are 0..2 give layer 0 inputs in a 13-dimensional subspace (3 pixels + 10
     * labels), so rank 13 reproduces the scores of every such image exactly (up to float), while the
     * plain SVD at rank 13 of a random 16 × 30 weight does not; images outside that subspace are not
     * kept. The layer-1 moments are checked against ones summed from the trace by hand.
     */
    @Test
    void dataAwareFactorsKeepThePreActivationsOnTheData() {
        Random r = new Random(12);
        int d = 20;
        Model m = Models.random(Architecture.FFNN, d, 10, new int[] {16, 12}, 21);
        int n = 40;
        float[] px = new float[n * d];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < 3; i++) {
                px[s * d + i] = r.nextFloat();
            }
            y[s] = s % 10;
        }
        org.fftk.edge.data.Dataset train = new org.fftk.edge.data.Dataset("subspace", d, 10, px, y);
        Model aware = LowRank.of(m, train, n, 1).truncate(new int[] {13, 0});
        Model plain = LowRank.of(m).truncate(new int[] {13, 0});
        float[] test = new float[10 * d];
        for (int s = 0; s < 10; s++) {
            for (int i = 0; i < 3; i++) {
                test[s * d + i] = r.nextFloat(); // new images in the same subspace
            }
        }
        float[] so = scores(m, test, 10);
        double worstAware = worst(so, scores(aware, test, 10));
        double worstPlain = worst(so, scores(plain, test, 10));
        assertTrue(worstAware < 1e-4, "data-aware rank 13 keeps the scores: " + worstAware);
        assertTrue(worstPlain > 1e-3, "plain rank 13 does not: " + worstPlain);
        float[] outside = Models.data(10, d, 10, 3).images();
        double off = worst(scores(m, outside, 10), scores(aware, outside, 10));
        assertTrue(off > 1e-3, "outside the data's subspace the factors are free: " + off);

        // bpnn: layer 0 reads the raw image, so 3 pixels span its inputs and rank 3 is exact on them
        Model bp = Models.random(Architecture.BPNN, d, 10, new int[] {16, 12}, 22);
        Model bpAware = LowRank.of(bp, train, n, 1).truncate(new int[] {3, 0});
        float[] bo = scores(bp, test, 10);
        double bpAwareErr = worst(bo, scores(bpAware, test, 10));
        double bpPlainErr = worst(bo, scores(LowRank.of(bp).truncate(new int[] {3, 0}), test, 10));
        assertTrue(bpAwareErr < 1e-4, "bpnn data-aware rank 3: " + bpAwareErr);
        assertTrue(bpPlainErr > 1e-3, "bpnn plain rank 3: " + bpPlainErr);

        // layer 1's input moments: mean over images and labels of n(h0)·n(h0)ᵀ, from the trace by hand
        double[][] c = LowRank.covariances(m, train, n, 1);
        double[] expect = new double[16 * 16];
        int[] order = train.sampleIndices(n, 1);
        float[] sample = new float[n * d];
        for (int s = 0; s < n; s++) {
            System.arraycopy(px, order[s] * d, sample, s * d, d);
        }
        org.fftk.edge.infer.Trace.run(m, sample, 0, n, (image, candidate, layer, frame, h, z) -> {
            if (layer == 0) {
                double norm = 0;
                for (float v : h) {
                    norm += v * v;
                }
                norm = Math.sqrt(norm) + m.normEpsilon();
                for (int i = 0; i < 16; i++) {
                    for (int j = 0; j < 16; j++) {
                        expect[i * 16 + j] += h[i] / norm * h[j] / norm / (n * 10);
                    }
                }
            }
        });
        for (int i = 0; i < expect.length; i++) {
            assertEquals(expect[i], c[1][i], 1e-9);
        }
    }

    /** The largest |b − a| / max(1, |a|). */
    static double worst(float[] a, float[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(b[i] - a[i]) / Math.max(1, Math.abs(a[i])));
        }
        return w;
    }

    static float[] scores(Model m, float[] x, int n) {
        float[] s = new float[n * m.numLabels()];
        Inference.predictor(m).scores(x, 0, n, s);
        return s;
    }

    /** At full rank every layer is the original up to float rounding: the scores agree. */
    @Test
    void fullRankScoresAsTheOriginal() {
        Model m = Models.random(Architecture.FFNN, 40, 10, new int[] {16, 12}, 5);
        Model f = LowRank.of(m).truncate(new int[] {16, 12});
        float[] x = Models.data(20, 40, 10, 9).images();
        Predictor a = Inference.predictor(m);
        Predictor b = Inference.predictor(f);
        float[] sa = new float[20 * 10];
        float[] sb = new float[20 * 10];
        a.scores(x, 0, 20, sa);
        b.scores(x, 0, 20, sb);
        for (int i = 0; i < sa.length; i++) {
            assertEquals(sa[i], sb[i], 1e-4 * Math.max(1, Math.abs(sa[i])), "score " + i);
        }
    }

    /**
     * Ranks for a budget: layer 0 (out 4, in 30: 34 weights per rank) has σ = 4, 3, 2, 1 (energy
     * 30), layer 1 (out 3, in 4: 7 per rank) σ = 2, 1, 0.5. Shares per weight: layer 0
     * 9/30/34 = 0.0088, 4/30/34 = 0.0039, 1/30/34; layer 1 1/5.25/7 = 0.027, 0.25/5.25/7 = 0.0068.
     * From (1, 1) = 41 weights: +7 (layer 1, 0.027) = 48, then +34 (layer 0, 0.0088) = 82, then
     * layer 1 (0.0068 > 0.0039) = 89, then layer 0 = 123. A rank that does not fit is passed over for
     * one that does.
     */
    @Test
    void ranksForABudgetFollowEnergyPerWeight() {
        Random r = new Random(8);
        double[][] a0 = orthonormal(r, 4, 4);
        double[][] b0 = orthonormal(r, 30, 4);
        double[][] a1 = orthonormal(r, 3, 3);
        double[][] b1 = orthonormal(r, 4, 3);
        Model m = Model.builder(Architecture.FFNN).inputSize(20).numLabels(10)
                .addLayer(new DenseLayer(4, 30, floats(sum(a0, new double[] {4, 3, 2, 1}, b0, 4, 4, 30)), new float[4]))
                .addLayer(new DenseLayer(3, 4, floats(sum(a1, new double[] {2, 1, 0.5}, b1, 3, 3, 4)), new float[3])).build();
        LowRank lr = LowRank.of(m);
        assertArrayEquals(new int[] {1, 1}, lr.ranksFor(41));
        assertArrayEquals(new int[] {1, 3}, lr.ranksFor(81)); // layer 0's next rank no longer fits, layer 1's does
        assertArrayEquals(new int[] {2, 2}, lr.ranksFor(82));
        assertArrayEquals(new int[] {2, 3}, lr.ranksFor(89));
        assertArrayEquals(new int[] {3, 3}, lr.ranksFor(123));
        assertArrayEquals(new int[] {4, 3}, lr.ranksFor(1000));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> lr.ranksFor(40)).getMessage().contains("even rank 1"));
    }

    @Test
    void whatCannotBeFactoredIsRefused() {
        Model rnn = Models.random(Architecture.FFRNN, 20, 10, new int[] {8, 8}, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LowRank.of(rnn)).getMessage()
                .contains("low-rank factorisation is for ffnn and bpnn models, not ffrnn"));
        Model m = Models.random(Architecture.FFNN, 20, 10, new int[] {8, 6}, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LowRank.of(m.quantized())).getMessage()
                .contains("int8"));
        Model f = LowRank.of(m).truncate(new int[] {3, 2});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LowRank.of(f)).getMessage().contains("already factored"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LowRank.of(m).truncate(new int[] {9, 2})).getMessage()
                .contains("layer 0 rank must be 0 (full) or 1..8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LowRank.of(m).truncate(new int[] {3})).getMessage()
                .contains("1 ranks for 2 hidden layers"));
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
