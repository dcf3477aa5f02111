package org.fftk.edge.infer;

import java.util.Arrays;
import java.util.List;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * ffnn-c (SPEC §3): one pass of the FF layers on image ⊕ all-zero label (so layer 1 reads only
 * the image and its norm is ‖x‖), features = every layer's h concatenated in layer order (the
 * ReLU outputs, not normalised), logits = classifier · features + bias. No ReLU before argmax.
 */
final class FeaturePredictor extends BlockPredictor {
    private final int depth;
    private final int[] width;
    private final float[][] wt;
    private final float[][] bias;
    private final float[] ct;
    private final float[] cb;
    private final float eps;
    private final float[] xT;
    private final float[] sumSq;
    private final float[] acc;
    private final float[] inv;

    FeaturePredictor(Model m, int block) {
        super(m, block);
        List<DenseLayer> ls = m.layers();
        depth = ls.size();
        width = m.widths();
        eps = m.normEpsilon();
        wt = new float[depth][];
        bias = new float[depth][];
        int maxIn = d;
        for (int l = 0; l < depth; l++) {
            DenseLayer dl = ls.get(l);
            float[] w = dl.weights();
            if (l == 0) {
                // drop the label columns: the label part of the input is all zero
                float[] img = new float[dl.out() * d];
                for (int j = 0; j < dl.out(); j++) {
                    System.arraycopy(w, j * dl.in(), img, j * d, d);
                }
                wt[l] = Kernels.transpose(img, dl.out(), d);
            } else {
                wt[l] = Kernels.transpose(w, dl.out(), dl.in());
            }
            bias[l] = dl.biases();
            maxIn = Math.max(maxIn, dl.out());
        }
        DenseLayer c = m.classifier();
        ct = Kernels.transpose(c.weights(), c.out(), c.in());
        cb = c.biases();
        xT = new float[maxIn * block];
        sumSq = new float[block];
        acc = new float[maxIn * block];
        inv = new float[block];
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        Kernels.transposeImages(images, off, k, d, xT, sumSq);
        for (int r = 0; r < k; r++) {
            inv[r] = (float) (1.0 / (Math.sqrt(sumSq[r]) + eps));
        }
        Arrays.fill(out, outOff, outOff + k * labels, 0f);
        int in = d;
        int featureRow = 0;
        for (int l = 0; l < depth; l++) {
            int hl = width[l];
            Arrays.fill(acc, 0, k * hl, 0f);
            Kernels.multiplyAdd(xT, k, in, wt[l], 0, hl, acc);
            float[] b = bias[l];
            for (int r = 0; r < k; r++) {
                int ab = r * hl;
                float sc = inv[r];
                float ss = 0;
                for (int j = 0; j < hl; j++) {
                    float v = acc[ab + j] * sc + b[j];
                    v = v > 0f ? v : 0f;
                    ss += v * v;
                    xT[j * k + r] = v;
                }
                inv[r] = (float) (1.0 / (Math.sqrt(ss) + eps));
            }
            Kernels.multiplyAdd(xT, k, hl, ct, featureRow, labels, out, outOff);
            featureRow += hl;
            in = hl;
        }
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < labels; c++) {
                out[outOff + r * labels + c] += cb[c];
            }
        }
    }
}
