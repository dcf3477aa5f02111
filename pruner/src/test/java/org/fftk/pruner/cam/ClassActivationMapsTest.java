package org.fftk.pruner.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.LabelRule;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.ConvShape;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maps split the prediction's margin by position (docs/algorithms.md "Class activation maps"):
 * for ffcnn the maps of the scored layers sum to s·(score(p) − mean of the other labels' scores),
 * for bpcnn the last layer's map plus the bias margin sums to logit(p) − mean of the other logits,
 * both with the scores of the edge runtime's predictor (not the trace the maps are made from).
 */
class ClassActivationMapsTest {
    static Model model(Architecture a, Objective o, long seed) {
        Random r = new Random(seed);
        ConvShape cs = new ConvShape(2, 8, 7, new int[] {3, 3, 2}, new int[] {1, 2, 1}, new int[] {1, 1, 0});
        int[] f = {4, 3, 5};
        Model.Builder b = Model.builder(a).inputSize(cs.inputSize()).numLabels(4).conv(cs);
        if (a.isFfConv()) {
            float[] pat = new float[4 * cs.inputSize()];
            for (int i = 0; i < pat.length; i++) {
                pat[i] = r.nextFloat();
            }
            b.labelPatterns(pat).objective(o).scoreFrom(1);
        }
        for (int l = 0; l < 3; l++) {
            int in = cs.layerInput(l, f);
            float[] w = new float[f[l] * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian() * 0.7f;
            }
            float[] bias = new float[f[l]];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) r.nextGaussian() * 0.2f;
            }
            b.addLayer(new DenseLayer(f[l], in, w, bias));
        }
        if (a == Architecture.BPCNN || a == Architecture.FFCNN_C) {
            int units = org.fftk.edge.model.Layout.classifierInput(a, f, cs);
            float[] w = new float[4 * units];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            b.classifier(new DenseLayer(4, units, w, new float[] {0.3f, -0.1f, 0.2f, 0f}));
        }
        return b.build();
    }

    static float[] image(long seed, int d) {
        Random r = new Random(seed);
        float[] x = new float[d];
        for (int i = 0; i < d; i++) {
            x[i] = r.nextInt(3) == 0 ? 0f : r.nextFloat();
        }
        return x;
    }

    @Test
    void ffcnnMapsSumToTheScoreMargin() {
        for (Objective o : Objective.values()) {
            Model m = model(Architecture.FFCNN, o, 3 + o.ordinal());
            float[] x = image(7, m.inputSize());
            float[] s = new float[4];
            Inference.predictor(m).scores(x, 0, 1, s);
            int p = LabelRule.best(s, 0, 4, LabelRule.argmin(m));
            ClassActivationMaps.Result r = ClassActivationMaps.of(m, x);
            assertEquals(p, r.predicted());
            assertEquals(3, r.layers().size());
            double sum = 0;
            for (ClassActivationMaps.LayerMap lm : r.layers()) {
                assertEquals(m.conv().outHeight(lm.layer()) * m.conv().outWidth(lm.layer()), lm.values().length);
                if (lm.layer() >= m.scoreFrom()) {
                    for (double v : lm.values()) {
                        sum += v;
                    }
                }
            }
            double others = (s[0] + s[1] + s[2] + s[3] - s[p]) / 3;
            double want = (o == Objective.MAXIMIZE ? 1 : -1) * (s[p] - others);
            assertEquals(want, sum, 1e-4 * Math.max(1, Math.abs(want)), o.toString());
            assertTrue(want >= 0, "the predicted label's margin is never negative");
        }
    }

    @Test
    void bpcnnMapPlusBiasMarginIsTheLogitMargin(@TempDir Path dir) throws Exception {
        Model m = model(Architecture.BPCNN, Objective.MAXIMIZE, 11);
        float[] x = image(8, m.inputSize());
        float[] s = new float[4];
        Inference.predictor(m).scores(x, 0, 1, s);
        ClassActivationMaps.Result r = ClassActivationMaps.of(m, x);
        int p = r.predicted();
        assertEquals(LabelRule.best(s, 0, 4, false), p);
        assertEquals(1, r.layers().size());
        assertEquals(2, r.layers().get(0).layer());
        double sum = 0;
        for (double v : r.layers().get(0).values()) {
            sum += v;
        }
        float[] b = m.classifier().biases();
        double bias = b[p] - (b[0] + b[1] + b[2] + b[3] - b[p]) / 3;
        double want = s[p] - (s[0] + s[1] + s[2] + s[3] - s[p]) / 3;
        assertEquals(want, sum + bias, 1e-4 * Math.max(1, Math.abs(want)));
        // ffcnn-c: a map per layer its classifier reads (1 and 2); together with the bias margin they
        // are the logit margin
        Model c = model(Architecture.FFCNN_C, Objective.MAXIMIZE, 12);
        float[] sc = new float[4];
        Inference.predictor(c).scores(x, 0, 1, sc);
        ClassActivationMaps.Result rc = ClassActivationMaps.of(c, x);
        int pc = rc.predicted();
        assertEquals(LabelRule.best(sc, 0, 4, false), pc);
        assertEquals(2, rc.layers().size());
        assertEquals(1, rc.layers().get(0).layer());
        double sumC = 0;
        for (ClassActivationMaps.LayerMap lm : rc.layers()) {
            for (double v : lm.values()) {
                sumC += v;
            }
        }
        double biasC = b[pc] - (b[0] + b[1] + b[2] + b[3] - b[pc]) / 3;
        double wantC = sc[pc] - (sc[0] + sc[1] + sc[2] + sc[3] - sc[pc]) / 3;
        assertEquals(wantC, sumC + biasC, 1e-4 * Math.max(1, Math.abs(wantC)));
        Path f = dir.resolve("cam.png");
        CamImages.write(x, m.conv(), r.layers().get(0), f);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(f.toFile());
        assertEquals(7 * CamImages.SCALE, img.getWidth());
        assertEquals(8 * CamImages.SCALE, img.getHeight());
        assertThrows(IllegalArgumentException.class, () -> ClassActivationMaps.of(m, new float[3]));
    }
}
