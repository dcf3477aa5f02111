package org.fftk.exporter;

import java.util.List;
import java.util.Map;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * FFRNN graph (docs/algorithms.md "Architectures"): the frames unrolled into a static graph, all L label candidates batched as
 * rows (sample-major, [N·L, h] tensors), with n(v) = v / (‖v‖₂ + ε):
 * <ul>
 *   <li>start state (frame 0): one bottom-up pass from a zero hidden state with the forward weights
 *       only, h_i(0) = ReLU(W_f,i n(h_{i−1}(0)) + b_i), h_{−1} = image: the backward inputs are the zero
 *       state and the label is not seen yet, so frame 0 is the same for every label (as the edge
 *       runtime's RecurrentPredictor);</li>
 *   <li>or, for a model with a constant start state (imported from FFLib), every unit at s and then
 *       one sequential bottom-up pass with the full rule ({@link #constantStart});</li>
 *   <li>frames t = 1..K_high, all layers synchronously from frame t−1:
 *       h_i(t) = β·ReLU(W_f,i n(h_{i−1}(t−1)) + W_b,i n(h_{i+1}(t−1)) + b_i) + (1−β)·h_i(t−1),
 *       with the image below layer 0 and the one-hot label above the top layer clamped;</li>
 *   <li>score(label) = Σ_{t = K_low..K_high} Σ_i softplus(mean_j h_i(t)_j² − θ).</li>
 * </ul>
 * The image term W_f,0 n(image) + b_0 is the same for every frame and label: it is computed once per
 * image. The label term W_b,top n(onehot(c)) is column c of W_b,top over (1 + ε).
 */
final class FfrnnGraph {
    private FfrnnGraph() {
    }

    static ONNXRef<?> scores(GraphBuilder g, Model m, ONNXPlaceholder image, Map<String, ONNXRef<?>> w) {
        List<DenseLayer> layers = m.layers();
        int n = layers.size();
        int top = n - 1;
        int labels = m.numLabels();
        float eps = m.normEpsilon();
        int[] width = m.widths();

        ONNXRef<?> imgNorm = g.div(image, g.add(g.op(OnnxOps.SQRT, g.sumSquares(image, 1)), g.scalar(eps)));
        // W_f,0 n(image) + b_0: [N, h0], shared by all labels and frames
        ONNXRef<?> imageTerm = g.dense(imgNorm, w.get(ModelFormat.weightName(0)), w.get(ModelFormat.biasName(0)));
        // W_b,top n(onehot(c)) for every c: [L, h_top]
        ONNXRef<?> labelTerm = g.div(g.op(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {1, 0}),
                w.get(ModelFormat.backwardWeightName(top))), g.scalar(1f + eps));

        ONNXRef<?>[] h = new ONNXRef<?>[n];
        ONNXRef<?>[] ss = new ONNXRef<?>[n];
        if (m.hasConstantStart()) {
            constantStart(g, m, imageTerm, labelTerm, w, h, ss);
        } else {
            // start state, bottom-up, forward weights only: label-independent ([N, h]), then expanded to [N·L, h]
            ONNXRef<?> below = null;
            ONNXRef<?> belowSs = null;
            for (int i = 0; i < n; i++) {
                ONNXRef<?> pre = i == 0 ? imageTerm
                        : g.dense(normalize(g, below, belowSs, eps), w.get(ModelFormat.weightName(i)),
                                w.get(ModelFormat.biasName(i)));
                below = g.relu(pre);
                belowSs = g.sumSquares(below, 1);
                h[i] = expandLabels(g, below, labels, width[i]);
                ss[i] = expandLabels(g, belowSs, labels, 1);
            }
        }
        ONNXRef<?> imageRows = expandLabels(g, imageTerm, labels, width[0]);

        ONNXRef<?> beta = g.scalar(m.beta());
        ONNXRef<?> keep = g.scalar(1f - m.beta());
        ONNXRef<?> score = null;
        for (int t = 1; t <= m.testFrameHigh(); t++) {
            ONNXRef<?>[] next = new ONNXRef<?>[n];
            for (int i = 0; i < n; i++) {
                ONNXRef<?> fwd = i == 0 ? imageRows
                        : g.dense(normalize(g, h[i - 1], ss[i - 1], eps), w.get(ModelFormat.weightName(i)),
                                w.get(ModelFormat.biasName(i)));
                // Gemm's C input carries the forward term (and bias) into the backward product
                ONNXRef<?> pre = i == top ? addLabelTerm(g, fwd, labelTerm, labels, width[i])
                        : g.dense(normalize(g, h[i + 1], ss[i + 1], eps), w.get(ModelFormat.backwardWeightName(i)), fwd);
                next[i] = g.add(g.mul(g.relu(pre), beta), g.mul(h[i], keep));
            }
            h = next;
            for (int i = 0; i < n; i++) {
                ss[i] = g.sumSquares(h[i], 1);
                if (t >= m.testFrameLow()) {
                    ONNXRef<?> term = OnnxExporter.goodnessSoftplus(g, m, ss[i], width[i]);
                    score = score == null ? term : g.add(score, term);
                }
            }
        }
        return g.reshape(score, -1, labels);
    }

    /**
     * FFLib's start with its random states at the constant s: every unit at s, then one sequential
     * bottom-up pass with the full rule. Below the top layer the state above is still s·1, so the
     * backward term W_b,i n(s·1) is one row computed from the weights, and those layers' frame 0 is
     * label-independent ([N, h], expanded); the top layer reads the label, so its rows are per label.
     */
    private static void constantStart(GraphBuilder g, Model m, ONNXRef<?> imageTerm, ONNXRef<?> labelTerm,
            Map<String, ONNXRef<?>> w, ONNXRef<?>[] h, ONNXRef<?>[] ss) {
        int n = m.layers().size();
        int labels = m.numLabels();
        int[] width = m.widths();
        float eps = m.normEpsilon();
        float s = m.startState();
        ONNXRef<?> beta = g.scalar(m.beta());
        ONNXRef<?> keepStart = g.scalar((1f - m.beta()) * s);
        ONNXRef<?> below = null;
        ONNXRef<?> belowSs = null;
        for (int i = 0; i < n; i++) {
            ONNXRef<?> fwd = i == 0 ? imageTerm
                    : g.dense(normalize(g, below, belowSs, eps), w.get(ModelFormat.weightName(i)),
                            w.get(ModelFormat.biasName(i)));
            if (i == n - 1) {
                ONNXRef<?> pre = addLabelTerm(g, expandLabels(g, fwd, labels, width[i]), labelTerm, labels, width[i]);
                h[i] = g.add(g.mul(g.relu(pre), beta), keepStart);
                ss[i] = g.sumSquares(h[i], 1);
            } else {
                // n(s·1) over the layer above: s / (s·√w + ε) in every position, one row
                int above = width[i + 1];
                float[] u = new float[above];
                java.util.Arrays.fill(u, (float) (s / (s * Math.sqrt(above) + eps)));
                ONNXRef<?> startAbove = g.weight(new org.fftk.edge.model.Tensor("ffrnn_start_above_" + i, new long[] {1, above}, u));
                ONNXRef<?> back = g.dense(startAbove, w.get(ModelFormat.backwardWeightName(i)), null);
                below = g.add(g.mul(g.relu(g.add(fwd, back)), beta), keepStart);
                belowSs = g.sumSquares(below, 1);
                h[i] = expandLabels(g, below, labels, width[i]);
                ss[i] = expandLabels(g, belowSs, labels, 1);
            }
        }
    }

    private static ONNXRef<?> normalize(GraphBuilder g, ONNXRef<?> x, ONNXRef<?> sumSquares, float eps) {
        return g.div(x, g.add(g.op(OnnxOps.SQRT, sumSquares), g.scalar(eps)));
    }

    /** [N, h] → [N·L, h], each row repeated for the L label candidates. */
    private static ONNXRef<?> expandLabels(GraphBuilder g, ONNXRef<?> x, int labels, int width) {
        ONNXRef<?> e = g.op(OnnxOps.EXPAND, g.unsqueeze(x, 1), g.longs(1, labels, 1));
        return g.reshape(e, -1, width);
    }

    /** rows [N·L, h] + labelTerm[c] on the rows of candidate c. */
    private static ONNXRef<?> addLabelTerm(GraphBuilder g, ONNXRef<?> rows, ONNXRef<?> labelTerm, int labels, int width) {
        return g.reshape(g.add(g.reshape(rows, -1, labels, width), labelTerm), -1, width);
    }
}
