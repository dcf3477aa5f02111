package org.fftk.edge.infer;

import java.util.Arrays;
import java.util.List;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * ffrnn (docs/algorithms.md "Architectures"). Hidden layers i = 0..L−1; below layer 0 the image is clamped, above layer L−1
 * the one-hot label. With n(v) = v / (‖v‖ + ε):
 * <ul>
 *   <li>start (frame 0): one deterministic bottom-up pass from zero hidden state, forward weights
 *       only: h_i(0) = ReLU(W_f,i · n(h_{i−1}(0)) + b_i), h_{−1} = image. (The backward inputs are the
 *       zero hidden state; the label is not seen yet, so frame 0 is the same for every label.)</li>
 *   <li>or, for a model with a constant start state s (imported from FFLib, whose start is random
 *       U(0, 1) states; s = 0.5 is their mean): every unit starts at s, then one sequential
 *       bottom-up pass with the full rule, h_i(0) = β·ReLU(W_f,i · n(h_{i−1}(0)) + W_b,i · n(above) + b_i)
 *       + (1−β)·s, where above is s·1 (the label for the top layer), so only the top layer's frame 0
 *       depends on the label.</li>
 *   <li>frames t = 1..K, synchronous: every layer reads the previous frame's state,
 *       h_i(t) = β·ReLU(W_f,i · n(h_{i−1}(t−1)) + W_b,i · n(h_{i+1}(t−1)) + b_i) + (1−β)·h_i(t−1).</li>
 *   <li>score(c) = Σ_{t = low..high} Σ_i softplus(mean_j h_i,j(t)² − θ) (frames 1-based, inclusive).</li>
 * </ul>
 * All labels of all images in a block run as rows of one sparse product per weight matrix; the
 * image term W_f,0 · n(x) and the label term W_b,L−1 · n(onehot(c)) are computed once.
 */
final class RecurrentPredictor extends BlockPredictor {
    private final Kernels.Cols[] wft;
    private final Kernels.Cols[] wbt;
    private final float[] labelCols;
    private final float[][] bias;
    /** Constant start only: W_b,i · n(s·1) for every layer below the top (Model#startBackwardTerm). */
    private final float[][] startBack;
    private final float beta;
    private final float theta;
    private final float eps;
    private final int low;
    private final int high;

    private final float[] xT;
    private final float[] sumSq;
    private final float[][] a0;
    private final float[][] prev;
    private final float[][] next;
    private final float[][] invPrev;
    private final float[][] invNext;
    private final float[][] accF;
    private final float[][] accB;
    private final double[] score;

    RecurrentPredictor(Model m, int block) {
        this(m, block, null);
    }

    /** With {@code share} given, uses its (immutable) weight arrays and allocates only scratch. */
    private RecurrentPredictor(Model m, int block, RecurrentPredictor share) {
        super(m, block);
        List<DenseLayer> ls = m.layers();
        beta = m.beta();
        theta = m.theta();
        eps = m.normEpsilon();
        low = m.testFrameLow();
        high = m.testFrameHigh();
        if (share != null) {
            wft = share.wft;
            wbt = share.wbt;
            bias = share.bias;
            labelCols = share.labelCols;
            startBack = share.startBack;
        } else {
            wft = new Kernels.Cols[depth];
            wbt = new Kernels.Cols[depth];
            bias = new float[depth][];
            for (int i = 0; i < depth; i++) {
                DenseLayer l = ls.get(i);
                wft[i] = Kernels.columns(l);
                if (i + 1 < depth) {
                    wbt[i] = Kernels.backColumns(l);
                }
                bias[i] = l.biases();
            }
            // the top layer's backward input is the one-hot label: keep W_b,top · n(onehot(c)) per label
            int top = width[depth - 1];
            labelCols = new float[labels * top];
            float lab = (float) (1.0 / (1.0 + eps));
            float[] wb = ls.get(depth - 1).backWeights();
            for (int j = 0; j < top; j++) {
                for (int c = 0; c < labels; c++) {
                    labelCols[c * top + j] = wb[j * labels + c] * lab;
                }
            }
            if (m.hasConstantStart()) {
                startBack = new float[depth][];
                for (int i = 0; i + 1 < depth; i++) {
                    startBack[i] = m.startBackwardTerm(i);
                }
            } else {
                startBack = null;
            }
        }
        int rows = block * labels;
        xT = new float[d * block];
        sumSq = new float[block];
        a0 = new float[block][width[0]];
        prev = new float[depth][];
        next = new float[depth][];
        invPrev = new float[depth][rows];
        invNext = new float[depth][rows];
        for (int i = 0; i < depth; i++) {
            prev[i] = new float[width[i] * rows];
            next[i] = new float[width[i] * rows];
        }
        accF = new float[rows][maxWidth];
        accB = new float[rows][maxWidth];
        score = new double[rows];
    }

    @Override
    BlockPredictor fork() {
        return new RecurrentPredictor(model, block, this);
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        int rows = k * labels;
        int h0 = width[0];
        Kernels.transposeImages(images, off, k, d, xT, sumSq);
        Kernels.clear(a0, k, h0);
        Kernels.multiplyAdd(xT, k, d, wft[0], h0, a0, dequantised);
        for (int s = 0; s < k; s++) {
            float sc = (float) (1.0 / (Math.sqrt(sumSq[s]) + eps));
            float[] a = a0[s];
            for (int j = 0; j < h0; j++) {
                a[j] *= sc;
            }
        }
        startPass(k);
        Arrays.fill(score, 0, rows, 0.0);
        float keep = 1f - beta;
        for (int t = 1; t <= high; t++) {
            boolean counts = t >= low;
            for (int i = 0; i < depth; i++) {
                int hw = width[i];
                if (i > 0) {
                    Kernels.clear(accF, rows, hw);
                    Kernels.multiplyAdd(prev[i - 1], rows, width[i - 1], wft[i], hw, accF, dequantised);
                }
                boolean topLayer = i == depth - 1;
                if (!topLayer) {
                    Kernels.clear(accB, rows, hw);
                    Kernels.multiplyAdd(prev[i + 1], rows, width[i + 1], wbt[i], hw, accB, dequantised);
                }
                float[] b = bias[i];
                float[] p = prev[i];
                float[] nx = next[i];
                float[] invBelow = i > 0 ? invPrev[i - 1] : null;
                float[] invAbove = topLayer ? null : invPrev[i + 1];
                for (int r = 0; r < rows; r++) {
                    int s = r / labels;
                    int c = r - s * labels;
                    float[] fwd = i > 0 ? accF[r] : a0[s];
                    float fb = i > 0 ? invBelow[r] : 1f;
                    float[] bwd = topLayer ? null : accB[r];
                    float fa = topLayer ? 0f : invAbove[r];
                    int lb = c * hw;
                    float ss = 0;
                    for (int j = 0; j < hw; j++) {
                        float f = fwd[j] * fb;
                        float g = topLayer ? labelCols[lb + j] : bwd[j] * fa;
                        float v = f + g + b[j];
                        v = v > 0f ? v : 0f;
                        int at = j * rows + r;
                        float h = beta * v + keep * p[at];
                        nx[at] = h;
                        ss += h * h;
                    }
                    if (counts) {
                        score[r] += LayerGoodness.softplus((double) ss / hw - theta);
                    }
                    invNext[i][r] = (float) (1.0 / (Math.sqrt(ss) + eps));
                    if (sink != null) {
                        emit(r / labels, r % labels, i, t, nx, r, rows, hw, (double) ss / hw - theta);
                    }
                }
            }
            for (int i = 0; i < depth; i++) {
                float[] tmp = prev[i];
                prev[i] = next[i];
                next[i] = tmp;
                tmp = invPrev[i];
                invPrev[i] = invNext[i];
                invNext[i] = tmp;
            }
        }
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = (float) score[r];
        }
    }

    /**
     * Frame 0 (class comment) for the k images (rows = k), copied to every label's row: the
     * bottom-up start (h = ReLU(·)), or the constant start s (h = β·ReLU(· + W_b n(s·1)) + (1−β)·s),
     * whose top layer reads the label and so is computed per label ({@link #topStart}).
     */
    private void startPass(int k) {
        int rows = k * labels;
        boolean constant = startBack != null;
        float mul = constant ? beta : 1f;
        float add = constant ? (1f - beta) * model.startState() : 0f;
        for (int i = 0; i < depth; i++) {
            int hw = width[i];
            float[] tmp = next[i];
            if (i > 0) {
                Kernels.clear(accF, k, hw);
                Kernels.multiplyAdd(next[i - 1], k, width[i - 1], wft[i], hw, accF, dequantised);
            }
            if (constant && i == depth - 1) {
                topStart(k, i, mul, add);
                return;
            }
            float[] b = bias[i];
            float[] cb = constant ? startBack[i] : null;
            for (int s = 0; s < k; s++) {
                float ss = 0;
                for (int j = 0; j < hw; j++) {
                    float v = (i == 0 ? a0[s][j] : accF[s][j] * invPrev[i - 1][s * labels]) + (cb == null ? 0f : cb[j]) + b[j];
                    v = v > 0f ? v : 0f;
                    float h = mul * v + add;
                    tmp[j * k + s] = h;
                    ss += h * h;
                }
                float iv = (float) (1.0 / (Math.sqrt(ss) + eps));
                for (int c = 0; c < labels; c++) {
                    invPrev[i][s * labels + c] = iv;
                }
                if (sink != null) {
                    emit(s, -1, i, 0, tmp, s, k, hw, (double) ss / hw - theta);
                }
            }
            float[] p = prev[i];
            for (int j = 0; j < hw; j++) {
                for (int s = 0; s < k; s++) {
                    float v = tmp[j * k + s];
                    int at = j * rows + s * labels;
                    for (int c = 0; c < labels; c++) {
                        p[at + c] = v;
                    }
                }
            }
        }
    }

    /** The constant start's top layer: its backward input is the label, so one row per (image, label). */
    private void topStart(int k, int i, float mul, float add) {
        int rows = k * labels;
        int hw = width[i];
        float[] b = bias[i];
        float[] p = prev[i];
        for (int s = 0; s < k; s++) {
            float scale = i == 0 ? 1f : invPrev[i - 1][s * labels];
            float[] fwd = i == 0 ? a0[s] : accF[s];
            for (int c = 0; c < labels; c++) {
                int r = s * labels + c;
                float ss = 0;
                for (int j = 0; j < hw; j++) {
                    float v = fwd[j] * scale + labelCols[c * hw + j] + b[j];
                    v = v > 0f ? v : 0f;
                    float h = mul * v + add;
                    p[j * rows + r] = h;
                    ss += h * h;
                }
                invPrev[i][r] = (float) (1.0 / (Math.sqrt(ss) + eps));
                if (sink != null) {
                    emit(s, c, i, 0, p, r, rows, hw, (double) ss / hw - theta);
                }
            }
        }
    }
}
