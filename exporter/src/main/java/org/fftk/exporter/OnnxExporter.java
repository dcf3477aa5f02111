package org.fftk.exporter;

import org.fftk.edge.io.AtomicFiles;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.model.Tensor;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes fftk models as standard ONNX files (docs/algorithms.md "Model file"): input {@value #INPUT} float [N, D], outputs
 * {@value #SCORES} float [N, L] and {@value #LABEL} int64 [N]. The initializers are exactly
 * {@link ModelFormat#tensors(Model)} (float32 raw_data, no other copy of any weight) and the
 * metadata_props exactly {@link ModelFormat#metadata(Model)}, so the edge runtime can rebuild the
 * model without reading the graph while any ONNX runtime can execute the graph.
 *
 * <p>FFNN graphs use the label trick: with x = image ⊕ onehot(c), ‖x‖² = ‖image‖² + 1 for every
 * c, and x·W₀ᵀ = image·W_imgᵀ + W₀[:, D + c], so the image is multiplied by layer 0 once and all
 * labels are scored in one batched pass ([N, L, h] tensors). With the overwrite encoding (docs/algorithms.md
 * "Label encoding") x = x̃ + m·e_c, x̃ the image with its first L values zeroed and m = max(x̃): the
 * graph reads image[:, L:] only, ‖x‖² = ‖image[:, L:]‖² + m², and the label term is m·W₀[:, c].
 */
public final class OnnxExporter {
    public static final String INPUT = "image";
    public static final String SCORES = "scores";
    public static final String LABEL = "label";
    /** ONNX operator set the graphs use. */
    public static final int OPSET = OnnxOps.OPSET;
    /** IR version matching {@link #OPSET} (ONNX 1.12); ONNX Runtime 1.20 reads up to IR 10. */
    public static final long IR_VERSION = 8;
    public static final String PRODUCER = "fftk";
    public static final String PRODUCER_VERSION = "0.1.0";

    private OnnxExporter() {
    }

    /** The model as ONNX protobuf bytes. */
    public static byte[] toBytes(Model m) {
        return toProto(m).toByteArray();
    }

    /**
     * Writes the model to {@code file} atomically: a temporary file in the same directory is
     * written, flushed to disk and moved into place, so an existing file is replaced whole or not at
     * all.
     */
    public static void write(Model m, Path file) throws IOException {
        ModelProto proto = toProto(m);
        AtomicFiles.write(file, proto::writeTo);
    }

    /** Protobuf messages (an ONNX file without external data) are limited to 2 GiB. */
    static final long MAX_WEIGHT_BYTES = Integer.MAX_VALUE - (16L << 20);

    /** Rejects weights that cannot fit one ONNX protobuf file, with a one-line message. */
    static void checkSize(long parameters) {
        if (parameters * 4 > MAX_WEIGHT_BYTES) {
            throw new IllegalArgumentException("model too large for one ONNX file: " + parameters
                    + " parameters need " + (parameters * 4 >> 20) + " MiB of float32, protobuf allows under 2048 MiB");
        }
    }

    /** The model as an ONNX ModelProto. */
    public static ModelProto toProto(Model m) {
        checkSize(m.parameterCount());
        GraphBuilder g = new GraphBuilder();
        Map<String, ONNXRef<?>> w = new HashMap<>();
        // Every weight becomes an initializer, in file order, whether or not a graph reads all of it;
        // an int8 model's weight matrices become int8 initializers dequantised in the graph.
        List<Tensor> tensors = ModelFormat.tensors(m);
        Map<String, DenseLayer.Int8> q8 = int8Weights(m);
        for (Tensor t : tensors) {
            DenseLayer.Int8 q = q8.get(t.name());
            long[] dims = t.dims();
            if (q != null && t.name().endsWith("_u")) {
                // a factored layer's U: held as Uᵀ with a scale per row, written [out, r] with a scale per column
                w.put(t.name(), g.int8Weight(t.name(), dims, DenseLayer.transpose(q.values(), (int) dims[1], (int) dims[0]), q.scales(), 1));
                continue;
            }
            w.put(t.name(), q == null ? g.weight(t) : g.int8Weight(t.name(), dims, q.values(), q.scales()));
        }
        ONNXPlaceholder image = g.floatInput(INPUT, m.inputSize());
        ONNXRef<?> scores;
        switch (m.architecture()) {
            case FFNN:
                scores = ffnnScores(g, m, image, w);
                break;
            case FFNN_C:
                scores = ffnnClassifierLogits(g, m, image, w);
                break;
            case BPNN:
                scores = bpnnLogits(g, m, image, w);
                break;
            case FFRNN:
                scores = FfrnnGraph.scores(g, m, image, w);
                break;
            case FFCNN:
                scores = CnnGraph.scores(g, m, image, w);
                break;
            case FFCNN_C:
                scores = CnnGraph.classifierLogits(g, m, image, w);
                break;
            case BPCNN:
                scores = CnnGraph.logits(g, m, image, w);
                break;
            default:
                throw new IllegalArgumentException("cannot export " + m.architecture() + " models");
        }
        boolean argmin = org.fftk.edge.infer.LabelRule.argmin(m);
        ONNXRef<?> label = g.op(argmin ? OnnxOps.ARGMIN : OnnxOps.ARGMAX,
                Map.of("axis", 1, "keepdims", 0, "select_last_index", 0), scores);
        g.output(scores, SCORES, TensorProto.DataType.FLOAT, -1, m.numLabels());
        g.output(label, LABEL, TensorProto.DataType.INT64, -1);
        GraphProto graph = g.build("fftk_" + m.architecture().id().replace('-', '_'));

        ModelProto.Builder mp = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .setProducerVersion(PRODUCER_VERSION)
                .setModelVersion(1)
                .setDocString("fftk " + m.architecture().id() + " model; inputs '" + INPUT + "' float [N,"
                        + m.inputSize() + "] pixels in [0,1]; outputs '" + SCORES + "' float [N," + m.numLabels()
                        + "], '" + LABEL + "' int64 [N]")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
        for (Map.Entry<String, String> e : ModelFormat.metadata(m).entrySet()) {
            mp.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return mp.build();
    }

    /** The int8 weight matrices of a model by initializer name (empty for a float32 model). */
    private static Map<String, DenseLayer.Int8> int8Weights(Model m) {
        Map<String, DenseLayer.Int8> r = new HashMap<>();
        for (int i = 0; i < m.layers().size(); i++) {
            DenseLayer l = m.layers().get(i);
            if (l.isInt8() && l.rank() > 0) {
                r.put(ModelFormat.factorUName(i), l.int8FactorU());
                r.put(ModelFormat.factorVName(i), l.int8FactorV());
            } else if (l.isInt8()) {
                r.put(ModelFormat.weightName(i), l.int8Weights());
                if (l.hasBackward()) {
                    r.put(ModelFormat.backwardWeightName(i), l.int8BackWeights());
                }
            }
        }
        if (m.classifier() != null && m.classifier().isInt8()) {
            r.put(ModelFormat.classifierWeightName(), m.classifier().int8Weights());
        }
        return r;
    }

    /** FFNN: goodness score per label, [N, L] (docs/algorithms.md "FF layer", "Prediction"), all labels in one batched pass. */
    private static ONNXRef<?> ffnnScores(GraphBuilder g, Model m, ONNXPlaceholder image,
            Map<String, ONNXRef<?>> w) {
        int labels = m.numLabels();
        List<DenseLayer> layers = m.layers();
        int h0 = layers.get(0).out();
        LabelledInput in = labelledInput(g, m, image, w);
        ONNXRef<?> a = in.pixelProduct; // [N, h0]
        ONNXRef<?> labelTerm = in.labelValue == null ? in.labelWeightsT // [L, h0]
                : g.mul(g.unsqueeze(in.labelValue, 2), in.labelWeightsT); // [N, 1, 1]·[L, h0] = [N, L, h0]
        // ‖x‖ = sqrt(‖pixels‖² + v²) for every label, v the label value (1, or m when overwriting)
        ONNXRef<?> v2 = in.labelValue == null ? g.scalar(1f) : g.mul(in.labelValue, in.labelValue);
        ONNXRef<?> norm = g.add(g.op(OnnxOps.SQRT, g.add(g.sumSquares(in.pixels, 1), v2)), g.scalar(m.normEpsilon())); // [N, 1]
        ONNXRef<?> pre = g.add(g.unsqueeze(a, 1), labelTerm); // [N, L, h0]
        pre = g.div(pre, g.unsqueeze(norm, 2));
        pre = g.add(pre, w.get(ModelFormat.biasName(0)));
        ONNXRef<?> h = g.reshape(g.relu(pre), -1, h0); // [N·L, h0]
        ONNXRef<?> ss = g.sumSquares(h, 1); // [N·L, 1]
        boolean softmax = Model.SCORE_SOFTMAX.equals(m.scoreRule());
        ONNXRef<?> score = softmax ? labelSoftmax(g, ss, labels) : goodnessSoftplus(g, m, ss, h0);
        for (int i = 1; i < layers.size(); i++) {
            ONNXRef<?> x = g.div(h, g.add(g.op(OnnxOps.SQRT, ss), g.scalar(m.normEpsilon())));
            ONNXRef<?> b = w.get(ModelFormat.biasName(i));
            h = g.relu(layers.get(i).rank() == 0 ? g.dense(x, w.get(ModelFormat.weightName(i)), b)
                    : g.add(product(g, w, layers.get(i), i, x, 0, layers.get(i).in()), b));
            ss = g.sumSquares(h, 1);
            score = g.add(score, softmax ? labelSoftmax(g, ss, labels) : goodnessSoftplus(g, m, ss, layers.get(i).out()));
        }
        return g.reshape(score, -1, labels);
    }

    /** What layer 0 of an ffnn or ffnn-c reads, split into the image's pixels and the label's one value. */
    private static final class LabelledInput {
        /** The image values layer 0 reads ([N, D], or [N, D − L] when the label overwrites the first L). */
        ONNXRef<?> pixels;
        /** pixels · (layer 0's weight columns for them)ᵀ, [N, h0]. */
        ONNXRef<?> pixelProduct;
        /** Layer 0's label columns, transposed [L, h0]. */
        ONNXRef<?> labelWeightsT;
        /** The label value per image [N, 1] (overwrite: max(0, max of the pixels)); null when it is 1 (concat). */
        ONNXRef<?> labelValue;
    }

    private static LabelledInput labelledInput(GraphBuilder g, Model m, ONNXPlaceholder image, Map<String, ONNXRef<?>> w) {
        int d = m.inputSize();
        int labels = m.numLabels();
        DenseLayer l0 = m.layers().get(0);
        LabelledInput in = new LabelledInput();
        if (!m.labelOverwrites()) {
            in.pixels = image;
            in.pixelProduct = product(g, w, l0, 0, image, 0, d);
            in.labelWeightsT = g.op(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {1, 0}), weightColumns(g, w, l0, 0, d, d + labels));
            return in;
        }
        in.pixels = g.columns(image, labels, d);
        in.pixelProduct = product(g, w, l0, 0, in.pixels, labels, d);
        in.labelWeightsT = g.op(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {1, 0}), weightColumns(g, w, l0, 0, 0, labels));
        ONNXRef<?> max = g.op(OnnxOps.REDUCE_MAX, Map.of("axes", new int[] {1}, "keepdims", 1), in.pixels);
        in.labelValue = g.op(OnnxOps.MAX, max, g.scalar(0f));
        return in;
    }

    /**
     * x·W[:, from:to]ᵀ for hidden layer i, [N, out]: one Gemm, or for a factored layer (W = U·V,
     * docs/algorithms.md "Low-rank layers") two, (x·V[:, from:to]ᵀ)·Uᵀ, so the file holds and the
     * runtime multiplies only the factors.
     */
    private static ONNXRef<?> product(GraphBuilder g, Map<String, ONNXRef<?>> w, DenseLayer l, int i, ONNXRef<?> x,
                                      int from, int to) {
        if (l.rank() == 0) {
            ONNXRef<?> wi = w.get(ModelFormat.weightName(i));
            return g.dense(x, from == 0 && to == l.in() ? wi : g.columns(wi, from, to), null);
        }
        ONNXRef<?> v = w.get(ModelFormat.factorVName(i));
        ONNXRef<?> t = g.dense(x, from == 0 && to == l.in() ? v : g.columns(v, from, to), null); // [N, r]
        return g.dense(t, w.get(ModelFormat.factorUName(i)), null);
    }

    /** Columns [from, to) of hidden layer i's weight, [out, to − from]: a Slice of W, or U·V[:, from:to]. */
    private static ONNXRef<?> weightColumns(GraphBuilder g, Map<String, ONNXRef<?>> w, DenseLayer l, int i, int from, int to) {
        if (l.rank() == 0) {
            return g.columns(w.get(ModelFormat.weightName(i)), from, to);
        }
        return g.op(OnnxOps.MATMUL, w.get(ModelFormat.factorUName(i)), g.columns(w.get(ModelFormat.factorVName(i)), from, to));
    }

    /**
     * The softmax score rule's term of one layer (paper 000): √(Σh²) of every row [N·L, 1], a softmax
     * over each image's L labels, back to [N·L, 1].
     */
    static ONNXRef<?> labelSoftmax(GraphBuilder g, ONNXRef<?> sumSquares, int labels) {
        ONNXRef<?> p = g.op(org.tribuo.util.onnx.ONNXOperators.SOFTMAX, Map.of("axis", 1),
                g.reshape(g.op(OnnxOps.SQRT, sumSquares), -1, labels));
        return g.reshape(p, -1, 1);
    }

    /** softplus(Σh²/width − θ), the per-layer term of the FF score. */
    static ONNXRef<?> goodnessSoftplus(GraphBuilder g, Model m, ONNXRef<?> sumSquares, int width) {
        ONNXRef<?> z = g.sub(g.mul(sumSquares, g.scalar(1f / width)), g.scalar(m.theta()));
        return g.op(OnnxOps.SOFTPLUS, z);
    }

    /**
     * FFNN+C: classifier logits on the concatenated FF activations for image ⊕ all-zero label (with the
     * overwrite encoding: the image with its first L values zeroed).
     */
    private static ONNXRef<?> ffnnClassifierLogits(GraphBuilder g, Model m, ONNXPlaceholder image,
            Map<String, ONNXRef<?>> w) {
        List<DenseLayer> layers = m.layers();
        LabelledInput in = labelledInput(g, m, image, w);
        // the label part is zero: ‖x‖ = ‖pixels‖ and the label columns contribute nothing
        ONNXRef<?> norm = g.add(g.op(OnnxOps.SQRT, g.sumSquares(in.pixels, 1)), g.scalar(m.normEpsilon()));
        ONNXRef<?> h = g.relu(g.add(g.div(in.pixelProduct, norm), w.get(ModelFormat.biasName(0))));
        ONNXRef<?>[] feats = new ONNXRef<?>[layers.size()];
        feats[0] = h;
        for (int i = 1; i < layers.size(); i++) {
            ONNXRef<?> n = g.add(g.op(OnnxOps.SQRT, g.sumSquares(h, 1)), g.scalar(m.normEpsilon()));
            h = g.relu(g.dense(g.div(h, n), w.get(ModelFormat.weightName(i)), w.get(ModelFormat.biasName(i))));
            feats[i] = h;
        }
        ONNXRef<?> f = feats.length == 1 ? feats[0] : g.op(ONNXOperators.CONCAT, Map.of("axis", 1), feats);
        return g.dense(f, w.get(ModelFormat.classifierWeightName()), w.get(ModelFormat.classifierBiasName()));
    }

    /** BPNN: ReLU MLP logits. */
    private static ONNXRef<?> bpnnLogits(GraphBuilder g, Model m, ONNXPlaceholder image, Map<String, ONNXRef<?>> w) {
        ONNXRef<?> h = image;
        for (int i = 0; i < m.layers().size(); i++) {
            DenseLayer l = m.layers().get(i);
            ONNXRef<?> b = w.get(ModelFormat.biasName(i));
            h = g.relu(l.rank() == 0 ? g.dense(h, w.get(ModelFormat.weightName(i)), b) : g.add(product(g, w, l, i, h, 0, l.in()), b));
        }
        return g.dense(h, w.get(ModelFormat.classifierWeightName()), w.get(ModelFormat.classifierBiasName()));
    }
}
