package org.fftk.edge.infer;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/** Straightforward ffnn/bpnn inference, one forward pass per label (SPEC §2–3). */
final class PlainPredictor implements Predictor {
    private final Model m;

    PlainPredictor(Model m) {
        this.m = m;
    }

    @Override
    public int inputSize() {
        return m.inputSize();
    }

    @Override
    public int numLabels() {
        return m.numLabels();
    }

    @Override
    public void scores(float[] images, int offset, int n, float[] out) {
        int d = m.inputSize();
        int labels = m.numLabels();
        for (int s = 0; s < n; s++) {
            int base = offset + s * d;
            if (m.architecture() == Architecture.BPNN) {
                float[] h = new float[d];
                System.arraycopy(images, base, h, 0, d);
                for (DenseLayer l : m.layers()) {
                    h = relu(dense(l, h));
                }
                float[] logits = dense(m.classifier(), h);
                System.arraycopy(logits, 0, out, s * labels, labels);
            } else {
                for (int c = 0; c < labels; c++) {
                    float[] x = new float[d + labels];
                    System.arraycopy(images, base, x, 0, d);
                    x[d + c] = 1f;
                    double g = 0;
                    for (DenseLayer l : m.layers()) {
                        x = relu(dense(l, normalize(x, m.normEpsilon())));
                        double ms = 0;
                        for (float v : x) {
                            ms += (double) v * v;
                        }
                        g += softplus(ms / x.length - m.theta());
                    }
                    out[s * labels + c] = (float) g;
                }
            }
        }
    }

    @Override
    public int label(float[] scores, int row) {
        int labels = m.numLabels();
        boolean min = m.architecture().usesGoodness() && m.objective() == Objective.MINIMIZE;
        int best = 0;
        for (int c = 1; c < labels; c++) {
            float v = scores[row * labels + c];
            float b = scores[row * labels + best];
            if (min ? v < b : v > b) {
                best = c;
            }
        }
        return best;
    }

    static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    private static float[] normalize(float[] x, float eps) {
        double ss = 0;
        for (float v : x) {
            ss += (double) v * v;
        }
        float inv = (float) (1.0 / (Math.sqrt(ss) + eps));
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] * inv;
        }
        return r;
    }

    private static float[] dense(DenseLayer l, float[] x) {
        float[] y = new float[l.out()];
        for (int j = 0; j < l.out(); j++) {
            float acc = l.bias(j);
            for (int i = 0; i < l.in(); i++) {
                acc += l.weight(j, i) * x[i];
            }
            y[j] = acc;
        }
        return y;
    }

    private static float[] relu(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0) {
                x[i] = 0;
            }
        }
        return x;
    }
}
