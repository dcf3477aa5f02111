package org.fftk.edge.infer;

import java.util.List;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * The one-pass architectures, scored by a linear classifier (docs/algorithms.md "Prediction"):
 * <ul>
 *   <li>ffnn-c: the FF layers on image ⊕ all-zero label (so layer 0 reads only the image, and its
 *       norm is ‖x‖), each layer's input normalised, h = ReLU(n(x)·Wᵀ + b); features = every layer's
 *       h concatenated in layer order (not normalised); logits = classifier · features + bias. With
 *       the overwrite encoding the all-zero label is the image with its first L values set to 0.</li>
 *   <li>bpnn: ReLU hidden layers on the raw image, no normalisation; logits = output layer · h_last + bias.</li>
 * </ul>
 * No ReLU before the argmax. bpnn runs the same loops with the scale fixed at 1 (x·1f = x exactly),
 * so both architectures share one code path without changing a bit of bpnn's result.
 */
final class DensePredictor extends BlockPredictor {
    /** ffnn-c: normalise every layer's input and feed every layer to the classifier. */
    private final boolean ff;
    private final Kernels.Cols[] wt;
    private final float[][] bias;
    private final Kernels.Cols ct;
    private final float[] cb;
    private final float eps;
    private final float theta;
    private final float[] xT;
    private final float[] sumSq;
    private final float[][] acc;
    private final float[][] logits;
    private final float[] inv;
    /** ffnn-c with the overwrite encoding: the L image values read as 0; else 0. */
    private final int blank;
    /** Factored (low-rank) layers' scratch ({@link Kernels#multiplyAdd}); null when none is factored. */
    private final float[][] mid;
    private final float[] midT;

    DensePredictor(Model m, int block) {
        this(m, block, null);
    }

    /** With {@code share} given, uses its (immutable) weight arrays and allocates only scratch. */
    private DensePredictor(Model m, int block, DensePredictor share) {
        super(m, block);
        ff = m.architecture() == Architecture.FFNN_C;
        blank = m.labelOverwrites() ? labels : 0;
        eps = m.normEpsilon();
        theta = m.theta();
        if (share != null) {
            wt = share.wt;
            bias = share.bias;
            ct = share.ct;
            cb = share.cb;
        } else {
            List<DenseLayer> ls = m.layers();
            wt = new Kernels.Cols[depth];
            bias = new float[depth][];
            for (int l = 0; l < depth; l++) {
                DenseLayer dl = ls.get(l);
                // layer 0 reads the image only: ffnn-c's label part of the input is all zero
                wt[l] = Kernels.columns(dl, 0, l == 0 ? d : dl.in());
                bias[l] = dl.biases();
            }
            DenseLayer c = m.classifier();
            ct = Kernels.columns(c);
            cb = c.biases();
        }
        int maxIn = Math.max(d, maxWidth);
        xT = new float[maxIn * block];
        sumSq = new float[block];
        acc = new float[block][maxIn];
        logits = new float[block][labels];
        inv = new float[block];
        int maxRank = 0;
        for (DenseLayer dl : m.layers()) {
            maxRank = Math.max(maxRank, dl.rank());
        }
        mid = maxRank > 0 ? new float[block][maxRank] : null;
        midT = maxRank > 0 ? new float[block * maxRank] : null;
    }

    @Override
    BlockPredictor fork() {
        return new DensePredictor(model, block, this);
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        Kernels.transposeImages(images, off, k, d, blank, xT, sumSq, null);
        for (int r = 0; r < k; r++) {
            inv[r] = ff ? (float) (1.0 / (Math.sqrt(sumSq[r]) + eps)) : 1f;
        }
        Kernels.clear(logits, k, labels);
        int in = d;
        int featureRow = 0;
        for (int l = 0; l < depth; l++) {
            int hl = width[l];
            Kernels.clear(acc, k, hl);
            Kernels.multiplyAdd(xT, k, in, wt[l], hl, acc, dequantised, mid, midT);
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
                if (ff) {
                    inv[r] = (float) (1.0 / (Math.sqrt(ss) + eps));
                }
                if (sink != null) {
                    emit(r, -1, l, 0, xT, r, k, hl, (double) ss / hl - theta);
                }
            }
            if (ff) {
                Kernels.multiplyAdd(xT, k, hl, ct, featureRow, labels, logits, dequantised);
                featureRow += hl;
            }
            in = hl;
        }
        if (!ff) {
            Kernels.multiplyAdd(xT, k, in, ct, labels, logits, dequantised);
        }
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < labels; c++) {
                out[outOff + r * labels + c] = logits[r][c] + cb[c];
            }
        }
    }
}
