package org.fftk.exporter;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * Standard ONNX operators (domain ai.onnx, semantics of opset {@value #OPSET}) that Tribuo's
 * {@link org.tribuo.util.onnx.ONNXOperators} lacks. Only the attributes fftk uses are declared.
 */
enum OnnxOps implements ONNXOperator {
    MATMUL("MatMul", 2),
    RELU("Relu", 1),
    SQRT("Sqrt", 1),
    EXP("Exp", 1),
    LOG("Log", 1),
    ABS("Abs", 1),
    SOFTPLUS("Softplus", 1),
    MAX("Max", ONNXAttribute.VARIADIC_INPUT),
    /** Opset 13–17 form: axes is an attribute (it becomes an input in opset 18). */
    REDUCE_SUM_SQUARE("ReduceSumSquare", 1, ints("axes", false), i("keepdims", false)),
    /** Opset 13–17 form, as ReduceSumSquare. */
    REDUCE_MAX("ReduceMax", 1, ints("axes", false), i("keepdims", false)),
    /** Opset 13–17 form, as ReduceSumSquare. */
    REDUCE_MEAN("ReduceMean", 1, ints("axes", false), i("keepdims", false)),
    /** data, starts, ends, [axes, steps]. */
    SLICE("Slice", 3, 2),
    RESHAPE("Reshape", 2, i("allowzero", false)),
    /** input, shape (broadcast to). */
    EXPAND("Expand", 2),
    TRANSPOSE("Transpose", 1, ints("perm", false)),
    ARGMAX("ArgMax", 1, i("axis", false), i("keepdims", false), i("select_last_index", false)),
    ARGMIN("ArgMin", 1, i("axis", false), i("keepdims", false), i("select_last_index", false)),
    /** X, W, [B]: 2-D convolution (NCHW, weights [out, in, kH, kW]). */
    CONV("Conv", 2, 1, ints("kernel_shape", false), ints("pads", false), ints("strides", false)),
    /** x (int8), x_scale (per axis), [x_zero_point]: y = (x − zero_point) · scale along {@code axis}. */
    DEQUANTIZE_LINEAR("DequantizeLinear", 2, 1, i("axis", false));

    /** The opset this enum's operator definitions follow (and the exporter declares). */
    static final int OPSET = 17;

    private final String opName;
    private final int numInputs;
    private final int numOptionalInputs;
    private final Map<String, ONNXAttribute> attributes;
    private final Set<String> mandatory;

    OnnxOps(String opName, int numInputs, ONNXAttribute... attrs) {
        this(opName, numInputs, 0, attrs);
    }

    OnnxOps(String opName, int numInputs, int numOptionalInputs, ONNXAttribute... attrs) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
        Map<String, ONNXAttribute> m = new LinkedHashMap<>();
        Set<String> mand = new LinkedHashSet<>();
        for (ONNXAttribute a : attrs) {
            m.put(a.getName(), a);
            if (a.isMandatory()) {
                mand.add(a.getName());
            }
        }
        this.attributes = Collections.unmodifiableMap(m);
        this.mandatory = Collections.unmodifiableSet(mand);
    }

    private static ONNXAttribute i(String name, boolean mandatory) {
        return new ONNXAttribute(name, AttributeType.INT, mandatory);
    }

    private static ONNXAttribute ints(String name, boolean mandatory) {
        return new ONNXAttribute(name, AttributeType.INTS, mandatory);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return numOptionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return mandatory;
    }

    @Override
    public int getOpVersion() {
        return OPSET;
    }

    /** Null = the default ONNX domain, as Tribuo's own operators do (nodes get no domain field). */
    @Override
    public String getOpDomain() {
        return null;
    }
}
