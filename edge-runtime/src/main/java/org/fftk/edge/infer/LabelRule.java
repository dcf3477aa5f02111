package org.fftk.edge.infer;

import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/**
 * How a score row becomes a label (docs/algorithms.md, "Prediction"): the highest score, except
 * for goodness models (ffnn, ffrnn) trained with objective minimize, where positive data has LOW
 * goodness and the lowest score wins. Ties go to the lowest label. bpnn and ffnn-c score with
 * logits, so always argmax, whatever objective their metadata names.
 */
public final class LabelRule {
    private LabelRule() {
    }

    /** True when the model's label is the argmin of its scores. */
    public static boolean argmin(Model m) {
        return m.architecture().usesGoodness() && m.objective() == Objective.MINIMIZE;
    }

    /** The index in [0, n) of the best of {@code s[base .. base + n)}. */
    public static int best(float[] s, int base, int n, boolean argmin) {
        int b = 0;
        float bv = s[base];
        for (int c = 1; c < n; c++) {
            float v = s[base + c];
            if (argmin ? v < bv : v > bv) {
                b = c;
                bv = v;
            }
        }
        return b;
    }

    /** As {@link #best(float[], int, int, boolean)}, for double scores. */
    public static int best(double[] s, int base, int n, boolean argmin) {
        int b = 0;
        double bv = s[base];
        for (int c = 1; c < n; c++) {
            double v = s[base + c];
            if (argmin ? v < bv : v > bv) {
                b = c;
                bv = v;
            }
        }
        return b;
    }

    /** The label of each of the n score rows (n × labels) of a model. */
    public static int[] labels(Model m, float[] scores, int n) {
        int l = m.numLabels();
        boolean min = argmin(m);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = best(scores, i * l, l, min);
        }
        return r;
    }

    /** How many of the n predicted rows of {@code scores} equal {@code truth[from + i]}. */
    public static long correct(Model m, float[] scores, int n, int[] truth, int from) {
        int l = m.numLabels();
        boolean min = argmin(m);
        long c = 0;
        for (int i = 0; i < n; i++) {
            if (best(scores, i * l, l, min) == truth[from + i]) {
                c++;
            }
        }
        return c;
    }
}
