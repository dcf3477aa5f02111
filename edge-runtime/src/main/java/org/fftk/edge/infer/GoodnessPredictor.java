package org.fftk.edge.infer;

import java.util.List;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * ffnn (docs/algorithms.md "FF layer", "Prediction"): score(c) = Σ_l softplus(mean_j h_l,j(x ⊕ c)² − θ) for every label c.
 *
 * <p>Layer 1 is computed once per image, not once per label: with input x ⊕ onehot(c),
 * ‖x ⊕ onehot(c)‖² = ‖x‖² + 1 for every c, so its pre-activation is
 * (W[:, :D]·x + W[:, D+c]) / (√(‖x‖² + 1) + ε) + b. With the overwrite encoding (docs/algorithms.md
 * "Label encoding") the input is x̃ + m·e_c, x̃ the image with its first L values set to 0 and m the
 * largest of its other values, so the pre-activation is (W·x̃ + m·W[:, c]) / (√(‖x̃‖² + m²) + ε) + b.
 * Normalisation of a layer's input is folded into the next layer's output: (W·h)/(‖h‖+ε).
 *
 * <p>Two ways to run the layers (docs/algorithms.md "Prediction"): the row path
 * ({@link #scoreRows}, the default) takes each image and candidate label through the layers on
 * its own, four inputs per pass over the output; the block path runs all labels of all images in a
 * block as one input-major sparse product, so each weight row is read once per block (kept for
 * int8 layers on JVMs that cannot vectorise the int8 conversion).
 */
final class GoodnessPredictor extends BlockPredictor {
    private final Kernels.Cols w0t;
    /** Layer 1's weights from the label inputs: labelRows[c][j] = W[j][label column of c]. */
    private final float[][] labelRows;
    /** The image values read as 0 (the overwrite encoding's L, else 0). */
    private final int blank;
    /** Per image of the block, the label value: 1 (concat) or the image's largest value (overwrite). */
    private final float[] labelValue;
    private final Kernels.Cols[] wt;
    private final float[][] bias;
    private final float theta;
    private final float eps;

    private final float[] xT;
    private final float[] sumSq;
    private final float[][] acc;
    private final float[] hT;
    private final float[] inv;
    private final double[] good;
    /** Factored layers' scratch: V·x per row ([row][k]) and transposed ([k·rows + row]); null when none is factored. */
    private final float[][] mid;
    private final float[] midT;
    /** The softmax score rule: per layer every row's ‖h_l‖ ([layer][row]), and a label's sum; null for the sum. */
    private final double[][] norms;
    private final double[] softmaxSum;
    /** Candidate elimination (labels only, minimize): layer-1 values and state kept across the two passes. */
    private float[] hSave;
    private float[] invSave;
    private double[] goodSave;
    private boolean[] alive;
    private int[] leader;
    private float[] bound;
    private double[] leaderGood;
    /** Whether this predictor takes the row path ({@link #scoreRows}). */
    private final boolean rowPath;
    /** Row path scratch: a row's non-zero inputs (index, value), layer 1's image part, every label's layer-1 h, two rows. */
    private final int[] nzIndex;
    private final float[] nzValue;
    private final float[] imagePart;
    private final float[][] labelH;
    private final float[] rowA;
    private final float[] rowB;
    /** Row path, factored layers: V·x of one row. */
    private final float[] midRow;

    GoodnessPredictor(Model m, int block) {
        this(m, block, null, rowPathSuits(m));
    }

    /** With the path chosen by the caller (tests run both). */
    GoodnessPredictor(Model m, int block, boolean rowPath) {
        this(m, block, null, rowPath);
    }

    /** With {@code share} given, uses its (immutable) weight arrays and allocates only scratch. */
    private GoodnessPredictor(Model m, int block, GoodnessPredictor share, boolean rowPath) {
        super(m, block);
        this.rowPath = rowPath;
        List<DenseLayer> ls = m.layers();
        theta = m.theta();
        eps = m.normEpsilon();
        DenseLayer l0 = ls.get(0);
        int h0 = l0.out();
        blank = m.labelOverwrites() ? labels : 0;
        int labelCol = m.labelOverwrites() ? 0 : d;
        if (share != null) {
            w0t = share.w0t;
            labelRows = share.labelRows;
            wt = share.wt;
            bias = share.bias;
        } else {
            w0t = Kernels.columns(l0, 0, d);
            labelRows = new float[labels][h0];
            for (int j = 0; j < h0; j++) {
                for (int c = 0; c < labels; c++) {
                    labelRows[c][j] = l0.weight(j, labelCol + c);
                }
            }
            wt = new Kernels.Cols[depth];
            bias = new float[depth][];
            for (int l = 0; l < depth; l++) {
                DenseLayer dl = ls.get(l);
                bias[l] = dl.biases();
                if (l > 0) {
                    wt[l] = Kernels.columns(dl);
                }
            }
        }
        int rows = block * labels;
        xT = rowPath ? null : new float[d * block];
        sumSq = new float[block];
        labelValue = new float[block];
        java.util.Arrays.fill(labelValue, 1f);
        acc = rowPath ? null : new float[rows][maxWidth];
        hT = rowPath ? null : new float[rows * maxWidth];
        inv = new float[rows];
        good = new double[rows];
        int maxRank = 0;
        for (DenseLayer dl : ls) {
            maxRank = Math.max(maxRank, dl.rank());
        }
        mid = maxRank > 0 && !rowPath ? new float[rows][maxRank] : null;
        midT = maxRank > 0 && !rowPath ? new float[rows * maxRank] : null;
        norms = Model.SCORE_SOFTMAX.equals(m.scoreRule()) ? new double[depth][rows] : null;
        softmaxSum = norms != null ? new double[labels] : null;
        int nz = rowPath ? Math.max(Math.max(d, maxWidth), maxRank) : 0;
        nzIndex = new int[nz];
        nzValue = new float[nz];
        midRow = rowPath && maxRank > 0 ? new float[maxRank] : null;
        imagePart = rowPath ? new float[h0] : null;
        labelH = rowPath ? new float[labels][h0] : null;
        rowA = rowPath ? new float[maxWidth] : null;
        rowB = rowPath ? new float[maxWidth] : null;
    }

    @Override
    BlockPredictor fork() {
        return new GoodnessPredictor(model, block, this, rowPath);
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        if (rowPath) {
            for (int s = 0; s < k; s++) {
                scoreRows(images, off + s * d, s, out, outOff + s * labels);
            }
            return;
        }
        int rows = k * labels;
        int h0 = width[0];
        Kernels.transposeImages(images, off, k, d, blank, xT, sumSq, blank > 0 ? labelValue : null);
        Kernels.clear(acc, k, h0);
        Kernels.multiplyAdd(xT, k, d, w0t, h0, acc, dequantised, mid, midT);
        float[] b0 = bias[0];
        boolean tracing = sink != null;
        boolean more = depth > 1 || tracing;
        for (int s = 0; s < k; s++) {
            float lv = labelValue[s];
            float invX = (float) (1.0 / (Math.sqrt(sumSq[s] + (double) lv * lv) + eps));
            float[] a = acc[s];
            for (int c = 0; c < labels; c++) {
                int r = s * labels + c;
                float[] lc = labelRows[c];
                float ss = 0;
                for (int j = 0; j < h0; j++) {
                    float v = (a[j] + lv * lc[j]) * invX + b0[j];
                    v = v > 0f ? v : 0f;
                    ss += v * v;
                    if (more) {
                        hT[j * rows + r] = v;
                    }
                }
                double z = (double) ss / h0 - theta;
                good[r] = LayerGoodness.softplus(z);
                inv[r] = (float) (1.0 / (Math.sqrt(ss) + eps));
                if (norms != null) {
                    norms[0][r] = Math.sqrt(ss);
                }
                if (tracing) {
                    emit(s, c, 0, 0, hT, r, rows, h0, z);
                }
            }
        }
        if (labelsOnly && argmin && !tracing && depth > 1) {
            eliminate(k, rows);
        } else {
            deeper(rows, null, null, tracing);
        }
        if (norms != null) {
            for (int s = 0; s < k; s++) {
                LayerGoodness.softmaxSum(norms, 0, s * labels, labels, softmaxSum, out, outOff + s * labels);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = (float) good[r];
        }
    }

    /**
     * Layers 2..depth for the rows that are {@code live} (all when null); a row's input columns in
     * hT must be zero when it is not live, so the sparse product skips it. With {@code limit} given,
     * a row is dropped after a layer once its partial score, as float, exceeds its image's limit.
     */
    private void deeper(int rows, boolean[] live, float[] limit, boolean tracing) {
        for (int l = 1; l < depth; l++) {
            int in = width[l - 1];
            int hl = width[l];
            Kernels.clear(acc, rows, hl);
            Kernels.multiplyAdd(hT, rows, in, wt[l], hl, acc, dequantised, mid, midT);
            float[] b = bias[l];
            boolean more = l + 1 < depth || tracing;
            for (int r = 0; r < rows; r++) {
                if (live != null && !live[r]) {
                    if (more) {
                        zeroColumn(r, rows, hl);
                    }
                    continue;
                }
                float[] a = acc[r];
                float sc = inv[r];
                float ss = 0;
                for (int j = 0; j < hl; j++) {
                    float v = a[j] * sc + b[j];
                    v = v > 0f ? v : 0f;
                    ss += v * v;
                    if (more) {
                        hT[j * rows + r] = v;
                    }
                }
                double z = (double) ss / hl - theta;
                good[r] += LayerGoodness.softplus(z);
                inv[r] = (float) (1.0 / (Math.sqrt(ss) + eps));
                if (norms != null) {
                    norms[l][r] = Math.sqrt(ss);
                }
                if (tracing) {
                    emit(r / labels, r % labels, l, 0, hT, r, rows, hl, z);
                }
                if (limit != null && (float) good[r] > limit[r / labels]) {
                    live[r] = false;
                    if (more) {
                        zeroColumn(r, rows, hl);
                    }
                }
            }
        }
    }

    private void zeroColumn(int r, int rows, int width) {
        for (int j = 0; j < width; j++) {
            hT[j * rows + r] = 0f;
        }
    }

    /**
     * Exact candidate elimination for argmin (minimize) labels, docs/algorithms.md "Candidate
     * elimination": every layer adds softplus(·) ≥ 0, so a candidate's partial score bounds its full
     * score from below. Pass 1 runs each image's leader (lowest layer-1 score) through all layers;
     * its full score S is the bound. Pass 2 runs the others, dropping a candidate as soon as its
     * partial score, rounded to float, exceeds float(S): its float score could only be larger, so it
     * can neither win nor tie. Dropped candidates score +∞; all others are exact, so the argmin
     * (lowest label on ties) is the one of the full scores.
     */
    private void eliminate(int k, int rows) {
        int h0 = width[0];
        int n = rows * h0;
        if (hSave == null) {
            hSave = new float[hT.length];
            invSave = new float[inv.length];
            goodSave = new double[good.length];
            alive = new boolean[good.length];
            leader = new int[block];
            bound = new float[block];
            leaderGood = new double[block];
        }
        System.arraycopy(hT, 0, hSave, 0, n);
        System.arraycopy(inv, 0, invSave, 0, rows);
        System.arraycopy(good, 0, goodSave, 0, rows);
        for (int s = 0; s < k; s++) {
            int best = s * labels;
            for (int r = best + 1; r < (s + 1) * labels; r++) {
                if (good[r] < good[best]) {
                    best = r;
                }
            }
            leader[s] = best;
        }
        java.util.Arrays.fill(alive, 0, rows, false);
        for (int s = 0; s < k; s++) {
            alive[leader[s]] = true;
        }
        for (int r = 0; r < rows; r++) {
            if (!alive[r]) {
                zeroColumn(r, rows, h0);
            }
        }
        deeper(rows, alive, null, false);
        for (int s = 0; s < k; s++) {
            bound[s] = (float) good[leader[s]];
        }
        for (int s = 0; s < k; s++) {
            leaderGood[s] = good[leader[s]];
        }
        System.arraycopy(hSave, 0, hT, 0, n);
        System.arraycopy(invSave, 0, inv, 0, rows);
        System.arraycopy(goodSave, 0, good, 0, rows);
        for (int r = 0; r < rows; r++) {
            alive[r] = (float) good[r] <= bound[r / labels];
        }
        for (int s = 0; s < k; s++) {
            alive[leader[s]] = false;
        }
        for (int r = 0; r < rows; r++) {
            if (!alive[r]) {
                zeroColumn(r, rows, h0);
            }
        }
        deeper(rows, alive, bound, false);
        for (int r = 0; r < rows; r++) {
            if (!alive[r]) {
                good[r] = Double.POSITIVE_INFINITY;
            }
        }
        for (int s = 0; s < k; s++) {
            good[leader[s]] = leaderGood[s];
        }
    }

    /**
     * The row path (docs/algorithms.md "Prediction"), image {@code s} of the block: layer 1's image
     * part once, then every label's h, then each candidate through the deeper layers on its own, row
     * by row, each product over the row's non-zero inputs ({@link Kernels#addRows}). It computes the
     * same values as the block path up to float rounding (other summation orders) and drops the same
     * candidates in labels-only argmin mode.
     */
    private void scoreRows(float[] images, int off, int s, float[] out, int outOff) {
        int h0 = width[0];
        boolean tracing = sink != null;
        // ‖x‖² and the largest value from the non-zero pixels alone: a serial sum over all 784 pixels
        // cost 12-17% of batch-64 labels throughput at width 32
        int m = Kernels.nonZeros(images, off, blank, d, nzIndex, nzValue);
        float ss = Kernels.sumSquares(nzValue, m);
        float mx = 0;
        for (int t = 0; t < m; t++) {
            mx = nzValue[t] > mx ? nzValue[t] : mx;
        }
        float lv = blank > 0 ? mx : 1f;
        float invX = (float) (1.0 / (Math.sqrt(ss + (double) lv * lv) + eps));
        Kernels.product(w0t, nzIndex, nzValue, m, imagePart, h0, midRow);
        float[] b0 = bias[0];
        int r0 = s * labels;
        for (int c = 0; c < labels; c++) {
            float[] h = labelH[c];
            float[] lc = labelRows[c];
            for (int j = 0; j < h0; j++) {
                h[j] = Math.max((imagePart[j] + lv * lc[j]) * invX + b0[j], 0f);
            }
            float q = Kernels.sumSquares(h, h0);
            double z = (double) q / h0 - theta;
            good[c] = LayerGoodness.softplus(z);
            inv[c] = (float) (1.0 / (Math.sqrt(q) + eps));
            if (norms != null) {
                norms[0][r0 + c] = Math.sqrt(q);
            }
            if (tracing) {
                emit(s, c, 0, 0, h, 0, 1, h0, z);
            }
        }
        if (labelsOnly && argmin && !tracing && depth > 1) {
            int lead = 0;
            for (int c = 1; c < labels; c++) {
                if (good[c] < good[lead]) {
                    lead = c;
                }
            }
            rowDeeper(s, lead, Float.POSITIVE_INFINITY);
            float limit = (float) good[lead];
            for (int c = 0; c < labels; c++) {
                if (c != lead && ((float) good[c] > limit || !rowDeeper(s, c, limit))) {
                    good[c] = Double.POSITIVE_INFINITY;
                }
            }
        } else {
            for (int c = 0; c < labels; c++) {
                rowDeeper(s, c, Float.POSITIVE_INFINITY);
            }
        }
        if (norms != null) {
            LayerGoodness.softmaxSum(norms, 0, r0, labels, softmaxSum, out, outOff);
            return;
        }
        for (int c = 0; c < labels; c++) {
            out[outOff + c] = (float) good[c];
        }
    }

    /**
     * Layers 2..depth for label c of image s (its layer-1 h in labelH[c], its score so far in
     * good[c]); false as soon as the partial score, as float, exceeds {@code limit}.
     */
    private boolean rowDeeper(int s, int c, float limit) {
        float[] x = labelH[c];
        for (int l = 1; l < depth; l++) {
            int in = width[l - 1];
            int hl = width[l];
            float[] y = x == rowA ? rowB : rowA;
            int m = Kernels.nonZeros(x, 0, 0, in, nzIndex, nzValue);
            Kernels.product(wt[l], nzIndex, nzValue, m, y, hl, midRow);
            float sc = inv[c];
            float[] b = bias[l];
            for (int j = 0; j < hl; j++) {
                y[j] = Math.max(y[j] * sc + b[j], 0f);
            }
            float q = Kernels.sumSquares(y, hl);
            double z = (double) q / hl - theta;
            good[c] += LayerGoodness.softplus(z);
            inv[c] = (float) (1.0 / (Math.sqrt(q) + eps));
            if (norms != null) {
                norms[l][s * labels + c] = Math.sqrt(q);
            }
            if (sink != null) {
                emit(s, c, l, 0, y, 0, 1, hl, z);
            }
            if ((float) good[c] > limit) {
                return false;
            }
            x = y;
        }
        return true;
    }
}
