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
 *
 * <p>As {@link GoodnessPredictor}, two ways to run the layers (docs/algorithms.md "Prediction"): the
 * row path ({@link #scoreRow}, the default) takes each image through the layers on its own, four
 * inputs per pass over the output; the block path runs a block of images as one input-major product
 * (kept for int8 on JVMs that cannot vectorise the int8 conversion).
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
    private final boolean rowPath;
    /** Row path scratch: a row's non-zero inputs, two rows of h, the logits, one classifier part, V·x. */
    private final int[] nzIndex;
    private final float[] nzValue;
    private final float[] rowA;
    private final float[] rowB;
    private final float[] logitRow;
    private final float[] logitPart;
    private final float[] midRow;

    DensePredictor(Model m, int block) {
        this(m, block, null, rowPathSuits(m));
    }

    /** With the path chosen by the caller (tests run both). */
    DensePredictor(Model m, int block, boolean rowPath) {
        this(m, block, null, rowPath);
    }

    /** With {@code share} given, uses its (immutable) weight arrays and allocates only scratch. */
    private DensePredictor(Model m, int block, DensePredictor share, boolean rowPath) {
        super(m, block);
        this.rowPath = rowPath;
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
        int nz = rowPath ? Math.max(Math.max(d, maxWidth), maxRank) : 0;
        nzIndex = new int[nz];
        nzValue = new float[nz];
        rowA = rowPath ? new float[maxWidth] : null;
        rowB = rowPath ? new float[maxWidth] : null;
        logitRow = rowPath ? new float[labels] : null;
        logitPart = rowPath ? new float[labels] : null;
        midRow = rowPath && maxRank > 0 ? new float[maxRank] : null;
    }

    @Override
    BlockPredictor fork() {
        return new DensePredictor(model, block, this, rowPath);
    }

    /**
     * The row path for image {@code s} of the block: each layer's product over its input's non-zero
     * values ({@link Kernels#product}); ffnn-c adds each layer's classifier part as it goes.
     */
    private void scoreRow(float[] images, int off, int s, float[] out, int outOff) {
        int m = Kernels.nonZeros(images, off, blank, d, nzIndex, nzValue);
        float sc = ff ? (float) (1.0 / (Math.sqrt(Kernels.sumSquares(nzValue, m)) + eps)) : 1f;
        java.util.Arrays.fill(logitRow, 0f);
        float[] x = null;
        int featureRow = 0;
        for (int l = 0; l < depth; l++) {
            int hl = width[l];
            float[] y = x == rowA ? rowB : rowA;
            Kernels.product(wt[l], nzIndex, nzValue, m, y, hl, midRow);
            float[] b = bias[l];
            for (int j = 0; j < hl; j++) {
                y[j] = Math.max(y[j] * sc + b[j], 0f);
            }
            float q = Kernels.sumSquares(y, hl);
            if (ff) {
                sc = (float) (1.0 / (Math.sqrt(q) + eps));
            }
            if (sink != null) {
                emit(s, -1, l, 0, y, 0, 1, hl, (double) q / hl - theta);
            }
            m = Kernels.nonZeros(y, 0, 0, hl, nzIndex, nzValue);
            if (ff) {
                addClassifierPart(featureRow, m);
                featureRow += hl;
            }
            x = y;
        }
        if (!ff) {
            addClassifierPart(0, m);
        }
        for (int c = 0; c < labels; c++) {
            out[outOff + c] = logitRow[c] + cb[c];
        }
    }

    /** logitRow += the classifier's columns from {@code first} on, times the row's non-zero values. */
    private void addClassifierPart(int first, int m) {
        for (int t = 0; t < m; t++) {
            nzIndex[t] += first;
        }
        Kernels.product(ct, nzIndex, nzValue, m, logitPart, labels, null);
        for (int t = 0; t < m; t++) {
            nzIndex[t] -= first;
        }
        for (int c = 0; c < labels; c++) {
            logitRow[c] += logitPart[c];
        }
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        if (rowPath) {
            for (int s = 0; s < k; s++) {
                scoreRow(images, off + s * d, s, out, outOff + s * labels);
            }
            return;
        }
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
