package org.fftk.pruner.forward;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * Plain-loop reference forward passes of docs/algorithms.md ("Prediction"), the test reference for
 * the pruner (surgery equivalence, activation ranking). Deliberately simple and independent of the
 * edge runtime's kernels: float accumulation over inputs in index order, double for norms.
 *
 * <p>Hidden activations per architecture:
 * <ul>
 *   <li>ffnn, ffnn-c: x = image ⊕ onehot(label) (an all-zero label when label &lt; 0), then for every
 *       layer h = ReLU(n(x) Wᵀ + b), x = h, with n(v) = v / (‖v‖₂ + ε);</li>
 *   <li>bpnn: h = ReLU(x Wᵀ + b) from the raw image, no normalisation, label ignored;</li>
 *   <li>ffrnn: the deterministic start state (frame 0), one bottom-up pass from a zero hidden state
 *       with forward weights only: h_i(0) = ReLU(W_f,i n(h_{i−1}(0)) + b_i), h_{−1} = image. The
 *       backward inputs are the zero hidden state and the label is not seen yet, so frame 0 is the same
 *       for every label (as in the edge runtime's RecurrentPredictor and the exporter's graph).
 *       Frames t ≥ 1 update all layers synchronously from frame t−1:
 *       h_i(t) = β ReLU(W_f,i n(h_{i−1}(t−1)) + W_b,i n(h_{i+1}(t−1)) + b_i) + (1−β) h_i(t−1).</li>
 * </ul>
 */
public final class Forward {
    private Forward() {
    }

    /** Row normalisation n(v) = v / (‖v‖₂ + eps), into a new array. */
    public static float[] normalize(float[] v, float eps) {
        double ss = 0;
        for (float x : v) {
            ss += (double) x * x;
        }
        float inv = (float) (1.0 / (Math.sqrt(ss) + eps));
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] * inv;
        }
        return r;
    }

    /** Pre-activation W x + b of a dense layer (forward weights). */
    public static float[] dense(DenseLayer l, float[] x) {
        int in = l.in();
        float[] y = new float[l.out()];
        for (int j = 0; j < y.length; j++) {
            float acc = 0f;
            for (int i = 0; i < in; i++) {
                acc += l.weight(j, i) * x[i];
            }
            y[j] = acc + l.bias(j);
        }
        return y;
    }

    private static void addBackward(DenseLayer l, float[] above, float[] y) {
        float[] bw = l.backWeights();
        int k = l.backIn();
        for (int j = 0; j < y.length; j++) {
            float acc = 0f;
            for (int i = 0; i < k; i++) {
                acc += bw[j * k + i] * above[i];
            }
            y[j] += acc;
        }
    }

    public static float[] relu(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] > 0)) {
                x[i] = 0f;
            }
        }
        return x;
    }

    /** FF goodness before the threshold: mean over units of h². */
    public static double meanSquare(float[] h) {
        double s = 0;
        for (float v : h) {
            s += (double) v * v;
        }
        return s / h.length;
    }

    public static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    private static float[] image(float[] images, int offset, int d) {
        float[] x = new float[d];
        System.arraycopy(images, offset, x, 0, d);
        return x;
    }

    private static float[] oneHot(int n, int label) {
        float[] c = new float[n];
        if (label >= 0) {
            c[label] = 1f;
        }
        return c;
    }

    /**
     * Hidden activations of every layer for one image (see the class comment).
     *
     * @param label the label embedded for ffnn/ffnn-c (−1: all-zero label); ignored by bpnn and by the
     *              ffrnn start state
     */
    public static float[][] hidden(Model m, float[] images, int offset, int label) {
        int d = m.inputSize();
        int nl = m.layers().size();
        float[][] h = new float[nl][];
        switch (m.architecture()) {
            case FFNN:
            case FFNN_C: {
                float[] x = new float[d + m.numLabels()];
                System.arraycopy(images, offset, x, 0, d);
                if (label >= 0) {
                    x[d + label] = 1f;
                }
                for (int l = 0; l < nl; l++) {
                    x = relu(dense(m.layers().get(l), normalize(x, m.normEpsilon())));
                    h[l] = x;
                }
                return h;
            }
            case BPNN: {
                float[] x = image(images, offset, d);
                for (int l = 0; l < nl; l++) {
                    x = relu(dense(m.layers().get(l), x));
                    h[l] = x;
                }
                return h;
            }
            case FFRNN:
                return ffrnnStart(m, images, offset, label);
            default:
                throw new AssertionError(m.architecture());
        }
    }

    private static float[][] ffrnnStart(Model m, float[] images, int offset, int label) {
        int nl = m.layers().size();
        float eps = m.normEpsilon();
        float[][] h = new float[nl][];
        float[] below = image(images, offset, m.inputSize());
        for (int l = 0; l < nl; l++) {
            DenseLayer L = m.layers().get(l);
            float[] y = dense(L, normalize(below, eps));
            // Backward inputs: the zero hidden state above; the label only enters from frame 1 on.
            h[l] = relu(y);
            below = h[l];
        }
        return h;
    }

    /**
     * FFRNN states for frames 0..frames (index 0 is the start state) with the given label clamped.
     * Returns [frame][layer][unit].
     */
    public static float[][][] ffrnnFrames(Model m, float[] images, int offset, int label, int frames) {
        if (m.architecture() != Architecture.FFRNN) {
            throw new IllegalArgumentException("frames exist only for ffrnn models, not " + m.architecture());
        }
        int nl = m.layers().size();
        float eps = m.normEpsilon();
        float beta = m.beta();
        float[][][] s = new float[frames + 1][][];
        s[0] = ffrnnStart(m, images, offset, label);
        float[] img = normalize(image(images, offset, m.inputSize()), eps);
        float[] lab = normalize(oneHot(m.numLabels(), label), eps);
        for (int t = 1; t <= frames; t++) {
            float[][] prev = s[t - 1];
            float[][] cur = new float[nl][];
            for (int l = 0; l < nl; l++) {
                DenseLayer L = m.layers().get(l);
                float[] y = dense(L, l == 0 ? img : normalize(prev[l - 1], eps));
                addBackward(L, l + 1 < nl ? normalize(prev[l + 1], eps) : lab, y);
                relu(y);
                float[] p = prev[l];
                for (int j = 0; j < y.length; j++) {
                    y[j] = beta * y[j] + (1 - beta) * p[j];
                }
                cur[l] = y;
            }
            s[t] = cur;
        }
        return s;
    }

    /**
     * Per-label scores of one image, as docs/algorithms.md "Architectures" defines them: goodness Σ_l softplus(z_l) per label for
     * ffnn, the same summed over frames testFrameLow..testFrameHigh for ffrnn, logits for bpnn and
     * ffnn-c (ffnn-c features use an all-zero label).
     */
    public static float[] scores(Model m, float[] images, int offset) {
        int labels = m.numLabels();
        float[] out = new float[labels];
        switch (m.architecture()) {
            case BPNN: {
                float[][] h = hidden(m, images, offset, -1);
                return dense(m.classifier(), h[h.length - 1]);
            }
            case FFNN_C: {
                float[][] h = hidden(m, images, offset, -1);
                int total = 0;
                for (float[] v : h) {
                    total += v.length;
                }
                float[] cat = new float[total];
                int p = 0;
                for (float[] v : h) {
                    System.arraycopy(v, 0, cat, p, v.length);
                    p += v.length;
                }
                return dense(m.classifier(), cat);
            }
            case FFNN:
                for (int c = 0; c < labels; c++) {
                    double g = 0;
                    for (float[] v : hidden(m, images, offset, c)) {
                        g += softplus(meanSquare(v) - m.theta());
                    }
                    out[c] = (float) g;
                }
                return out;
            case FFRNN:
                for (int c = 0; c < labels; c++) {
                    float[][][] s = ffrnnFrames(m, images, offset, c, m.testFrameHigh());
                    double g = 0;
                    for (int t = m.testFrameLow(); t <= m.testFrameHigh(); t++) {
                        for (float[] v : s[t]) {
                            g += softplus(meanSquare(v) - m.theta());
                        }
                    }
                    out[c] = (float) g;
                }
                return out;
            default:
                throw new AssertionError(m.architecture());
        }
    }
}
