package org.fftk.pruner.cam;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.infer.LabelRule;
import org.fftk.edge.infer.LayerSink;
import org.fftk.edge.infer.Trace;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.ConvShape;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/**
 * Class activation maps of the conv architectures (docs/algorithms.md "Class activation maps";
 * paper 002 Fig. 4): for one image, per layer, how much each position of that layer's maps speaks
 * for the predicted label against the others. Positive values support the prediction, negative
 * ones speak against it.
 *
 * <ul>
 *   <li>ffcnn: with h_c the layer's maps for the image with label c's pattern and p the predicted
 *       label, map(y, x) = s · (Σ_channels h_p² − mean over c ≠ p of Σ_channels h_c²) at (y, x),
 *       s = +1 for maximize, −1 for minimize. Over the scored layers the maps sum to the prediction's
 *       score margin s·(score(p) − mean_{c≠p} score(c)).</li>
 *   <li>bpcnn: the last layer only (the output layer is linear in its maps, so the logit margin
 *       splits exactly by position): map(y, x) = Σ_channels (W[p][ch, y, x] − mean_{c≠p} W[c][ch, y, x])
 *       · h(ch, y, x); with the biases' margin it sums to logit(p) − mean_{c≠p} logit(c).</li>
 *   <li>ffcnn-c: the same for every layer its classifier reads (1..n−1), each with its own block of
 *       the classifier's columns: paper 002's Fig. 4 maps. Over those layers, with the biases'
 *       margin, they sum to the logit margin.</li>
 * </ul>
 */
public final class ClassActivationMaps {
    private ClassActivationMaps() {
    }

    /** One layer's map: {@code rows × cols} values, row-major, at that layer's resolution. */
    public record LayerMap(int layer, int rows, int cols, double[] values) {
    }

    /** The maps of one image and the label they explain. */
    public record Result(int predicted, List<LayerMap> layers) {
    }

    public static Result of(Model m, float[] image) {
        ConvShape cs = m.conv();
        if (cs == null) {
            throw new IllegalArgumentException("class activation maps are for conv models (ffcnn, ffcnn-c, bpcnn); this is "
                    + m.architecture());
        }
        if (image.length != m.inputSize()) {
            throw new IllegalArgumentException("the image has " + image.length + " values, the model reads " + m.inputSize());
        }
        int depth = m.layers().size();
        int labels = m.numLabels();
        int[] widths = m.widths();
        boolean ff = m.architecture() == Architecture.FFCNN;
        // per candidate (ffcnn) or the one pass (bpcnn), per layer, the maps (copied: the trace reuses its buffers)
        float[][][] h = new float[ff ? labels : 1][depth][];
        float[] scores = Trace.run(m, image, 0, 1, new LayerSink() {
            @Override
            public void layer(int img, int candidate, int layer, int frame, float[] values, double z) {
                h[Math.max(candidate, 0)][layer] = values.clone();
            }
        }, 1);
        int p = LabelRule.best(scores, 0, labels, LabelRule.argmin(m));
        List<LayerMap> out = new ArrayList<>();
        if (ff) {
            double s = m.objective() == Objective.MAXIMIZE ? 1 : -1;
            for (int l = 0; l < depth; l++) {
                int plane = cs.outHeight(l) * cs.outWidth(l);
                double[] map = new double[plane];
                for (int c = 0; c < labels; c++) {
                    double wgt = c == p ? s : -s / (labels - 1);
                    float[] hc = h[c][l];
                    for (int ch = 0; ch < widths[l]; ch++) {
                        for (int i = 0; i < plane; i++) {
                            double v = hc[ch * plane + i];
                            map[i] += wgt * v * v;
                        }
                    }
                }
                out.add(new LayerMap(l, cs.outHeight(l), cs.outWidth(l), map));
            }
        } else {
            // the classifier's columns: bpcnn's read the last layer, ffcnn-c's layers 1..n−1 one after the other
            DenseLayer w = m.classifier();
            int from = m.architecture() == Architecture.FFCNN_C ? 1 : depth - 1;
            int col = 0;
            for (int l = from; l < depth; l++) {
                int plane = cs.outHeight(l) * cs.outWidth(l);
                int units = (int) cs.units(l, widths);
                double[] map = new double[plane];
                float[] hl = h[0][l];
                for (int u = 0; u < units; u++) {
                    double margin = w.weight(p, col + u);
                    for (int c = 0; c < labels; c++) {
                        if (c != p) {
                            margin -= w.weight(c, col + u) / (labels - 1);
                        }
                    }
                    map[u % plane] += margin * hl[u];
                }
                col += units;
                out.add(new LayerMap(l, cs.outHeight(l), cs.outWidth(l), map));
            }
        }
        return new Result(p, out);
    }
}
