package org.fftk.edge.infer;

import java.util.List;
import org.fftk.edge.model.ConvShape;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * The conv architectures. bpcnn (docs/algorithms.md "BP-CNN"): one pass, h_l = ReLU(conv(h_{l−1}) + b)
 * without normalisation, logits = W·flatten(h_last) + b with the feature maps flattened channel-major.
 *
 * <p>ffcnn (docs/algorithms.md "FF-CNN", "Prediction"): for every label c the image is mixed with c's
 * pattern, x' = (1 − K)·x + K·p_c (or, with morphological labels, transformed by c's map,
 * x'[i] = x[map_c[i]]), and runs through the conv layers, each
 * h_l = ReLU(conv(n(h_{l−1})) + b) with n(v) = v / (√(mean v²) + ε) over all of the layer's input;
 * score(c) = Σ over layers l ≥ scoreFrom of Σ_i h_l,i² (paper 002's goodness, summed in double), or with
 * the softmax rule (paper 000) score(c) = Σ over those layers of softmax over the labels of ‖h_l‖ =
 * √(Σ_i h_l,i²), computed once every label of the image has run.
 *
 * <p>ffcnn-c (docs/algorithms.md "Linear classifier"): one pass of ffcnn's layers on the unlabelled
 * input, x̄ = (1 − K)·x + K·p̄ with p̄ = (1/L)·Σ_c p_c the mean pattern (morphological labels: the
 * image itself, x̄ = x), then logits = W·(h_1 ⊕ … ⊕ h_{n−1}) + b, every layer but the first
 * flattened channel-major.
 *
 * <p>The normalisation is folded into the output: conv(n(v)) = conv(v) · (1 / (√(mean v²) + ε)).
 * Activations are channel-major (CHW, ONNX's layout); the weight-stationary kernel
 * ({@link Kernels#conv}) skips input rows that are all zero. int8 weights are dequantised once when
 * the predictor is made (conv kernels are small: the paper's largest layer has 128·128·49 weights).
 */
final class ConvPredictor extends BlockPredictor {
    /** ffcnn, ffcnn-c: FF layers (normalised input, label in the input); false: bpcnn. */
    private final boolean ff;
    /** ffcnn: one pass per label, scored by goodness; false: one pass, then the output layer. */
    private final boolean goodness;
    /** ffcnn-c: the mean pattern p̄ (C·H·W); null otherwise. */
    private final float[] meanPattern;
    /** Output layer: the first layer it reads, and per layer the column of its first value. */
    private final int outFrom;
    private final int[] outCol;
    private final ConvShape shape;
    /** Per layer the weights, row-major [filters][in_channels][k][k] (ONNX's layout). */
    private final float[][] wts;
    private final float[][] bias;
    /** The output layer, row-major [labels][its input], and its bias; null for ffcnn. */
    private final float[] outW;
    private final float[] outB;
    private final float[] patterns;
    /** Morphological labels: per label the source index of every input value (d: zero); null for patterns. */
    private final int[] maps;
    private final float keep;
    private final float mix;
    private final int scoreFrom;
    /** The softmax score rule: per image, every scored layer's ‖h_l‖ per label ([layer][label]); null for the sum. */
    private final double[][] norms;
    private final double[] softmaxSum;
    private final float theta;
    private final float eps;
    private final int[] ho;
    private final int[] wo;
    private final int[] cin;

    /** Two ping-pong activation buffers for one candidate (the widest layer's units). */
    private final float[] a;
    private final float[] b;
    /** Per layer, one trace row (CHW); made on the first trace. */
    private float[][] trace;
    /** Scratch of {@link Kernels#conv}: the im2col rows (one per kernel tap), which are used, output planes. */
    private final float[][] cols;
    private final int[] usedTaps;
    private final int[] tapIndex;
    private final float[] tapWeight;
    private final float[][] outRows;

    ConvPredictor(Model m, int block) {
        this(m, block, null);
    }

    private ConvPredictor(Model m, int block, ConvPredictor share) {
        super(m, block);
        ff = m.architecture().isFfConv();
        goodness = m.architecture() == org.fftk.edge.model.Architecture.FFCNN;
        outFrom = m.architecture() == org.fftk.edge.model.Architecture.FFCNN_C ? 1 : depth - 1;
        shape = m.conv();
        scoreFrom = m.scoreFrom();
        norms = org.fftk.edge.model.Model.SCORE_SOFTMAX.equals(m.scoreRule()) ? new double[depth][labels] : null;
        softmaxSum = norms != null ? new double[labels] : null;
        theta = m.theta();
        eps = m.normEpsilon();
        keep = 1f - m.labelIntensity();
        mix = m.labelIntensity();
        ho = new int[depth];
        wo = new int[depth];
        cin = new int[depth];
        long most = shape.inputSize();
        for (int l = 0; l < depth; l++) {
            ho[l] = shape.outHeight(l);
            wo[l] = shape.outWidth(l);
            cin[l] = shape.inChannels(l, width);
            most = Math.max(most, shape.units(l, width));
        }
        if (share != null) {
            wts = share.wts;
            bias = share.bias;
            patterns = share.patterns;
            maps = share.maps;
            outW = share.outW;
            outB = share.outB;
            meanPattern = share.meanPattern;
        } else {
            List<DenseLayer> ls = m.layers();
            wts = new float[depth][];
            bias = new float[depth][];
            for (int l = 0; l < depth; l++) {
                DenseLayer dl = ls.get(l);
                wts[l] = dl.weights();
                bias[l] = dl.biases();
            }
            patterns = m.labelPatterns();
            maps = m.labelMaps();
            outW = goodness ? null : m.classifier().weights();
            outB = goodness ? null : m.classifier().biases();
            meanPattern = ff && !goodness && patterns != null ? org.fftk.edge.model.Model.meanPattern(patterns, labels) : null;
        }
        outCol = new int[depth];
        for (int l = outFrom + 1; l < depth; l++) {
            outCol[l] = outCol[l - 1] + (int) shape.units(l - 1, width);
        }
        a = new float[(int) most];
        b = new float[(int) most];
        int taps = 0;
        int planes = 0;
        int plane = 1;
        for (int l = 0; l < depth; l++) {
            taps = Math.max(taps, cin[l] * shape.kernel(l) * shape.kernel(l));
            planes = Math.max(planes, width[l]);
            plane = Math.max(plane, ho[l] * wo[l]);
        }
        cols = new float[taps][plane];
        usedTaps = new int[taps];
        tapIndex = new int[taps];
        tapWeight = new float[taps];
        outRows = new float[planes][plane];
    }

    @Override
    BlockPredictor fork() {
        return new ConvPredictor(model, block, this);
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        int passes = goodness ? labels : 1;
        for (int s = 0; s < k; s++) {
            int img = off + s * d;
            for (int c = 0; c < passes; c++) {
                // ffcnn: the mixed image and its mean square for layer 0's normalisation
                double ss = 0;
                if (ff && !goodness) {
                    ss = unlabelled(images, img);
                } else if (ff && maps != null) {
                    // morphological label: the image transformed by label c's map
                    int base = c * d;
                    for (int i = 0; i < d; i++) {
                        int src = maps[base + i];
                        float v = src < d ? images[img + src] : 0f;
                        a[i] = v;
                        ss += (double) v * v;
                    }
                } else if (ff) {
                    int pat = c * d;
                    for (int i = 0; i < d; i++) {
                        float v = keep * images[img + i] + mix * patterns[pat + i];
                        a[i] = v;
                        ss += (double) v * v;
                    }
                } else {
                    System.arraycopy(images, img, a, 0, d);
                }
                double score = 0;
                float[] in = a;
                float[] o = b;
                int inC = shape.channels();
                int inH = shape.height();
                int inW = shape.width();
                int n = d;
                for (int l = 0; l < depth; l++) {
                    float inv = ff ? (float) (1.0 / (Math.sqrt(ss / n) + eps)) : 1f;
                    int co = width[l];
                    int plane = ho[l] * wo[l];
                    int units = plane * co;
                    Kernels.conv(in, inC, inH, inW, wts[l], shape.kernel(l), shape.stride(l), shape.pad(l), o, co, ho[l],
                            wo[l], cols, usedTaps, tapIndex, tapWeight, outRows);
                    float[] bl = bias[l];
                    double g = 0;
                    for (int f = 0, i = 0; f < co; f++) {
                        float bf = bl[f];
                        for (int px = 0; px < plane; px++, i++) {
                            float v = o[i] * inv + bf;
                            v = v > 0f ? v : 0f;
                            o[i] = v;
                            g += (double) v * v;
                        }
                    }
                    if (l >= scoreFrom) {
                        score += g;
                        if (norms != null) {
                            norms[l][c] = Math.sqrt(g);
                        }
                    }
                    if (sink != null) {
                        float[] h = null;
                        if (sink.activations()) {
                            h = traceRow(l);
                            System.arraycopy(o, 0, h, 0, units);
                        }
                        sink.layer(blockImage + s, goodness ? c : -1, l, 0, h, g / units - theta);
                    }
                    if (!goodness && l >= outFrom) {
                        logits(o, units, outCol[l], l == outFrom, out, outOff + s * labels);
                    }
                    ss = g;
                    n = units;
                    inC = co;
                    inH = ho[l];
                    inW = wo[l];
                    float[] t = in;
                    in = o;
                    o = t;
                }
                if (goodness) {
                    out[outOff + s * labels + c] = (float) score;
                }
            }
            if (goodness && norms != null) {
                LayerGoodness.softmaxSum(norms, scoreFrom, 0, labels, softmaxSum, out, outOff + s * labels);
            }
        }
    }

    /**
     * The output layer's share of one layer: out[o + c] (+)= Σ_i W[c][col + i]·h[i] over the layer's
     * {@code units} CHW values (zeros skipped); the bias is added with the first layer it reads.
     */
    private void logits(float[] h, int units, int col, boolean first, float[] out, int o) {
        int n = outW.length / labels;
        if (first) {
            for (int c = 0; c < labels; c++) {
                out[o + c] = outB[c];
            }
        }
        for (int i = 0; i < units; i++) {
            float v = h[i];
            if (v != 0f) {
                for (int c = 0; c < labels; c++) {
                    out[o + c] += v * outW[c * n + col + i];
                }
            }
        }
    }

    /** ffcnn-c: the unlabelled input x̄ of the image at {@code img} into {@code a}; returns Σ x̄². */
    private double unlabelled(float[] images, int img) {
        double ss = 0;
        for (int i = 0; i < d; i++) {
            float v = maps != null ? images[img + i] : keep * images[img + i] + mix * meanPattern[i];
            a[i] = v;
            ss += (double) v * v;
        }
        return ss;
    }

    private float[] traceRow(int l) {
        if (trace == null) {
            trace = new float[depth][];
        }
        if (trace[l] == null) {
            trace[l] = new float[(int) shape.units(l, width)];
        }
        return trace[l];
    }
}
