package org.fftk.edge.infer;

import java.util.List;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * ffnn-c (docs/algorithms.md "Architectures"): one pass of the FF layers on image ⊕ all-zero label (so layer 1 reads only
 * the image and its norm is ‖x‖), features = every layer's h concatenated in layer order (the
 * ReLU outputs, not normalised), logits = classifier · features + bias. No ReLU before argmax.
 */
final class FeaturePredictor extends BlockPredictor {
    private final int depth;
    private final int[] width;
    private final float[][][] wt;
    private final float[][] bias;
    private final float[][] ct;
    private final float[] cb;
    private final float eps;
    private final float theta;
    private final float[] xT;
    private final float[] sumSq;
    private final float[][] acc;
    private final float[][] logits;
    private final float[] inv;

    FeaturePredictor(Model m, int block) {
        this(m, block, null);
    }

    /** With {@code share} given, uses its (immutable) weight arrays and allocates only scratch. */
    private FeaturePredictor(Model m, int block, FeaturePredictor share) {
        super(m, block);
        List<DenseLayer> ls = m.layers();
        depth = ls.size();
        width = m.widths();
        eps = m.normEpsilon();
        theta = m.theta();
        int maxIn = d;
        for (int v : width) {
            maxIn = Math.max(maxIn, v);
        }
        if (share != null) {
            wt = share.wt;
            bias = share.bias;
            ct = share.ct;
            cb = share.cb;
        } else {
            wt = new float[depth][][];
            bias = new float[depth][];
            for (int l = 0; l < depth; l++) {
                DenseLayer dl = ls.get(l);
                // layer 0: drop the label columns, the label part of the input is all zero
                wt[l] = Kernels.inputMajor(dl.weights(), dl.out(), dl.in(), 0, l == 0 ? d : dl.in());
                bias[l] = dl.biases();
            }
            DenseLayer c = m.classifier();
            ct = Kernels.inputMajor(c.weights(), c.out(), c.in());
            cb = c.biases();
        }
        xT = new float[maxIn * block];
        sumSq = new float[block];
        acc = new float[block][maxIn];
        logits = new float[block][labels];
        inv = new float[block];
    }

    @Override
    BlockPredictor fork() {
        return new FeaturePredictor(model, block, this);
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        Kernels.transposeImages(images, off, k, d, xT, sumSq);
        for (int r = 0; r < k; r++) {
            inv[r] = (float) (1.0 / (Math.sqrt(sumSq[r]) + eps));
        }
        Kernels.clear(logits, k, labels);
        int in = d;
        int featureRow = 0;
        for (int l = 0; l < depth; l++) {
            int hl = width[l];
            Kernels.clear(acc, k, hl);
            Kernels.multiplyAdd(xT, k, in, wt[l], hl, acc);
            float[] b = bias[l];
            for (int r = 0; r < k; r++) {
                float[] a = acc[r];
                float sc = inv[r];
                float ss = 0;
                for (int j = 0; j < hl; j++) {
                    float v = a[j] * sc + b[j];
                    v = v > 0f ? v : 0f;
                    ss += v * v;
                    xT[j * k + r] = v;
                }
                inv[r] = (float) (1.0 / (Math.sqrt(ss) + eps));
                if (sink != null) {
                    emit(r, -1, l, 0, xT, r, k, hl, (double) ss / hl - theta);
                }
            }
            Kernels.multiplyAdd(xT, k, hl, ct, featureRow, labels, logits);
            featureRow += hl;
            in = hl;
        }
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < labels; c++) {
                out[outOff + r * labels + c] = logits[r][c] + cb[c];
            }
        }
    }
}
