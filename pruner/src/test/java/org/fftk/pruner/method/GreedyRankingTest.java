package org.fftk.pruner.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.pruner.forward.Forward;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.Test;

/** The forward selection: on a hand-built model, and against a plain reference of its definition. */
class GreedyRankingTest {
    /**
     * minimize ffnn, 2 pixels, 2 labels, input (x0, x1, e0, e1) / √2 for the one-hot images used.
     * Neurons 0, 1, 2 are copies that fire only for an image of class 0 with the wrong label 1
     * (h = 0.5·8/√2, h² = 8); neuron 3 fires only for class 1 with label 0 (h² = 4.5). Every gap of
     * a copy (4 per image on average) beats neuron 3's (2.25), so the goodness ranking keeps two
     * copies and class 1 is left with no neuron that tells its labels apart; the forward selection
     * takes one copy, then neuron 3.
     */
    static Model copies() {
        float k = 8;
        float k3 = 6;
        float r2 = (float) Math.sqrt(2);
        float[] w = {k, 0, 0, k, k, 0, 0, k, k, 0, 0, k, 0, k3, k3, 0};
        float[] b = {-1.5f * k / r2, -1.5f * k / r2, -1.5f * k / r2, -1.5f * k3 / r2};
        return Model.builder(Architecture.FFNN).inputSize(2).numLabels(2).objective(Objective.MINIMIZE).theta(1f)
                .addLayer(new DenseLayer(4, 4, w, b)).build();
    }

    static Dataset oneHotImages(int each) {
        float[] px = new float[4 * each];
        int[] y = new int[2 * each];
        for (int i = 0; i < 2 * each; i++) {
            y[i] = i % 2;
            px[2 * i + y[i]] = 1;
        }
        return new Dataset("copies", 2, 2, px, y);
    }

    @Test
    void keepsEveryClassCoveredWhereTheGapRankingKeepsCopies() {
        Model m = copies();
        Dataset d = oneHotImages(10);
        float[] h = Forward.hidden(m, d.images(), d.offset(0), 1)[0]; // class 0, wrong label
        assertEquals(8, h[0] * h[0], 0.01); // ε in the normalisation
        assertEquals(0, h[3], 0);
        h = Forward.hidden(m, d.images(), d.offset(1), 0)[0]; // class 1, wrong label
        assertEquals(4.5, h[3] * h[3], 0.01);
        PruneSpec goodness = PruneSpec.of(PruneMethod.GOODNESS, KeepCounts.same(2), 1).withSampleSize(20);
        PruneSpec greedy = PruneSpec.of(PruneMethod.GREEDY, KeepCounts.same(2), 1).withSampleSize(20);
        assertArrayEquals(new int[] {0, 1}, Pruner.select(m, goodness, d)[0]);
        assertArrayEquals(new int[] {0, 3}, Pruner.select(m, greedy, d)[0]);
        assertArrayEquals(new int[] {0, 3, 1, 2}, GreedyRanking.ranking(m, d, 20, 1)[0]);
    }

    /**
     * On random ffnn and ffrnn models (up to 32 units, so every step scores every unit), the ranking
     * equals a plain forward selection on h² from the reference forward pass: cross-entropy of the
     * softmax over labels of −mean h², summed over the traced images.
     */
    @Test
    void equalsAPlainForwardSelectionOnTheReferenceForwardPass() {
        Dataset d = Models.data(25, 8, 4, 3);
        for (Architecture a : new Architecture[] {Architecture.FFNN, Architecture.FFNN_C, Architecture.FFRNN}) {
            Model m = Models.random(a, 8, 4, new int[] {12, 9}, 7);
            int[][] got = GreedyRanking.ranking(m, d, 25, 2);
            int[] idx = d.sampleIndices(25, 2);
            for (int l = 0; l < 2; l++) {
                int units = m.widths()[l];
                double[][][] e = new double[idx.length][units][4];
                for (int s = 0; s < idx.length; s++) {
                    for (int c = 0; c < 4; c++) {
                        float[][] hs = hidden(m, d, idx[s], c, l);
                        for (float[] hv : hs) {
                            for (int j = 0; j < units; j++) {
                                e[s][j][c] += (double) hv[j] * hv[j] / hs.length;
                            }
                        }
                    }
                }
                int[] truth = new int[idx.length];
                for (int s = 0; s < idx.length; s++) {
                    truth[s] = d.label(idx[s]);
                }
                double sign = m.objective() == Objective.MAXIMIZE ? 1 : -1;
                assertArrayEquals(plainGreedy(e, truth, sign), got[l], a + " layer " + l);
            }
        }
    }

    /** Layer l's h for label c; ffrnn: the counted frames, ffnn-c: as an ffnn with label c. */
    private static float[][] hidden(Model m, Dataset d, int i, int c, int l) {
        if (m.architecture() == Architecture.FFRNN) {
            float[][][] f = Forward.ffrnnFrames(m, d.images(), d.offset(i), c, m.testFrameHigh());
            float[][] r = new float[m.testFrameHigh() - m.testFrameLow() + 1][];
            for (int t = m.testFrameLow(); t <= m.testFrameHigh(); t++) {
                r[t - m.testFrameLow()] = f[t][l];
            }
            return r;
        }
        return new float[][] {Forward.hidden(m.goodnessModel(), d.images(), d.offset(i), c)[l]};
    }

    private static int[] plainGreedy(double[][][] e, int[] truth, double sign) {
        int units = e[0].length;
        int labels = e[0][0].length;
        boolean[] taken = new boolean[units];
        double[][] sum = new double[truth.length][labels];
        int[] order = new int[units];
        for (int step = 0; step < units; step++) {
            int best = -1;
            double bestLoss = Double.POSITIVE_INFINITY;
            for (int j = 0; j < units; j++) {
                if (taken[j]) {
                    continue;
                }
                double loss = 0;
                for (int s = 0; s < truth.length; s++) {
                    double[] u = new double[labels];
                    for (int c = 0; c < labels; c++) {
                        u[c] = sign * (sum[s][c] + e[s][j][c]) / (step + 1);
                    }
                    double max = Arrays.stream(u).max().getAsDouble();
                    double z = Arrays.stream(u).map(v -> Math.exp(v - max)).sum();
                    loss += Math.log(z) + max - u[truth[s]];
                }
                if (best < 0 || loss < bestLoss - 1e-9 * Math.abs(bestLoss)) {
                    bestLoss = loss;
                    best = j;
                }
            }
            taken[best] = true;
            order[step] = best;
            for (int s = 0; s < truth.length; s++) {
                for (int c = 0; c < labels; c++) {
                    sum[s][c] += e[s][best][c];
                }
            }
        }
        return order;
    }

    @Test
    void wideLayersScoreASeededSubsetPerStepAndStillRankEveryUnit() {
        Dataset d = Models.data(20, 8, 4, 5);
        Model m = Models.random(Architecture.FFNN, 8, 4, new int[] {70, 40}, 9);
        int[][] a = GreedyRanking.ranking(m, d, 20, 3);
        assertArrayEquals(a[0], GreedyRanking.ranking(m, d, 20, 3)[0], "same seed, same ranking");
        for (int l = 0; l < 2; l++) {
            int[] sorted = a[l].clone();
            Arrays.sort(sorted);
            for (int j = 0; j < sorted.length; j++) {
                assertEquals(j, sorted[j], "a permutation of layer " + l);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GreedyRanking.ranking(Models.random(Architecture.BPNN, 8, 4, new int[] {5}, 1), d, 10, 1));
        assertTrue(e.getMessage().startsWith("greedy ranking needs FF-trained layers"), e.getMessage());
    }

    /**
     * ffcnn: a filter's energy is the mean of h² over its plane. With one filter left to choose from
     * in the last step, and a layer of two filters, the first pick is the filter whose plane alone
     * gives the lower loss; checked against that loss computed from the model pruned to each filter
     * and scored by the last layer alone (whose score is the plane's mean h², through another path).
     */
    @Test
    void ffcnnFiltersAreScoredByTheirPlanesMeanGoodness() {
        java.util.Random r = new java.util.Random(11);
        org.fftk.edge.model.ConvShape cs = new org.fftk.edge.model.ConvShape(1, 6, 7, new int[] {3, 3}, new int[] {1, 2},
                new int[] {1, 1});
        int[] f = {3, 2};
        float[] pat = new float[4 * cs.inputSize()];
        for (int i = 0; i < pat.length; i++) {
            pat[i] = r.nextFloat();
        }
        Model m = Models.ffcnn(r, cs, f, pat, Objective.MINIMIZE);
        Dataset d = Models.data(16, cs.inputSize(), 4, 2);
        int[] idx = d.sampleIndices(16, 1);
        double[] loss = new double[2];
        double plane = cs.units(1, f) / 2;
        for (int j = 0; j < 2; j++) {
            Model one = org.fftk.pruner.surgery.NeuronSurgery.keep(m, new int[][] {{0, 1, 2}, {j}}).toBuilder()
                    .scoreFrom(1).build();
            float[] sc = new float[d.size() * 4];
            org.fftk.edge.infer.Inference.predictor(one).scores(d.images(), 0, d.size(), sc);
            for (int i : idx) {
                double[] u = new double[4];
                for (int c = 0; c < 4; c++) {
                    u[c] = -sc[i * 4 + c] / plane; // the plane's Σ h², as a mean over its pixels
                }
                double max = Arrays.stream(u).max().getAsDouble();
                loss[j] += Math.log(Arrays.stream(u).map(v -> Math.exp(v - max)).sum()) + max - u[d.label(i)];
            }
        }
        int[] got = GreedyRanking.ranking(m, d, 16, 1)[1];
        assertEquals(loss[0] <= loss[1] ? 0 : 1, got[0], Arrays.toString(loss));
        assertEquals(3, GreedyRanking.ranking(m, d, 16, 1)[0].length);
    }

    @Test
    void readsThreeThousandImagesByDefaultAndLabelsOtherSamples() {
        PruneSpec g = PruneSpec.of(PruneMethod.GREEDY, KeepCounts.same(4), 1);
        assertEquals(3000, g.sampleSize());
        assertEquals(1000, PruneSpec.of(PruneMethod.GOODNESS, KeepCounts.same(4), 1).sampleSize());
        assertEquals("greedy", g.label());
        assertEquals("greedy-s1000", g.withSampleSize(1000).label());
        assertEquals(1000, PruneSpec.fromLabel("greedy-s1000", KeepCounts.same(4), 1).sampleSize());
        assertEquals(3000, PruneSpec.fromLabel("greedy", KeepCounts.same(4), 1).sampleSize());
        assertEquals("goodness-s3000", PruneSpec.of(PruneMethod.GOODNESS, KeepCounts.same(4), 1).withSampleSize(3000).label());
    }
}
