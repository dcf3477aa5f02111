package org.fftk.trainer;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.tf.Net;

/**
 * Accuracy of a {@link Net} on labelled images: the full model (ffnn: Σ_l softplus(z_l) per label,
 * argmax for maximize / argmin for minimize; bpnn: argmax of the logits) and, for ffnn, per layer
 * the pos/neg accuracy and the label accuracy of SPEC §4. Ties go to the lowest label.
 */
public final class Evaluation {
    public static final int BATCH = 500;

    /** Full-model accuracy. */
    public final double accuracy;
    /** Per layer (ffnn only, else null): pos/neg classification accuracy. */
    public final double[] layerAccuracy;
    /** Per layer (ffnn only, else null): accuracy of predicting with that layer's goodness. */
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
