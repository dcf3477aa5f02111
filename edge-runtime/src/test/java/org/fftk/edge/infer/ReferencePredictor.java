package org.fftk.edge.infer;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/**
 * The obviously-correct reference the fast kernels are tested against: docs/algorithms.md "FF layer", "Prediction" written out
 * literally, one full forward pass per label, dense loops, double precision, no tricks.
 */
final class ReferencePredictor implements Predictor {
    private final Model m;

    ReferencePredictor(Model m) {
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
            double[] img = new double[d];
            for (int i = 0; i < d; i++) {
                img[i] = images[offset + s * d + i];
            }
            for (int c = 0; c < labels; c++) {
                out[s * labels + c] = (float) score(img, c);
            }
        }
    }

    private double score(double[] img, int c) {
        int d = m.inputSize();
        int labels = m.numLabels();
        switch (m.architecture()) {
            case BPNN: {
                double[] h = img;
                for (DenseLayer l : m.layers()) {
                    h = relu(dense(l, h));
                }
                return dense(m.classifier(), h)[c];
            }
            case FFNN: {
                double[] x = new double[d + labels];
                System.arraycopy(img, 0, x, 0, d);
                x[d + c] = 1;
                double g = 0;
                for (DenseLayer l : m.layers()) {
                    x = relu(dense(l, normalize(x)));
                    g += goodness(x);
                }
                return g;
            }
            case FFNN_C: {
                double[] x = new double[d + labels];
                System.arraycopy(img, 0, x, 0, d);
                int total = 0;
                for (DenseLayer l : m.layers()) {
                    total += l.out();
                }
                double[] feat = new double[total];
                int at = 0;
                for (DenseLayer l : m.layers()) {
                    x = relu(dense(l, normalize(x)));
                    System.arraycopy(x, 0, feat, at, x.length);
                    at += x.length;
                }
                return dense(m.classifier(), feat)[c];
            }
            case FFRNN:
                return recurrent(img, c);
            case BPCNN: {
                double[][] h = convHidden(img, c);
                return dense(m.classifier(), h[h.length - 1])[c];
            }
            case FFCNN_C: {
                double[][] h = convHidden(img, -1);
                int total = 0;
                for (int l = 1; l < h.length; l++) {
                    total += h[l].length;
                }
                double[] feat = new double[total];
                for (int l = 1, at = 0; l < h.length; at += h[l].length, l++) {
                    System.arraycopy(h[l], 0, feat, at, h[l].length);
                }
                return dense(m.classifier(), feat)[c];
            }
            case FFCNN: {
                double[][] h = convHidden(img, c);
                double g = 0;
                for (int l = m.scoreFrom(); l < h.length; l++) {
                    for (double v : h[l]) {
                        g += v * v;
                    }
                }
                return g;
            }
            default:
                throw new AssertionError();
        }
    }

    /**
     * Every hidden layer's h for one image, as {@link LayerSink} describes it: ffnn with label c
     * embedded, ffnn-c with the all-zero label, bpnn from the raw image (c ignored for both).
     */
    double[][] hidden(double[] img, int c) {
        if (m.architecture().isConv()) {
            return convHidden(img, c);
        }
        int d = m.inputSize();
        double[][] out = new double[m.layers().size()][];
        double[] x;
        boolean ff = m.architecture() != Architecture.BPNN;
        if (ff) {
            x = new double[d + m.numLabels()];
            System.arraycopy(img, 0, x, 0, d);
            if (m.architecture() == Architecture.FFNN) {
                x[d + c] = 1;
            }
        } else {
            x = img;
        }
        for (int l = 0; l < out.length; l++) {
            x = relu(dense(m.layers().get(l), ff ? normalize(x) : x));
            out[l] = x;
        }
        return out;
    }

    /**
     * ffcnn (docs/algorithms.md "FF-CNN"): every conv layer's h (CHW) for the image mixed with label
     * c's pattern (or transformed by c's map), the convolution gathered output by output as ONNX Conv
     * defines it; ffcnn-c (c = −1): for the mean of the L labelled inputs (with morphological labels
     * the image itself); bpcnn: from the raw image
     * (c ignored), without the normalisation.
     */
    double[][] convHidden(double[] img, int c) {
        org.fftk.edge.model.ConvShape cs = m.conv();
        boolean ff = m.architecture().isFfConv();
        double[] x = new double[img.length];
        if (ff && c < 0 && m.labelMaps() != null) {
            System.arraycopy(img, 0, x, 0, x.length); // ffcnn-c, morphological labels: the image itself
        } else if (ff && c < 0) {
            for (int l = 0; l < m.numLabels(); l++) {
                double[] xl = labelled(img, l);
                for (int i = 0; i < x.length; i++) {
                    x[i] += xl[i] / m.numLabels();
                }
            }
        } else if (ff) {
            x = labelled(img, c);
        } else {
            System.arraycopy(img, 0, x, 0, x.length);
        }
        int ch = cs.channels();
        int h = cs.height();
        int w = cs.width();
        double[][] out = new double[m.layers().size()][];
        for (int l = 0; l < out.length; l++) {
            DenseLayer dl = m.layers().get(l);
            double ms = 0;
            for (double v : x) {
                ms += v * v;
            }
            double inv = ff ? 1 / (Math.sqrt(ms / x.length) + m.normEpsilon()) : 1;
            int kk = cs.kernel(l);
            int ho = cs.outHeight(l);
            int wo = cs.outWidth(l);
            double[] y = new double[dl.out() * ho * wo];
            for (int o = 0; o < dl.out(); o++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        double acc = 0;
                        for (int ci = 0; ci < ch; ci++) {
                            for (int ky = 0; ky < kk; ky++) {
                                for (int kx = 0; kx < kk; kx++) {
                                    int iy = oy * cs.stride(l) - cs.pad(l) + ky;
                                    int ix = ox * cs.stride(l) - cs.pad(l) + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        acc += (double) dl.weight(o, (ci * kk + ky) * kk + kx) * x[(ci * h + iy) * w + ix];
                                    }
                                }
                            }
                        }
                        y[(o * ho + oy) * wo + ox] = Math.max(0, acc * inv + dl.bias(o));
                    }
                }
            }
            out[l] = y;
            x = y;
            ch = dl.out();
            h = ho;
            w = wo;
        }
        return out;
    }

    /** The image with label c: mixed with c's pattern, or gathered by c's map (index D: zero). */
    private double[] labelled(double[] img, int c) {
        double[] x = new double[img.length];
        int[] maps = m.labelMaps();
        if (maps != null) {
            for (int i = 0; i < x.length; i++) {
                int src = maps[c * x.length + i];
                x[i] = src < x.length ? img[src] : 0;
            }
            return x;
        }
        float[] pat = m.labelPattern(c);
        double k = m.labelIntensity();
        for (int i = 0; i < x.length; i++) {
            x[i] = (1 - k) * img[i] + k * pat[i];
        }
        return x;
    }

    /** ffrnn: h of every layer in frames 0..K_testhigh with label c clamped ([frame][layer][unit]). */
    double[][][] frames(double[] img, int c) {
        int depth = m.layers().size();
        double[] label = new double[m.numLabels()];
        label[c] = 1;
        double[][][] out = new double[m.testFrameHigh() + 1][][];
        double[][] h = start(img, label);
        out[0] = h;
        for (int t = 1; t <= m.testFrameHigh(); t++) {
            double[][] nh = new double[depth][];
            for (int i = 0; i < depth; i++) {
                DenseLayer l = m.layers().get(i);
                double[] f = matvec(l.weights(), l.out(), l.in(), normalize(i == 0 ? img : h[i - 1]));
                double[] b = matvec(l.backWeights(), l.out(), l.backIn(), normalize(i == depth - 1 ? label : h[i + 1]));
                nh[i] = new double[l.out()];
                for (int j = 0; j < l.out(); j++) {
                    double v = Math.max(0, f[j] + b[j] + l.bias(j));
                    nh[i][j] = m.beta() * v + (1 - m.beta()) * h[i][j];
                }
            }
            h = nh;
            out[t] = h;
        }
        return out;
    }

    private double recurrent(double[] img, int c) {
        double score = 0;
        for (double[] layer : recurrentZ(img, c)) {
            for (double z : layer) {
                score += softplus(z);
            }
        }
        return score;
    }

    /** ffrnn: z = mean h² − θ of every layer (rows) in every counted frame (columns) with label c clamped. */
    double[][] recurrentZ(double[] img, int c) {
        int depth = m.layers().size();
        double[] label = new double[m.numLabels()];
        label[c] = 1;
        double[][] h = start(img, label);
        double[][] z = new double[depth][m.testFrameHigh() - m.testFrameLow() + 1];
        double beta = m.beta();
        for (int t = 1; t <= m.testFrameHigh(); t++) {
            double[][] nh = new double[depth][];
            for (int i = 0; i < depth; i++) {
                DenseLayer l = m.layers().get(i);
                double[] f = matvec(l.weights(), l.out(), l.in(), normalize(i == 0 ? img : h[i - 1]));
                double[] above = i == depth - 1 ? label : h[i + 1];
                double[] b = matvec(l.backWeights(), l.out(), l.backIn(), normalize(above));
                nh[i] = new double[l.out()];
                for (int j = 0; j < l.out(); j++) {
                    double v = Math.max(0, f[j] + b[j] + l.bias(j));
                    nh[i][j] = beta * v + (1 - beta) * h[i][j];
                }
                if (t >= m.testFrameLow()) {
                    z[i][t - m.testFrameLow()] = meanSquare(nh[i]) - m.theta();
                }
            }
            h = nh;
        }
        return z;
    }

    /**
     * ffrnn frame 0: fftk's bottom-up pass from zero with the forward weights only, or, for a
     * constant start s, every unit at s and then one sequential bottom-up pass with the full rule
     * (the layer above still at s, the label above the top layer).
     */
    private double[][] start(double[] img, double[] label) {
        int depth = m.layers().size();
        double[][] h = new double[depth][];
        if (!m.hasConstantStart()) {
            double[] below = img;
            for (int i = 0; i < depth; i++) {
                h[i] = relu(dense(m.layers().get(i), normalize(below)));
                below = h[i];
            }
            return h;
        }
        double s = m.startState();
        for (int i = 0; i < depth; i++) {
            h[i] = new double[m.layers().get(i).out()];
            java.util.Arrays.fill(h[i], s);
        }
        for (int i = 0; i < depth; i++) {
            DenseLayer l = m.layers().get(i);
            double[] f = matvec(l.weights(), l.out(), l.in(), normalize(i == 0 ? img : h[i - 1]));
            double[] b = matvec(l.backWeights(), l.out(), l.backIn(), normalize(i == depth - 1 ? label : h[i + 1]));
            double[] nh = new double[l.out()];
            for (int j = 0; j < l.out(); j++) {
                nh[j] = m.beta() * Math.max(0, f[j] + b[j] + l.bias(j)) + (1 - m.beta()) * h[i][j];
            }
            h[i] = nh;
        }
        return h;
    }

    private static double meanSquare(double[] h) {
        double ms = 0;
        for (double v : h) {
            ms += v * v;
        }
        return ms / h.length;
    }

    private static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    private double goodness(double[] h) {
        double ms = 0;
        for (double v : h) {
            ms += v * v;
        }
        double u = ms / h.length - m.theta();
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
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

    private double[] normalize(double[] x) {
        double ss = 0;
        for (double v : x) {
            ss += v * v;
        }
        double inv = 1.0 / (Math.sqrt(ss) + m.normEpsilon());
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = x[i] * inv;
        }
        return r;
    }

    private static double[] dense(DenseLayer l, double[] x) {
        double[] y = matvec(l.weights(), l.out(), l.in(), x);
        for (int j = 0; j < y.length; j++) {
            y[j] += l.bias(j);
        }
        return y;
    }

    private static double[] matvec(float[] w, int out, int in, double[] x) {
        double[] y = new double[out];
        for (int j = 0; j < out; j++) {
            double acc = 0;
            for (int i = 0; i < in; i++) {
                acc += w[j * in + i] * x[i];
            }
            y[j] = acc;
        }
        return y;
    }

    private static double[] relu(double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0, x[i]);
        }
        return x;
    }

}
