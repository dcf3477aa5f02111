package org.fftk.exporter;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * docs/algorithms.md "FF layer", "Prediction" written out as plainly as possible, in double precision: for FF models one forward
 * pass per label over image ⊕ onehot(label), no shortcuts. The independent reference for the
 * exported graphs.
 */
final class Reference {
    private Reference() {
    }

    /** Scores of one image (offset s·D in images): goodness per label, or logits. */
    static double[] scores(Model m, float[] images, int s) {
        int d = m.inputSize();
        int labels = m.numLabels();
        double[] img = new double[d];
        for (int i = 0; i < d; i++) {
            img[i] = images[s * d + i];
        }
        double[] out = new double[labels];
        switch (m.architecture()) {
            case FFNN: {
                boolean softmax = Model.SCORE_SOFTMAX.equals(m.scoreRule());
                double[][] norm = new double[m.layers().size()][labels];
                for (int c = 0; c < labels; c++) {
                    double[] x = labelledInput(m, img, c);
                    double g = 0;
                    for (int l = 0; l < norm.length; l++) {
                        x = relu(affine(m.layers().get(l), normalize(x, m.normEpsilon())));
                        g += softplus(meanSquare(x) - m.theta());
                        norm[l][c] = Math.sqrt(meanSquare(x) * x.length);
                    }
                    out[c] = g;
                }
                return softmax ? softmaxOverLabels(norm, 0) : out;
            }
            case FFNN_C: {
                double[] x = labelledInput(m, img, -1);
                double[] feats = new double[0];
                for (DenseLayer l : m.layers()) {
                    x = relu(affine(l, normalize(x, m.normEpsilon())));
                    feats = concat(feats, x);
                }
                return affine(m.classifier(), feats);
            }
            case BPNN: {
                double[] x = img;
                for (DenseLayer l : m.layers()) {
                    x = relu(affine(l, x));
                }
                return affine(m.classifier(), x);
            }
            case FFRNN:
                for (int c = 0; c < labels; c++) {
                    out[c] = ffrnnScore(m, img, oneHot(labels, c));
                }
                return out;
            case FFCNN:
                if (Model.SCORE_SOFTMAX.equals(m.scoreRule())) {
                    return ffcnnSoftmaxScores(m, img);
                }
                for (int c = 0; c < labels; c++) {
                    out[c] = ffcnnScore(m, img, c);
                }
                return out;
            case FFCNN_C:
                return ffcnnClassifierLogits(m, img);
            case BPCNN:
                return affine(m.classifier(), convLayers(m, img, false, null));
            default:
                throw new AssertionError(m.architecture());
        }
    }

    /**
     * docs/algorithms.md "Architectures" FFRNN. Start (frame 0): one bottom-up pass from a zero hidden state with the forward
     * weights only: each layer sees its lower neighbour's fresh start state (the image for layer 0); the
     * upper inputs are the zero state (n(0) = 0) and the label is not seen yet (the edge runtime's
     * reading of docs/algorithms.md "Architectures"). Frames t = 1..K_high update every layer
     * from frame t−1: h_i(t) = β·ReLU(W_f n(h_{i−1}(t−1)) + W_b n(h_{i+1}(t−1)) + b) + (1−β)·h_i(t−1),
     * h_{−1} = image, h_{top+1} = label. Score = Σ_{t=low..high} Σ_i softplus(mean h_i(t)² − θ).
     */
    static double ffrnnScore(Model m, double[] img, double[] label) {
        int n = m.layers().size();
        double eps = m.normEpsilon();
        double[][] h = new double[n][];
        double beta = m.beta();
        if (!m.hasConstantStart()) {
            double[] below = img;
            for (int i = 0; i < n; i++) {
                DenseLayer l = m.layers().get(i);
                h[i] = relu(affine(l, normalize(below, eps)));
                below = h[i];
            }
        } else {
            // FFLib's start with its random states at the constant s: sequential, full rule
            for (int i = 0; i < n; i++) {
                h[i] = new double[m.layers().get(i).out()];
                java.util.Arrays.fill(h[i], m.startState());
            }
            for (int i = 0; i < n; i++) {
                DenseLayer l = m.layers().get(i);
                double[] r = relu(add(affine(l, normalize(i == 0 ? img : h[i - 1], eps)),
                        backward(l, normalize(i == n - 1 ? label : h[i + 1], eps))));
                for (int j = 0; j < r.length; j++) {
                    r[j] = beta * r[j] + (1 - beta) * h[i][j];
                }
                h[i] = r;
            }
        }
        double score = 0;
        for (int t = 1; t <= m.testFrameHigh(); t++) {
            double[][] next = new double[n][];
            for (int i = 0; i < n; i++) {
                DenseLayer l = m.layers().get(i);
                double[] lower = i == 0 ? img : h[i - 1];
                double[] upper = i == n - 1 ? label : h[i + 1];
                double[] r = relu(add(affine(l, normalize(lower, eps)), backward(l, normalize(upper, eps))));
                next[i] = new double[r.length];
                for (int j = 0; j < r.length; j++) {
                    next[i][j] = beta * r[j] + (1 - beta) * h[i][j];
                }
            }
            h = next;
            if (t >= m.testFrameLow()) {
                for (int i = 0; i < n; i++) {
                    score += softplus(meanSquare(h[i]) - m.theta());
                }
            }
        }
        return score;
    }

    /**
     * docs/algorithms.md "FF-CNN": x' = (1 − K)·x + K·p_c; per layer h = ReLU(conv(x / (√(mean x²) + ε)) + b),
     * the convolution as ONNX Conv defines it (CHW, zero padding, output pixel (oy, ox) reads input
     * (oy·s − p + ky, ox·s − p + kx)); score = Σ over layers l ≥ scoreFrom of Σ h².
     */
    static double ffcnnScore(Model m, double[] img, int label) {
        double[] score = {0};
        convLayers(m, labelled(m, img, label), true, score);
        return score[0];
    }

    /**
     * docs/algorithms.md "FF-CNN", the softmax rule (paper 000): per scored layer l the labels'
     * ‖h_l(c)‖ = √(Σ h²), a softmax over the labels, summed over the layers.
     */
    static double[] ffcnnSoftmaxScores(Model m, double[] img) {
        int labels = m.numLabels();
        double[][] norm = new double[m.layers().size()][labels];
        for (int c = 0; c < labels; c++) {
            double[][] h = convHidden(m, labelled(m, img, c), true);
            for (int l = 0; l < h.length; l++) {
                norm[l][c] = Math.sqrt(meanSquare(h[l]) * h[l].length);
            }
        }
        return softmaxOverLabels(norm, m.scoreFrom());
    }

    /** Σ over layers l ≥ from of softmax over the labels of norm[l] (plain exp; the test norms are small). */
    private static double[] softmaxOverLabels(double[][] norm, int from) {
        double[] out = new double[norm[0].length];
        for (int l = from; l < norm.length; l++) {
            double z = 0;
            for (double v : norm[l]) {
                z += Math.exp(v);
            }
            for (int c = 0; c < out.length; c++) {
                out[c] += Math.exp(norm[l][c]) / z;
            }
        }
        return out;
    }

    /**
     * docs/algorithms.md "Linear classifier": the layers on the mean of the L labelled inputs (with
     * morphological labels: the image itself), then
     * the classifier on layers 1..n−1 flattened (CHW) and concatenated.
     */
    static double[] ffcnnClassifierLogits(Model m, double[] img) {
        int labels = m.numLabels();
        double[] x = m.labelMaps() != null ? img.clone() : new double[img.length];
        for (int c = 0; c < labels && m.labelMaps() == null; c++) {
            double[] xc = labelled(m, img, c);
            for (int i = 0; i < x.length; i++) {
                x[i] += xc[i] / labels;
            }
        }
        double[][] h = convHidden(m, x, true);
        double[] feats = new double[0];
        for (int l = 1; l < h.length; l++) {
            feats = concat(feats, h[l]);
        }
        return affine(m.classifier(), feats);
    }

    /** The image with label c: x'[i] = x[map_c[i]] (index D: zero), or (1 − K)·x + K·p_c. */
    private static double[] labelled(Model m, double[] img, int label) {
        double[] x = new double[img.length];
        int[] maps = m.labelMaps();
        if (maps != null) {
            for (int i = 0; i < x.length; i++) {
                int src = maps[label * x.length + i];
                x[i] = src < x.length ? img[src] : 0;
            }
        } else {
            float[] pat = m.labelPattern(label);
            double k = m.labelIntensity();
            for (int i = 0; i < x.length; i++) {
                x[i] = (1 - k) * img[i] + k * pat[i];
            }
        }
        return x;
    }

    /**
     * The conv layers on x (CHW): with {@code ff} each layer's input divided by √(mean x²) + ε
     * (ffcnn), without it plain (bpcnn, docs/algorithms.md "BP-CNN"); adds Σ h² of the layers
     * l ≥ scoreFrom to {@code score[0]} when given; returns the last layer's h.
     */
    static double[] convLayers(Model m, double[] x, boolean ff, double[] score) {
        double[][] h = convHidden(m, x, ff);
        for (int l = m.scoreFrom(); score != null && l < h.length; l++) {
            score[0] += meanSquare(h[l]) * h[l].length;
        }
        return h[h.length - 1];
    }

    /** Every conv layer's h (CHW) on x, normalising each layer's input with {@code ff}. */
    static double[][] convHidden(Model m, double[] x, boolean ff) {
        double[][] out = new double[m.layers().size()][];
        org.fftk.edge.model.ConvShape cs = m.conv();
        int ch = cs.channels();
        int h = cs.height();
        int w = cs.width();
        for (int l = 0; l < m.layers().size(); l++) {
            DenseLayer dl = m.layers().get(l);
            double div = ff ? Math.sqrt(meanSquare(x)) + m.normEpsilon() : 1;
            int kk = cs.kernel(l);
            int st = cs.stride(l);
            int pd = cs.pad(l);
            int ho = cs.outHeight(l);
            int wo = cs.outWidth(l);
            int f = dl.out();
            double[] y = new double[f * ho * wo];
            for (int o = 0; o < f; o++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        double acc = dl.bias(o);
                        for (int c = 0; c < ch; c++) {
                            for (int ky = 0; ky < kk; ky++) {
                                for (int kx = 0; kx < kk; kx++) {
                                    int iy = oy * st - pd + ky;
                                    int ix = ox * st - pd + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        acc += dl.weight(o, (c * kk + ky) * kk + kx) * x[(c * h + iy) * w + ix] / div;
                                    }
                                }
                            }
                        }
                        y[(o * ho + oy) * wo + ox] = Math.max(acc, 0);
                    }
                }
            }
            out[l] = y;
            x = y;
            ch = f;
            h = ho;
            w = wo;
        }
        return out;
    }

    /**
     * Layer 0's input for label c (−1: the all-zero label): image ⊕ onehot(c), or with the overwrite
     * encoding the image with its first L values set to 0 and value c to the largest of the others
     * (at least 0), as paper 000 describes it.
     */
    static double[] labelledInput(Model m, double[] img, int c) {
        int labels = m.numLabels();
        if (!m.labelOverwrites()) {
            return concat(img, c < 0 ? new double[labels] : oneHot(labels, c));
        }
        double[] x = img.clone();
        double max = 0;
        for (int i = labels; i < x.length; i++) {
            max = Math.max(max, x[i]);
        }
        java.util.Arrays.fill(x, 0, labels, 0.0);
        if (c >= 0) {
            x[c] = max;
        }
        return x;
    }

    static double[] oneHot(int n, int c) {
        double[] v = new double[n];
        v[c] = 1;
        return v;
    }

    static double[] concat(double[] a, double[] b) {
        double[] r = new double[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static double[] normalize(double[] x, double eps) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double den = Math.sqrt(ss) + eps;
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] / den;
        }
        return r;
    }

    static double[] affine(DenseLayer l, double[] x) {
        if (l.rank() > 0) {
            // a factored layer W = U·V (docs/algorithms.md "Low-rank layers"): V·x, then U·(V·x) + b, in double
            int r = l.rank();
            float[] u = l.factorU();
            float[] v = l.factorV();
            double[] t = new double[r];
            for (int k = 0; k < r; k++) {
                for (int i = 0; i < l.in(); i++) {
                    t[k] += (double) v[k * l.in() + i] * x[i];
                }
            }
            double[] y = new double[l.out()];
            for (int j = 0; j < l.out(); j++) {
                double acc = l.bias(j);
                for (int k = 0; k < r; k++) {
                    acc += (double) u[j * r + k] * t[k];
                }
                y[j] = acc;
            }
            return y;
        }
        double[] y = new double[l.out()];
        for (int j = 0; j < l.out(); j++) {
            double acc = l.bias(j);
            for (int i = 0; i < l.in(); i++) {
                acc += l.weight(j, i) * x[i];
            }
            y[j] = acc;
        }
        return y;
    }

    static double[] backward(DenseLayer l, double[] x) {
        float[] bw = l.backWeights();
        double[] y = new double[l.out()];
        for (int j = 0; j < l.out(); j++) {
            double acc = 0;
            for (int i = 0; i < l.backIn(); i++) {
                acc += bw[j * l.backIn() + i] * x[i];
            }
            y[j] = acc;
        }
        return y;
    }

    static double[] add(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] + b[i];
        }
        return r;
    }

    static double[] relu(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.max(0, x[i]);
        }
        return r;
    }

    static double meanSquare(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return s / x.length;
    }

    /** log(1 + e^u), stable for any u. */
    static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    /** Index of the best score: first maximum, or first minimum for goodness models that minimize. */
    static int label(Model m, double[] scores) {
        boolean min = m.architecture().usesGoodness() && m.objective() == org.fftk.edge.model.Objective.MINIMIZE;
        int best = 0;
        for (int c = 1; c < scores.length; c++) {
            if (min ? scores[c] < scores[best] : scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }

    static boolean isFfrnn(Model m) {
        return m.architecture() == Architecture.FFRNN;
    }
}
