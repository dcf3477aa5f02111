package org.fftk.pruner.surgery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.ConvShape;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.method.Pruner;
import org.junit.jupiter.api.Test;

/**
 * ffcnn channel pruning: removing filter j of layer l deletes W_l[j][·][·][·], b_l[j] and the next
 * layer's input channel j, W_{l+1}[·][j][·][·] (checked element by element against the original
 * with explicit [o][c][ky][kx] indexing); keeping every filter changes nothing; the pruned model
 * runs; rankings that read activations are refused with one line.
 */
class ChannelSurgeryTest {
    static Model cnn(long seed) {
        Random r = new Random(seed);
        ConvShape cs = new ConvShape(2, 7, 6, new int[] {3, 2, 3}, new int[] {1, 1, 2}, new int[] {1, 0, 1});
        int[] f = {5, 4, 3};
        float[] pat = new float[10 * cs.inputSize()];
        for (int i = 0; i < pat.length; i++) {
            pat[i] = r.nextFloat();
        }
        Model.Builder b = Model.builder(Architecture.FFCNN).inputSize(cs.inputSize()).conv(cs).labelPatterns(pat);
        for (int l = 0; l < 3; l++) {
            int in = cs.layerInput(l, f);
            float[] w = new float[f[l] * in];
            float[] bias = new float[f[l]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) r.nextGaussian();
            }
            b.addLayer(new DenseLayer(f[l], in, w, bias));
        }
        return b.build();
    }

    @Test
    void removingAFilterRemovesItsChannelDownstream() {
        Model m = cnn(1);
        int[][] keep = {{0, 2, 4}, {1, 3}, {0, 1, 2}};
        Model p = NeuronSurgery.keep(m, keep);
        assertArrayEquals(new int[] {3, 2, 3}, p.widths());
        assertEquals(m.conv(), p.conv());
        int[] inCh = {2, 5, 4};
        for (int l = 0; l < 3; l++) {
            int k = m.conv().kernel(l);
            int[] chans = l == 0 ? new int[] {0, 1} : keep[l - 1];
            DenseLayer a = m.layers().get(l);
            DenseLayer b = p.layers().get(l);
            assertEquals(chans.length * k * k, b.in());
            for (int oi = 0; oi < keep[l].length; oi++) {
                int o = keep[l][oi];
                assertEquals(a.bias(o), b.bias(oi));
                for (int ci = 0; ci < chans.length; ci++) {
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            float want = a.weight(o, ((chans[ci]) * k + ky) * k + kx);
                            assertEquals(want, b.weight(oi, (ci * k + ky) * k + kx), 0f, "layer " + l);
                        }
                    }
                }
            }
            assertEquals(inCh[l] * k * k, a.in());
        }
        float[] img = new float[3 * m.inputSize()];
        for (int i = 0; i < img.length; i++) {
            img[i] = (i * 7 % 11) / 10f;
        }
        float[] s = new float[30];
        Inference.predictor(p).scores(img, 0, 3, s);
        for (float v : s) {
            assertTrue(Float.isFinite(v) && v >= 0);
        }
    }

    /**
     * bpcnn (no normalisation): a filter whose weights and bias are zero outputs ReLU(0) = 0
     * everywhere, so the original with the removed filters zeroed computes the pruned model's logits;
     * this checks the output layer's H·W column blocks as well as the conv layers.
     */
    @Test
    void bpcnnPrunedEqualsTheOriginalWithThoseFiltersZeroed() {
        Random r = new Random(9);
        ConvShape cs = new ConvShape(2, 7, 6, new int[] {3, 2, 3}, new int[] {1, 1, 2}, new int[] {1, 0, 1});
        int[] f = {5, 4, 3};
        Model.Builder b = Model.builder(Architecture.BPCNN).inputSize(cs.inputSize()).conv(cs);
        for (int l = 0; l < 3; l++) {
            int in = cs.layerInput(l, f);
            float[] w = new float[f[l] * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            float[] bias = new float[f[l]];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) r.nextGaussian() * 0.3f;
            }
            b.addLayer(new DenseLayer(f[l], in, w, bias));
        }
        int units = (int) cs.units(2, f);
        float[] cw = new float[10 * units];
        for (int i = 0; i < cw.length; i++) {
            cw[i] = (float) r.nextGaussian();
        }
        b.classifier(new DenseLayer(10, units, cw, new float[10]));
        Model m = b.build();
        int[][] keep = {{0, 2, 4}, {1, 3}, {0, 2}};
        Model p = NeuronSurgery.keep(m, keep);
        assertEquals(10 * 2 * cs.outHeight(2) * cs.outWidth(2), p.classifier().weights().length);
        java.util.List<float[]> z = m.parameters();
        for (int l = 0; l < 3; l++) {
            int in = cs.layerInput(l, f);
            for (int o = 0; o < f[l]; o++) {
                if (java.util.Arrays.binarySearch(keep[l], o) < 0) {
                    java.util.Arrays.fill(z.get(2 * l), o * in, (o + 1) * in, 0f);
                    z.get(2 * l + 1)[o] = 0f;
                }
            }
        }
        Model zeroed = m.toBuilder().parameters(f, z).build();
        float[] img = new float[4 * m.inputSize()];
        for (int i = 0; i < img.length; i++) {
            img[i] = (i * 7 % 11) / 10f;
        }
        float[] want = new float[40];
        float[] got = new float[40];
        Inference.predictor(zeroed).scores(img, 0, 4, want);
        Inference.predictor(p).scores(img, 0, 4, got);
        for (int i = 0; i < 40; i++) {
            assertEquals(want[i], got[i], 1e-4 * Math.max(1, Math.abs(want[i])), "logit " + i);
        }
    }

    /**
     * ffcnn-c: the classifier reads layers 1 and 2 flattened one after the other; a kept filter ch of
     * layer l keeps the columns offset_l + ch·H_l·W_l + (y·W_l + x), checked by explicit indexing; the
     * pruned model runs.
     */
    @Test
    void ffcnnClassifierKeepsTheKeptFiltersColumnBlocks() {
        Model ff = cnn(4);
        ConvShape cs = ff.conv();
        int[] f = ff.widths();
        int in = org.fftk.edge.model.Layout.classifierInput(Architecture.FFCNN_C, f, cs);
        assertEquals(cs.units(1, f) + cs.units(2, f), in);
        Random r = new Random(4);
        float[] cw = new float[10 * in];
        for (int i = 0; i < cw.length; i++) {
            cw[i] = (float) r.nextGaussian();
        }
        Model m = Model.builder(Architecture.FFCNN_C).inputSize(ff.inputSize()).conv(cs).labelPatterns(ff.labelPatterns())
                .layers(ff.layers()).classifier(new DenseLayer(10, in, cw, new float[10])).build();
        int[][] keep = {{0, 2, 4}, {1, 3}, {0, 2}};
        Model p = NeuronSurgery.keep(m, keep);
        int plane1 = cs.outHeight(1) * cs.outWidth(1);
        int plane2 = cs.outHeight(2) * cs.outWidth(2);
        assertEquals(2 * plane1 + 2 * plane2, p.classifier().in());
        long offset2 = cs.units(1, f);
        for (int c = 0; c < 10; c++) {
            int col = 0;
            for (int ch : keep[1]) {
                for (int px = 0; px < plane1; px++) {
                    assertEquals(m.classifier().weight(c, ch * plane1 + px), p.classifier().weight(c, col++), 0f);
                }
            }
            for (int ch : keep[2]) {
                for (int px = 0; px < plane2; px++) {
                    assertEquals(m.classifier().weight(c, (int) offset2 + ch * plane2 + px), p.classifier().weight(c, col++), 0f);
                }
            }
        }
        float[] img = new float[2 * m.inputSize()];
        for (int i = 0; i < img.length; i++) {
            img[i] = (i * 5 % 13) / 12f;
        }
        float[] s = new float[20];
        Inference.predictor(p).scores(img, 0, 2, s);
        for (float v : s) {
            assertTrue(Float.isFinite(v));
        }
        assertEquals(p.layers(), NeuronSurgery.keep(m.goodnessModel(), keep).layers());
    }

    @Test
    void keepingEveryFilterIsTheSameModel() {
        Model m = cnn(2);
        Model p = NeuronSurgery.keep(m, new int[][] {{0, 1, 2, 3, 4}, {0, 1, 2, 3}, {0, 1, 2}});
        assertEquals(m.layers(), p.layers());
    }

    @Test
    void randomAndMagnitudePruneActivationRankingIsRefused() {
        Model m = cnn(3);
        Model r = Pruner.prune(m, PruneSpec.of(PruneMethod.RANDOM, KeepCounts.same(2), 5), null, "x");
        assertArrayEquals(new int[] {2, 2, 2}, r.widths());
        Model g = Pruner.prune(m, PruneSpec.of(PruneMethod.MAGNITUDE, KeepCounts.same(3), 5), null, "x");
        assertArrayEquals(new int[] {3, 3, 3}, g.widths());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pruner.prune(m, PruneSpec.of(PruneMethod.ACTIVATION, KeepCounts.same(2), 5), null, "x"));
        assertTrue(e.getMessage().startsWith("activation ranking is not built for ffcnn"), e.getMessage());
    }
}
