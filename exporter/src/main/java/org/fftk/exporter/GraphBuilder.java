package org.fftk.exporter;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.model.Tensor;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A thin layer over Tribuo's {@link ONNXContext}: short helpers for the operators fftk graphs use,
 * and exact names where the file format needs them. Tribuo makes every name unique by appending
 * "_N"; weight initializers and graph outputs must carry their contract names, so the built graph
 * is renamed afterwards ({@link #build}).
 */
final class GraphBuilder {
    private final ONNXContext ctx = new ONNXContext();
    /** Tribuo reference → exact name in the file. */
    private final Map<String, String> rename = new LinkedHashMap<>();
    private final Map<String, ONNXInitializer> longConsts = new HashMap<>();
    private final Map<Float, ONNXInitializer> floatConsts = new HashMap<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    /** Exact initializer name → int8 values that replace its placeholder data when the graph is built. */
    private final Map<String, byte[]> int8 = new HashMap<>();

    ONNXPlaceholder floatInput(String name, int width) {
        return ctx.floatInput(name, width);
    }

    /** A float32 initializer stored as raw_data under exactly the tensor's name. */
    ONNXInitializer weight(Tensor t) {
        List<Integer> dims = new ArrayList<>();
        for (long d : t.dims()) {
            dims.add(Math.toIntExact(d));
        }
        float[] data = t.data();
        ONNXInitializer init = ctx.floatTensor(t.name(), dims, fb -> fb.put(data));
        exactName(init, t.name());
        return init;
    }

    /**
     * An int8 weight matrix dequantised per row (axis 0) to float: initializers {@code NAME_quantized}
     * (INT8 {@code dims}: [rows, cols], or a conv layer's [out, in, k, k]), {@code NAME_scale} (FLOAT [rows]) and {@code NAME_zero_point} (INT8 [rows],
     * zeros: symmetric) and a DequantizeLinear node whose
     * output carries the weight's own name, so the rest of the graph reads it like a float weight.
     */
    ONNXRef<?> int8Weight(String name, long[] dims, byte[] values, float[] scales) {
        return int8Weight(name, dims, values, scales, 0);
    }

    /**
     * As above, with one scale per index of {@code axis} (0: per row; 1: per column, a factored
     * layer's U); {@code values} row-major in {@code dims}.
     */
    ONNXRef<?> int8Weight(String name, long[] dims, byte[] values, float[] scales, int axis) {
        String qName = ModelFormat.int8Name(name);
        long rows = dims[axis];
        List<Integer> shape = new ArrayList<>();
        for (long d : dims) {
            shape.add(Math.toIntExact(d));
        }
        // Tribuo builds float tensors only: a placeholder of the right shape, its data swapped in build()
        ONNXInitializer q = ctx.floatTensor(qName, shape, fb -> { });
        exactName(q, qName);
        int8.put(qName, values);
        ONNXInitializer s = weight(new Tensor(ModelFormat.scaleName(name), new long[] {rows}, scales));
        // the zero point is given (all zero) because its element type is what marks x as int8: without
        // it ONNX Runtime's optimiser assumes uint8 and refuses the graph (measured, ORT 1.20)
        String zName = ModelFormat.zeroPointName(name);
        ONNXInitializer z = ctx.floatTensor(zName, List.of(Math.toIntExact(rows)), fb -> { });
        exactName(z, zName);
        int8.put(zName, new byte[Math.toIntExact(rows)]);
        ONNXNode w = op(OnnxOps.DEQUANTIZE_LINEAR, Map.of("axis", axis), q, s, z);
        exactName(w, name);
        return w;
    }

    /** A small int64 vector constant (axes, shapes, slice bounds); shared by identical values. */
    ONNXInitializer longs(long... v) {
        String key = Arrays.toString(v);
        return longConsts.computeIfAbsent(key, k -> ctx.array("const_i64", v));
    }

    /** A float scalar constant; shared by identical values. */
    ONNXInitializer scalar(float v) {
        return floatConsts.computeIfAbsent(v, k -> ctx.constant("const_f32", v));
    }

    ONNXNode op(ONNXOperator op, ONNXRef<?>... inputs) {
        return op(op, Map.of(), inputs);
    }

    /** One node; attributes are written in name order (Map.of's order varies between JVM runs: files must not). */
    ONNXNode op(ONNXOperator op, Map<String, Object> attrs, ONNXRef<?>... inputs) {
        return ctx.operation(op, Arrays.asList(inputs), op.getOpName().toLowerCase(java.util.Locale.ROOT),
                new TreeMap<>(attrs));
    }

    ONNXNode add(ONNXRef<?> a, ONNXRef<?> b) {
        return op(ONNXOperators.ADD, a, b);
    }

    ONNXNode sub(ONNXRef<?> a, ONNXRef<?> b) {
        return op(ONNXOperators.SUB, a, b);
    }

    ONNXNode mul(ONNXRef<?> a, ONNXRef<?> b) {
        return op(ONNXOperators.MUL, a, b);
    }

    ONNXNode div(ONNXRef<?> a, ONNXRef<?> b) {
        return op(ONNXOperators.DIV, a, b);
    }

    ONNXNode relu(ONNXRef<?> a) {
        return op(OnnxOps.RELU, a);
    }

    /** x·Wᵀ (+ b) with W stored [out, in]. */
    ONNXNode dense(ONNXRef<?> x, ONNXRef<?> w, ONNXRef<?> b) {
        Map<String, Object> t = Map.of("transB", 1);
        return b == null ? op(ONNXOperators.GEMM, t, x, w) : op(ONNXOperators.GEMM, t, x, w, b);
    }

    /** Σ x² over one axis, keeping it (width 1). */
    ONNXNode sumSquares(ONNXRef<?> x, int axis) {
        return op(OnnxOps.REDUCE_SUM_SQUARE, Map.of("axes", new int[] {axis}, "keepdims", 1), x);
    }

    ONNXNode unsqueeze(ONNXRef<?> x, long axis) {
        return op(ONNXOperators.UNSQUEEZE, x, longs(axis));
    }

    ONNXNode reshape(ONNXRef<?> x, long... shape) {
        return op(OnnxOps.RESHAPE, x, longs(shape));
    }

    /** Columns [from, to) of a 2-D tensor. */
    ONNXNode columns(ONNXRef<?> x, long from, long to) {
        return op(OnnxOps.SLICE, x, longs(from), longs(to), longs(1));
    }

    /** Marks a value as a graph output of the given element type and shape (dims < 0 = "batch"). */
    void output(ONNXRef<?> value, String name, TensorProto.DataType type, long... dims) {
        exactName(value, name);
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            if (d < 0) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
        }
        TypeProto tp = TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)).build();
        outputs.add(ValueInfoProto.newBuilder().setName(name).setType(tp).build());
    }

    private void exactName(ONNXRef<?> ref, String name) {
        if (rename.containsValue(name)) {
            throw new IllegalStateException("two graph values named '" + name + "'");
        }
        rename.put(ref.getReference(), name);
    }

    /** The finished graph with exact names applied. */
    GraphProto build(String graphName) {
        ctx.setName(graphName);
        GraphProto.Builder g = ctx.buildGraph().toBuilder();
        Set<String> seen = new HashSet<>();
        for (TensorProto.Builder t : g.getInitializerBuilderList()) {
            t.setName(renamed(t.getName()));
            seen.add(t.getName());
            byte[] q = int8.get(t.getName());
            if (q != null) {
                t.clearFloatData().clearRawData().setDataType(TensorProto.DataType.INT8.getNumber())
                        .setRawData(com.google.protobuf.ByteString.copyFrom(q));
            }
        }
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                n.setInput(i, renamed(n.getInput(i)));
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                n.setOutput(i, renamed(n.getOutput(i)));
                if (!seen.add(n.getOutput(i))) {
                    throw new IllegalStateException("graph value '" + n.getOutput(i) + "' is defined twice");
                }
            }
        }
        g.clearOutput();
        g.addAllOutput(outputs);
        return g.build();
    }

    private String renamed(String s) {
        return rename.getOrDefault(s, s);
    }
}
