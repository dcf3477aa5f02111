package org.fftk.trainer;

import org.fftk.edge.data.Dataset;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.LabelRule;
import org.fftk.edge.infer.LayerGoodness;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/**
 * Validation metrics of a model (docs/algorithms.md, "Per-layer metrics"), computed with the edge
 * runtime's own forward pass ({@link LayerGoodness}, i.e. exactly the shipped model's prediction):
 * the full-model accuracy and, for goodness models (ffnn, ffrnn), per layer the pos/neg accuracy
 * and the label accuracy. For ffrnn a layer's label score sums softplus(z) over the counted frames
 * and its pos/neg decision is made in every counted frame (each frame presents the sample again).
 * Ties go to the lowest label.
 */
public final class Evaluation {
    /** Full-model accuracy. */
    public final double accuracy;
    /** Per layer (ffnn, ffrnn; else null): pos/neg classification accuracy. */
    public final double[] layerAccuracy;
    /** Per layer (ffnn, ffrnn; else null): accuracy of predicting with that layer's goodness. */
    public final double[] layerLabelAccuracy;

    private Evaluation(double accuracy, double[] layerAccuracy, double[] layerLabelAccuracy) {
        this.accuracy = accuracy;
        this.layerAccuracy = layerAccuracy;
        this.layerLabelAccuracy = layerLabelAccuracy;
    }

    /**
     * Evaluates {@code m} on {@code d} on {@code threads} threads.
     *
     * @param negatives per example a wrong label, for the layers' pos/neg accuracy (goodness models)
     */
    public static Evaluation of(Model m, Dataset d, int[] negatives, int threads) {
        if (d.size() == 0) {
            return new Evaluation(0, null, null);
        }
        if (m.architecture().usesGoodness()) {
            return goodness(LayerGoodness.of(m, d.images(), d.offset(0), d.size(), threads), d, negatives,
                    m.objective());
        }
        return new Evaluation(Inference.accuracy(m, d, threads), null, null);
    }

    /**
     * Metrics from a model's per-layer goodness: full-model accuracy from its scores; per layer, label
     * accuracy from Σ_frames softplus(z) and pos/neg accuracy over (sample, frame) decisions on the
     * true label and {@code negatives}' wrong label (z &gt; 0 positive for maximize, z &lt; 0 for minimize).
     */
    static Evaluation goodness(LayerGoodness g, Dataset d, int[] negatives, Objective obj) {
        int n = g.images();
        int labels = g.labels();
        int layers = g.layers();
        int frames = g.frames();
        if (n != d.size() || labels != d.numLabels() || negatives.length < n) {
            throw new IllegalArgumentException("goodness of " + n + " images × " + labels + " labels for " + d.size()
                    + " labelled images with " + d.numLabels() + " labels");
        }
        boolean min = obj == Objective.MINIMIZE;
        long correct = 0;
        long[] layerOk = new long[layers];
        long[] labelOk = new long[layers];
        float[] scores = new float[labels];
        double[] layerScores = new double[labels];
        for (int s = 0; s < n; s++) {
            int y = d.label(s);
            int neg = negatives[s];
            for (int c = 0; c < labels; c++) {
                scores[c] = g.score(s, c);
            }
            if (LabelRule.best(scores, 0, labels, min) == y) {
                correct++;
            }
            for (int l = 0; l < layers; l++) {
                for (int c = 0; c < labels; c++) {
                    double sum = 0;
                    for (int f = 0; f < frames; f++) {
                        sum += softplus(g.z(s, c, l, f));
                    }
                    layerScores[c] = sum;
                }
                if (LabelRule.best(layerScores, 0, labels, min) == y) {
                    labelOk[l]++;
                }
                for (int f = 0; f < frames; f++) {
                    float zp = g.z(s, y, l, f);
                    float zn = g.z(s, neg, l, f);
                    if (min ? zp < 0 : zp > 0) {
                        layerOk[l]++;
                    }
                    if (!(min ? zn < 0 : zn > 0)) {
                        layerOk[l]++;
                    }
                }
            }
        }
        double cnt = n;
        double[] la = new double[layers];
        double[] lla = new double[layers];
        for (int l = 0; l < layers; l++) {
            la[l] = layerOk[l] / (2 * cnt * frames);
            lla[l] = labelOk[l] / cnt;
        }
        return new Evaluation(correct / cnt, la, lla);
    }

    /** Stable softplus: max(u, 0) + log1p(e^−|u|). */
    static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }
}
