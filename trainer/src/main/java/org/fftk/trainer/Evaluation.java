package org.fftk.trainer;

import org.fftk.edge.infer.LayerGoodness;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.tf.Net;

/**
 * Accuracy of a {@link Net} on labelled images: the full model (ffnn: Σ_l softplus(z_l) per label,
 * argmax for maximize / argmin for minimize; bpnn: argmax of the logits) and, for ffnn, per layer
 * the pos/neg accuracy and the label accuracy of SPEC §4; ffrnn from its {@link LayerGoodness}, where
 * a layer's label score sums softplus(z) over the counted frames and its pos/neg decision is made
 * in every counted frame (each frame presents the sample again). Ties go to the lowest label.
 */
public final class Evaluation {
    public static final int BATCH = 500;

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
     * @param negatives per example a wrong label, for the layers' pos/neg accuracy (ffnn); may be null
     *                  for bpnn
     */
    static Evaluation run(Net net, Architecture arch, Objective obj, int layers, TrainData d, int[] negatives) {
        int L = d.numLabels();
        float[] out = new float[net.evalOutSize(Math.min(BATCH, Math.max(1, d.count())))];
        long correct = 0;
        long[] layerOk = new long[layers];
        long[] labelOk = new long[layers];
        boolean min = obj == Objective.MINIMIZE;
        double[] total = new double[L];
        for (int from = 0; from < d.count(); from += BATCH) {
            int n = Math.min(BATCH, d.count() - from);
            net.evaluate(d, from, n, out);
            for (int s = 0; s < n; s++) {
                int y = d.label(from + s);
                if (arch == Architecture.BPNN) {
                    if (best(out, s * L, L, false) == y) {
                        correct++;
                    }
                    continue;
                }
                java.util.Arrays.fill(total, 0);
                for (int l = 0; l < layers; l++) {
                    int base = (l * n + s) * L;
                    for (int c = 0; c < L; c++) {
                        total[c] += softplus(out[base + c]);
                    }
                    if (best(out, base, L, min) == y) {
                        labelOk[l]++;
                    }
                    float zp = out[base + y];
                    float zn = out[base + negatives[from + s]];
                    if (min ? zp < 0 : zp > 0) {
                        layerOk[l]++;
                    }
                    if (!(min ? zn < 0 : zn > 0)) {
                        layerOk[l]++;
                    }
                }
                if (best(total, L, min) == y) {
                    correct++;
                }
            }
        }
        double cnt = Math.max(1, d.count());
        if (arch == Architecture.BPNN) {
            return new Evaluation(correct / cnt, null, null);
        }
        double[] la = new double[layers];
        double[] lla = new double[layers];
        for (int l = 0; l < layers; l++) {
            la[l] = layerOk[l] / (2 * cnt);
            lla[l] = labelOk[l] / cnt;
        }
        return new Evaluation(correct / cnt, la, lla);
    }

    /**
     * ffrnn: full-model accuracy from the predictor's scores; per layer, label accuracy from
     * Σ_frames softplus(z) and pos/neg accuracy over (sample, frame) decisions on the true label and
     * {@code negatives}' wrong label (z > 0 positive for maximize, z < 0 for minimize).
     */
    static Evaluation recurrent(LayerGoodness g, TrainData d, int[] negatives, Objective obj) {
        int n = g.images();
        int L = g.labels();
        int layers = g.layers();
        int frames = g.frames();
        if (n != d.count() || L != d.numLabels() || negatives.length < n) {
            throw new IllegalArgumentException("goodness of " + n + " images × " + L + " labels for " + d.count()
                    + " labelled images with " + d.numLabels() + " labels");
        }
        boolean min = obj == Objective.MINIMIZE;
        long correct = 0;
        long[] layerOk = new long[layers];
        long[] labelOk = new long[layers];
        float[] scores = new float[L];
        double[] layerScores = new double[L];
        for (int s = 0; s < n; s++) {
            int y = d.label(s);
            int neg = negatives[s];
            for (int c = 0; c < L; c++) {
                scores[c] = g.score(s, c);
            }
            if (best(scores, 0, L, min) == y) {
                correct++;
            }
            for (int l = 0; l < layers; l++) {
                for (int c = 0; c < L; c++) {
                    double sum = 0;
                    for (int f = 0; f < frames; f++) {
                        sum += softplus(g.z(s, c, l, f));
                    }
                    layerScores[c] = sum;
                }
                if (best(layerScores, L, min) == y) {
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
        double cnt = Math.max(1, n);
        double[] la = new double[layers];
        double[] lla = new double[layers];
        for (int l = 0; l < layers; l++) {
            la[l] = layerOk[l] / (2 * cnt * frames);
            lla[l] = labelOk[l] / cnt;
        }
        return new Evaluation(correct / cnt, la, lla);
    }

    static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    private static int best(float[] a, int base, int n, boolean min) {
        int b = 0;
        for (int c = 1; c < n; c++) {
            if (min ? a[base + c] < a[base + b] : a[base + c] > a[base + b]) {
                b = c;
            }
        }
        return b;
    }

    private static int best(double[] a, int n, boolean min) {
        int b = 0;
        for (int c = 1; c < n; c++) {
            if (min ? a[c] < a[b] : a[c] > a[b]) {
                b = c;
            }
        }
        return b;
    }
}
