package org.fftk.pruner.surgery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.fftk.edge.infer.Inference;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.forward.Forward;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.Test;

/**
 * Which functional identities neuron removal keeps. "Silenced" = the unpruned model with the removed
 * neurons' incoming rows and biases set to zero, so their activations are forced to 0.
 *
 * <ul>
 *   <li>bpnn, ffnn-c: the pruned model's logits equal the silenced model's.</li>
 *   <li>ffnn, ffrnn: every kept neuron's activation equals the silenced model's, in every layer (and
 *       ffrnn frame): the row normaliser n(h) of the next layer sees the same L2 norm, because the
 *       silenced neurons contribute 0. The goodness is NOT preserved: z = mean over units − θ, and the
 *       pruned layer averages over t_l units instead of n_l, so (z' + θ)·t_l = (z + θ)·n_l.</li>
 *   <li>Against the plain unpruned model (nothing silenced): layer 0's pre-activations of the kept
 *       neurons are unchanged (layer 0 reads the unchanged input); layer 1's pre-activations equal the
 *       unpruned W_1 applied to h_0 with the removed entries zeroed and normalised by the norm of
 *       that zeroed vector (the same normaliser the pruned model uses).</li>
 * </ul>
 */
class PrunedEquivalenceTest {
    private static final int D = 8;
    private static final int L = 3;
    private static final int[][] KEEP = {{0, 2, 3, 6}, {1, 4}, {0, 2, 3}};

    private static int[] widths() {
        return new int[] {7, 5, 4};
    }

    @Test
    void bpnnLogitsEqualSilencedModel() {
        Model m = Models.random(Architecture.BPNN, D, L, widths(), 1);
        Model p = NeuronSurgery.keep(m, KEEP);
        Model s = Models.silenced(m, KEEP);
        Dataset x = Models.data(20, D, L, 2);
        float[] a = new float[20 * L];
        float[] b = new float[20 * L];
        Inference.predictor(p).scores(x.images(), 0, 20, a);
        Inference.predictor(s).scores(x.images(), 0, 20, b);
        assertArrayEquals(b, a, 1e-5f);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(Forward.scores(s, x.images(), x.offset(i)), Forward.scores(p, x.images(), x.offset(i)), 0f);
        }
        // ... and the removal matters: the unsilenced model differs.
        float[] c = new float[20 * L];
        Inference.predictor(m).scores(x.images(), 0, 20, c);
        assertNotEquals(c[0], a[0]);
    }

    @Test
    void ffnnCLogitsEqualSilencedModel() {
        Model m = Models.random(Architecture.FFNN_C, D, L, widths(), 3);
        Model p = NeuronSurgery.keep(m, KEEP);
        Model s = Models.silenced(m, KEEP);
        Dataset x = Models.data(20, D, L, 4);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(Forward.scores(s, x.images(), x.offset(i)), Forward.scores(p, x.images(), x.offset(i)), 0f);
        }
    }

    @Test
    void ffnnKeptActivationsEqualSilencedModelAndGoodnessScalesWithWidth() {
        Model m = Models.random(Architecture.FFNN, D, L, widths(), 5);
        Model p = NeuronSurgery.keep(m, KEEP);
        Model s = Models.silenced(m, KEEP);
        Dataset x = Models.data(10, D, L, 6);
        for (int i = 0; i < 10; i++) {
            for (int c = 0; c < L; c++) {
                float[][] hp = Forward.hidden(p, x.images(), x.offset(i), c);
                float[][] hs = Forward.hidden(s, x.images(), x.offset(i), c);
                for (int l = 0; l < KEEP.length; l++) {
                    assertArrayEquals(select(hs[l], KEEP[l]), hp[l], 0f, "layer " + l);
                    double sumP = Forward.meanSquare(hp[l]) * hp[l].length;
                    double sumS = Forward.meanSquare(hs[l]) * hs[l].length;
                    assertEquals(sumS, sumP, 1e-12 * Math.max(1, sumS), "sum of squares, layer " + l);
                }
            }
        }
        // The PlainPredictor's ffnn goodness agrees with the reference forward on the pruned model.
        float[] sc = new float[L];
        Inference.predictor(p).scores(x.images(), 0, 1, sc);
        assertArrayEquals(Forward.scores(p, x.images(), 0), sc, 1e-4f);
    }

    @Test
    void ffnnLayerOneAndTwoPreActivationsAgainstTheUnprunedModel() {
        Model m = Models.random(Architecture.FFNN, D, L, widths(), 7);
        Model p = NeuronSurgery.keep(m, KEEP);
        Dataset x = Models.data(5, D, L, 8);
        float eps = m.normEpsilon();
        for (int i = 0; i < 5; i++) {
            int label = x.label(i);
            float[] in = new float[D + L];
            System.arraycopy(x.images(), x.offset(i), in, 0, D);
            in[D + label] = 1;
            float[] xin = Forward.normalize(in, eps);
            // layer 0: pre-activations of kept neurons unchanged
            float[] pre0 = Forward.dense(m.layers().get(0), xin);
            float[] pre0p = Forward.dense(p.layers().get(0), xin);
            assertArrayEquals(select(pre0, KEEP[0]), pre0p, 0f);
            // layer 1: unpruned W_1 on h_0 with the removed entries zeroed, same normaliser as the pruned model
            float[] h0 = Forward.relu(pre0.clone());
            float[] masked = h0.clone();
            boolean[] kept = mask(h0.length, KEEP[0]);
            for (int j = 0; j < masked.length; j++) {
                if (!kept[j]) {
                    masked[j] = 0;
                }
            }
            float[] pre1 = Forward.dense(m.layers().get(1), Forward.normalize(masked, eps));
            float[] h0p = Forward.relu(pre0p.clone());
            float[] pre1p = Forward.dense(p.layers().get(1), Forward.normalize(h0p, eps));
            assertArrayEquals(select(pre1, KEEP[1]), pre1p, 1e-6f);
            // whereas the unmasked normaliser gives different values (the identity is not trivial)
            float[] pre1raw = Forward.dense(m.layers().get(1), Forward.normalize(h0, eps));
            assertNotEquals(select(pre1raw, KEEP[1])[0], pre1p[0]);
        }
    }

    @Test
    void ffrnnKeptStatesEqualSilencedModelInEveryFrame() {
        Model m = Models.random(Architecture.FFRNN, D, L, widths(), 9);
        Model p = NeuronSurgery.keep(m, KEEP);
        Model s = Models.silenced(m, KEEP);
        Dataset x = Models.data(5, D, L, 10);
        for (int i = 0; i < 5; i++) {
            float[][][] fp = Forward.ffrnnFrames(p, x.images(), x.offset(i), x.label(i), 4);
            float[][][] fs = Forward.ffrnnFrames(s, x.images(), x.offset(i), x.label(i), 4);
            for (int t = 0; t <= 4; t++) {
                for (int l = 0; l < KEEP.length; l++) {
                    assertArrayEquals(select(fs[t][l], KEEP[l]), fp[t][l], 0f, "frame " + t + " layer " + l);
                }
            }
        }
    }

    @Test
    void silencedNeuronsReallyAreZero() {
        Model s = Models.silenced(Models.random(Architecture.FFNN, D, L, widths(), 11), KEEP);
        Dataset x = Models.data(1, D, L, 12);
        float[][] h = Forward.hidden(s, x.images(), 0, 0);
        for (int l = 0; l < KEEP.length; l++) {
            boolean[] k = mask(h[l].length, KEEP[l]);
            for (int j = 0; j < h[l].length; j++) {
                if (!k[j]) {
                    assertEquals(0f, h[l][j]);
                }
            }
        }
        DenseLayer l0 = s.layers().get(0);
        assertEquals(0f, l0.bias(1));
    }

    static float[] select(float[] v, int[] idx) {
        float[] r = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r[i] = v[idx[i]];
        }
        return r;
    }

    static boolean[] mask(int n, int[] idx) {
        boolean[] b = new boolean[n];
        for (int j : idx) {
            b[j] = true;
        }
        return b;
    }
}
