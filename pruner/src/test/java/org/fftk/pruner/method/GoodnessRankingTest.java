package org.fftk.pruner.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.pruner.forward.Forward;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.Test;

/** The FF-aware ranking against its formula, evaluated with the test reference forward pass. */
class GoodnessRankingTest {
    /**
     * ffnn, 1 pixel, 2 labels, 3 neurons reading (x, e0, e1) normalised: neuron 0 fires for label 0,
     * neuron 1 for label 1, neuron 2 (bias only) for every input.
     */
    static Model handBuilt(Objective o) {
        float[] w = {0, 2, 0, 0, 0, 2, 0, 0, 0};
        return Model.builder(Architecture.FFNN).inputSize(1).numLabels(2).objective(o).theta(0.3f)
                .addLayer(new DenseLayer(3, 3, w, new float[] {0, 0, 0.5f})).build();
    }

    /** g_j by the formula, the mean over images, h from Forward (not from the trace). */
    static double[] byHand(Model m, Dataset d) {
        double s = m.objective() == Objective.MAXIMIZE ? 1 : -1;
        double[] want = new double[3];
        for (int i = 0; i < d.size(); i++) {
            for (int c = 0; c < 2; c++) {
                float[] h = Forward.hidden(m, d.images(), d.offset(i), c)[0];
                double weight = c == d.label(i) ? s : -s; // one wrong label: L − 1 = 1
                for (int j = 0; j < 3; j++) {
                    want[j] += weight * h[j] * h[j] / 3;
                }
            }
        }
        for (int j = 0; j < 3; j++) {
            want[j] /= d.size();
        }
        return want;
    }

    @Test
    void scoresFollowTheFormulaAndTheObjectivesSign() {
        // images labelled 0: neuron 0 carries the positive pass, neuron 1 the negative one
        Dataset d = new Dataset("hand", 1, 2, new float[] {0.2f, 0.9f, 0.5f, 0f}, new int[] {0, 0, 0, 0});
        for (Objective o : Objective.values()) {
            Model m = handBuilt(o);
            double[] got = GoodnessRanking.scores(m, d, 10, 1)[0];
            double[] want = byHand(m, d);
            assertArrayEquals(want, got, 1e-6, o.toString());
        }
        double[] max = GoodnessRanking.scores(handBuilt(Objective.MAXIMIZE), d, 10, 1)[0];
        double[] min = GoodnessRanking.scores(handBuilt(Objective.MINIMIZE), d, 10, 1)[0];
        // maximize relies on positive activity (neuron 0); minimize on negative activity (neuron 1)
        assertTrue(max[0] > 0 && max[1] < 0, java.util.Arrays.toString(max));
        assertTrue(min[1] > 0 && min[0] < 0, java.util.Arrays.toString(min));
        PruneSpec spec = PruneSpec.of(PruneMethod.GOODNESS, KeepCounts.same(1), 1);
        assertArrayEquals(new int[] {0}, Pruner.select(handBuilt(Objective.MAXIMIZE), spec, d)[0]);
        assertArrayEquals(new int[] {1}, Pruner.select(handBuilt(Objective.MINIMIZE), spec, d)[0]);
    }

    @Test
    void everyFfArchitectureIsRankedAndBpnnIsRefused() {
        Dataset d = Models.data(30, 8, 4, 2);
        for (Architecture a : new Architecture[] {Architecture.FFNN, Architecture.FFNN_C, Architecture.FFRNN}) {
            Model m = Models.random(a, 8, 4, new int[] {9, 6}, 3);
            double[][] g = GoodnessRanking.scores(m, d, 20, 4);
            assertEquals(9, g[0].length);
            assertEquals(6, g[1].length);
            int[][] kept = Pruner.select(m, PruneSpec.of(PruneMethod.GOODNESS, KeepCounts.same(4), 4).withSampleSize(20), d);
            assertArrayEquals(NeuronSelection.topK(g[1], 4, true), kept[1], a.toString());
        }
        Model ffnnc = Models.random(Architecture.FFNN_C, 8, 4, new int[] {9, 6}, 3);
        Model asFfnn = Model.builder(Architecture.FFNN).inputSize(8).numLabels(4).theta(ffnnc.theta())
                .objective(ffnnc.objective()).layers(ffnnc.layers()).build();
        assertArrayEquals(GoodnessRanking.scores(asFfnn, d, 20, 4)[0], GoodnessRanking.scores(ffnnc, d, 20, 4)[0], 0,
                "ffnn-c's FF layers are ranked as the FFNN they were trained as");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoodnessRanking.scores(Models.random(Architecture.BPNN, 8, 4, new int[] {5}, 1), d, 10, 1));
        assertTrue(e.getMessage().contains("bpnn has none"), e.getMessage());
    }

    /**
     * ffcnn: a filter's score sums h² over its output plane. Checked for the last layer through
     * another path: the model pruned to that one filter (the last layer's input is unchanged by it)
     * and scoring only the last layer gives, per label, exactly Σ over the filter's plane of h².
     */
    @Test
    void ffcnnFiltersAreRankedByTheirPlanesGoodnessGap() {
        java.util.Random r = new java.util.Random(5);
        org.fftk.edge.model.ConvShape cs = new org.fftk.edge.model.ConvShape(1, 6, 7, new int[] {3, 3}, new int[] {1, 2},
                new int[] {1, 1});
        int[] f = {4, 3};
        float[] pat = new float[4 * cs.inputSize()];
        for (int i = 0; i < pat.length; i++) {
            pat[i] = r.nextFloat();
        }
        for (Objective o : Objective.values()) {
            Model m = Models.ffcnn(r, cs, f, pat, o);
            Dataset d = Models.data(12, cs.inputSize(), 4, 9);
            double[][] g = GoodnessRanking.scores(m, d, 12, 1);
            assertEquals(4, g[0].length);
            assertEquals(3, g[1].length);
            double s = o == Objective.MAXIMIZE ? 1 : -1;
            double units = cs.units(1, f);
            for (int j = 0; j < 3; j++) {
                Model one = org.fftk.pruner.surgery.NeuronSurgery.keep(m, new int[][] {{0, 1, 2, 3}, {j}}).toBuilder()
                        .scoreFrom(1).build();
                float[] sc = new float[d.size() * 4];
                org.fftk.edge.infer.Inference.predictor(one).scores(d.images(), 0, d.size(), sc);
                double want = 0;
                for (int i = 0; i < d.size(); i++) {
                    for (int c = 0; c < 4; c++) {
                        want += (c == d.label(i) ? s : -s / 3) * sc[i * 4 + c];
                    }
                }
                want /= d.size() * units;
                assertEquals(want, g[1][j], 1e-5 * Math.max(1, Math.abs(want)), o + " filter " + j);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoodnessRanking.scores(
                org.fftk.edge.model.Model.builder(Architecture.BPCNN).inputSize(cs.inputSize()).numLabels(4).conv(cs)
                        .addLayer(new DenseLayer(4, 9, new float[36], new float[4]))
                        .addLayer(new DenseLayer(3, 36, new float[108], new float[3]))
                        .classifier(new DenseLayer(4, 3 * 12, new float[144], new float[4])).build(), Models.data(5, 42, 4, 1), 5, 1));
        assertTrue(e.getMessage().contains("bpcnn has none"), e.getMessage());
    }

    @Test
    void ffrnnActivationsAreTheCountedFramesWithTheTrueLabel() {
        Model m = Models.random(Architecture.FFRNN, 8, 4, new int[] {7, 5}, 6);
        Dataset d = Models.data(12, 8, 4, 7);
        double[][] a = NeuronSelection.meanActivations(m, d, 12, 3);
        int[] idx = d.sampleIndices(12, 3);
        double[][] want = new double[2][];
        want[0] = new double[7];
        want[1] = new double[5];
        int frames = m.testFrameHigh() - m.testFrameLow() + 1;
        for (int i : idx) {
            float[][][] s = Forward.ffrnnFrames(m, d.images(), d.offset(i), d.label(i), m.testFrameHigh());
            for (int t = m.testFrameLow(); t <= m.testFrameHigh(); t++) {
                for (int l = 0; l < 2; l++) {
                    for (int j = 0; j < want[l].length; j++) {
                        want[l][j] += s[t][l][j] / (double) frames / idx.length;
                    }
                }
            }
        }
        assertArrayEquals(want[0], a[0], 1e-4);
        assertArrayEquals(want[1], a[1], 1e-4);
    }
}
