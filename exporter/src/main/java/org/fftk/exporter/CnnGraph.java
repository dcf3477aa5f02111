package org.fftk.exporter;

import java.util.Map;
import org.fftk.edge.model.ConvShape;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * The ffcnn graph (docs/algorithms.md "FF-CNN", "Prediction"), standard operators only, so ONNX
 * Runtime alone runs the model: the label patterns are an initializer ({@code label.patterns},
 * [L, C, H, W]) and the mixing (1 − K)·x + K·p_c happens inside the graph, for all labels at once
 * by broadcasting: image [N, D] → [N, 1, C, H, W] mixed with [L, C, H, W] → [N·L, C, H, W]. Each
 * layer divides its input by √(mean of its squares) + ε (ReduceSumSquare over C, H, W), then Conv
 * and Relu; score = Σ over layers l ≥ scoreFrom of Σ h², reshaped to [N, L] (the softmax rule: each
 * layer's √(Σ h²) reshaped to [N, L] and Softmax over the labels first).
 *
 * <p>ffcnn-c (docs/algorithms.md "Linear classifier"): one pass on the unlabelled input — the image
 * mixed with the mean pattern (ReduceMean of {@code label.patterns} over the labels), or with
 * morphological labels the image itself — through the same layers; layers 1..n−1 reshaped to [N, C·H·W], concatenated,
 * and the classifier as Gemm.
 *
 * <p>bpcnn (docs/algorithms.md "BP-CNN"): image → [N, C, H, W], Conv and Relu per layer (no
 * normalisation), the last feature maps reshaped to [N, C·H·W] (channel-major, as Flatten) and the
 * output layer as Gemm.
 */
final class CnnGraph {
    private CnnGraph() {
    }

    static ONNXRef<?> scores(GraphBuilder g, Model m, ONNXPlaceholder image, Map<String, ONNXRef<?>> w) {
        ConvShape c = m.conv();
        int labels = m.numLabels();
        int[] widths = m.widths();
        float k = m.labelIntensity();
        ONNXRef<?> x;
        if (m.labelMaps() != null) {
            x = gathered(g, image, w); // [N, L, C, H, W]
        } else {
            x = g.reshape(image, -1, 1, c.channels(), c.height(), c.width());
            ONNXRef<?> pat = g.mul(w.get(ModelFormat.LABEL_PATTERNS), g.scalar(k));
            x = g.add(g.mul(x, g.scalar(1f - k)), pat); // [N, L, C, H, W]
        }
        x = g.reshape(x, -1, c.channels(), c.height(), c.width());
        boolean softmax = Model.SCORE_SOFTMAX.equals(m.scoreRule());
        ONNXRef<?> score = null;
        for (int l = 0; l < widths.length; l++) {
            x = ffLayer(g, m, l, x, w);
            if (l >= m.scoreFrom()) {
                ONNXRef<?> gl = sumSquares(g, x);
                if (softmax) {
                    gl = OnnxExporter.labelSoftmax(g, gl, labels); // paper 000: a softmax of the layer's ℓ2 norms
                }
                score = score == null ? gl : g.add(score, gl);
            }
        }
        return g.reshape(score, -1, labels);
    }

    /** ffcnn-c: the classifier's logits on layers 1..n−1 of the unlabelled input's pass, [N, L]. */
    static ONNXRef<?> classifierLogits(GraphBuilder g, Model m, ONNXPlaceholder image, Map<String, ONNXRef<?>> w) {
        ConvShape c = m.conv();
        int[] widths = m.widths();
        ONNXRef<?> x;
        if (m.labelMaps() != null) {
            x = g.reshape(image, -1, c.channels(), c.height(), c.width());
        } else {
            float k = m.labelIntensity();
            ONNXRef<?> mean = g.op(OnnxOps.REDUCE_MEAN, Map.of("axes", new int[] {0}, "keepdims", 1),
                    w.get(ModelFormat.LABEL_PATTERNS)); // [1, C, H, W]
            x = g.add(g.mul(g.reshape(image, -1, c.channels(), c.height(), c.width()), g.scalar(1f - k)),
                    g.mul(mean, g.scalar(k)));
        }
        java.util.List<ONNXRef<?>> feats = new java.util.ArrayList<>();
        for (int l = 0; l < widths.length; l++) {
            x = ffLayer(g, m, l, x, w);
            if (l >= 1) {
                feats.add(g.reshape(x, -1, Math.toIntExact(c.units(l, widths))));
            }
        }
        ONNXRef<?> f = feats.size() == 1 ? feats.get(0)
                : g.op(org.tribuo.util.onnx.ONNXOperators.CONCAT, Map.of("axis", 1), feats.toArray(new ONNXRef<?>[0]));
        return g.dense(f, w.get(ModelFormat.classifierWeightName()), w.get(ModelFormat.classifierBiasName()));
    }

    /**
     * Morphological labels: a zero column appended at index D, then every label's map gathers its
     * transformed image: [N, D + 1] gathered by [L, C, H, W] indices → [N, L, C, H, W].
     */
    private static ONNXRef<?> gathered(GraphBuilder g, ONNXPlaceholder image, Map<String, ONNXRef<?>> w) {
        ONNXRef<?> zero = g.mul(g.columns(image, 0, 1), g.scalar(0f));
        ONNXRef<?> padded = g.op(org.tribuo.util.onnx.ONNXOperators.CONCAT, Map.of("axis", 1), image, zero);
        ONNXRef<?> idx = g.op(org.tribuo.util.onnx.ONNXOperators.CAST,
                Map.of("to", ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64.getNumber()), w.get(ModelFormat.LABEL_MAPS));
        return g.op(org.tribuo.util.onnx.ONNXOperators.GATHER, Map.of("axis", 1), padded, idx);
    }

    /** One FF conv layer on x [M, C, H, W]: x / (√(mean x²) + ε) over C, H, W, then Conv and Relu. */
    private static ONNXRef<?> ffLayer(GraphBuilder g, Model m, int l, ONNXRef<?> x, Map<String, ONNXRef<?>> w) {
        ConvShape c = m.conv();
        long n = l == 0 ? c.inputSize() : c.units(l - 1, m.widths());
        ONNXRef<?> ms = g.mul(sumSquares(g, x), g.scalar((float) (1.0 / n)));
        ONNXRef<?> xn = g.div(x, g.add(g.op(OnnxOps.SQRT, ms), g.scalar(m.normEpsilon())));
        return g.relu(conv(g, c, l, xn, w));
    }

    static ONNXRef<?> logits(GraphBuilder g, Model m, ONNXPlaceholder image, Map<String, ONNXRef<?>> w) {
        ConvShape c = m.conv();
        int[] widths = m.widths();
        ONNXRef<?> x = g.reshape(image, -1, c.channels(), c.height(), c.width());
        for (int l = 0; l < widths.length; l++) {
            x = g.relu(conv(g, c, l, x, w));
        }
        x = g.reshape(x, -1, Math.toIntExact(c.units(widths.length - 1, widths)));
        return g.dense(x, w.get(ModelFormat.classifierWeightName()), w.get(ModelFormat.classifierBiasName()));
    }

    /** Layer l's ONNX Conv (with its bias) on x. */
    private static ONNXRef<?> conv(GraphBuilder g, ConvShape c, int l, ONNXRef<?> x, Map<String, ONNXRef<?>> w) {
        int kk = c.kernel(l);
        int p = c.pad(l);
        int s = c.stride(l);
        return g.op(OnnxOps.CONV, Map.of("kernel_shape", new int[] {kk, kk}, "pads", new int[] {p, p, p, p},
                "strides", new int[] {s, s}), x, w.get(ModelFormat.weightName(l)), w.get(ModelFormat.biasName(l)));
    }

    /** Σ over channels, rows and columns of x², [M, 1, 1, 1]. */
    private static ONNXRef<?> sumSquares(GraphBuilder g, ONNXRef<?> x) {
        return g.op(OnnxOps.REDUCE_SUM_SQUARE, Map.of("axes", new int[] {1, 2, 3}, "keepdims", 1), x);
    }
}
