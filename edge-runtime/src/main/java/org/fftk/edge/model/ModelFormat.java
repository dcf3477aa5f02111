package org.fftk.edge.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract between the ONNX writer (exporter) and every reader (edge runtime, pruner, CLI):
 * the initializer names and shapes, and the {@code metadata_props} keys of docs/algorithms.md "Model file".
 *
 * <p>Initializers (PyTorch layout, [out, in]):
 * {@code layer<i>.weight}, {@code layer<i>.bias}, {@code layer<i>.backward_weight} (ffrnn, [out, above]),
 * {@code classifier.weight}, {@code classifier.bias} (bpnn output, ffnn-c classifier).
 * The graph may hold other constants (shapes, slice indices, one-hot table), which readers ignore.
 */
public final class ModelFormat {
    /** Version of this layout; readers refuse files with a newer major version. */
    public static final String FORMAT_VERSION = "1";

    public static final String KEY_FORMAT = "fftk.format_version";
    public static final String KEY_ARCHITECTURE = "fftk.architecture";
    public static final String KEY_INPUT_SIZE = "fftk.input_size";
    public static final String KEY_NUM_LABELS = "fftk.num_labels";
    public static final String KEY_WIDTHS = "fftk.widths";
    public static final String KEY_THETA = "fftk.theta";
    public static final String KEY_OBJECTIVE = "fftk.objective";
    public static final String KEY_LABEL_ENCODING = "fftk.label_encoding";
    public static final String KEY_NORM_EPSILON = "fftk.norm_epsilon";
    public static final String KEY_BETA = "fftk.ffrnn.beta";
    public static final String KEY_TRAIN_FRAMES = "fftk.ffrnn.train_frames";
    public static final String KEY_TEST_FRAMES = "fftk.ffrnn.test_frames";
    /** FFRNN frame 0 from a constant state s (FFLib's start, {@link Model#startState()}); absent: fftk's bottom-up start. */
    public static final String KEY_START_STATE = "fftk.ffrnn.start_state";
    /** The dataset the model was trained on (mnist, fashion-mnist, cifar10); absent when unknown. */
    public static final String KEY_DATASET = "fftk.dataset";
    /** The labels' names, comma-separated in label order; absent when unknown. */
    public static final String KEY_CLASSES = "fftk.classes";
    /** "int8" when every weight matrix is stored as int8 with per-row scales; absent for float32. */
    public static final String KEY_WEIGHTS = "fftk.weights";
    /**
     * Per hidden layer, the rank of its factored weight (0: full), e.g. "64,32"; absent when no layer
     * is factored (docs/algorithms.md "Low-rank layers").
     */
    public static final String KEY_RANKS = "fftk.ranks";
    public static final String WEIGHTS_INT8 = "int8";
    /** ffcnn (docs/algorithms.md "FF-CNN"): the image as "C,H,W". */
    public static final String KEY_CNN_INPUT = "fftk.cnn.input_shape";
    /** ffcnn: per conv layer, comma-separated: square kernel side, stride, zero padding on every side. */
    public static final String KEY_CNN_KERNELS = "fftk.cnn.kernels";
    public static final String KEY_CNN_STRIDES = "fftk.cnn.strides";
    public static final String KEY_CNN_PADS = "fftk.cnn.pads";
    /** ffcnn: the label's share K of the input, (1 − K)·x + K·p_c. */
    public static final String KEY_CNN_LABEL_INTENSITY = "fftk.cnn.label_intensity";
    /** ffcnn: the first layer (0-based) whose goodness counts in the score. */
    public static final String KEY_CNN_SCORE_FROM = "fftk.cnn.score_from";
    /** ffnn, ffcnn: the score rule, {@code softmax}; absent means {@code sum}. */
    public static final String KEY_SCORE_RULE = "fftk.score_rule";
    /** ffcnn: the initializer holding the label patterns, [L, C, H, W]. */
    public static final String LABEL_PATTERNS = "label.patterns";
    /**
     * ffcnn with morphological labels: the initializer holding each label's source index per input
     * value, [L, C, H, W], as float32 (exact: indices stay below 2^24); C·H·W means zero.
     */
    public static final String LABEL_MAPS = "label.maps";
    /** JSON object: dataset, seed, epochs, accuracy, pruning history, ... */
    public static final String KEY_PROVENANCE = "fftk.provenance";

    /** ONNX graph input and output names (docs/algorithms.md "Model file"). */
    public static final String INPUT_IMAGE = "image";
    public static final String OUTPUT_SCORES = "scores";
    public static final String OUTPUT_LABEL = "label";

    public static final String CLASSIFIER = "classifier";

    private ModelFormat() {
    }

    public static String weightName(int layer) {
        return "layer" + layer + ".weight";
    }

    public static String biasName(int layer) {
        return "layer" + layer + ".bias";
    }

    public static String backwardWeightName(int layer) {
        return "layer" + layer + ".backward_weight";
    }

    /** Factor U [out, rank] of a factored (low-rank) layer: {@code layer0.weight_u}. */
    public static String factorUName(int layer) {
        return weightName(layer) + "_u";
    }

    /** Factor V [rank, in] of a factored layer: {@code layer0.weight_v}. */
    public static String factorVName(int layer) {
        return weightName(layer) + "_v";
    }

    /** The int8 initializer of a weight matrix stored as int8: {@code layer0.weight_quantized}. */
    public static String int8Name(String weight) {
        return weight + "_quantized";
    }

    /** Its per-row float scales: {@code layer0.weight_scale}. */
    public static String scaleName(String weight) {
        return weight + "_scale";
    }

    /** Its zero points, all zero (symmetric quantisation): {@code layer0.weight_zero_point}. */
    public static String zeroPointName(String weight) {
        return weight + "_zero_point";
    }

    /** An int8 initializer as read from a file. */
    public static final class Int8Tensor {
        private final long[] dims;
        private final byte[] values;

        public Int8Tensor(long[] dims, byte[] values) {
            this.dims = dims.clone();
            this.values = values;
        }

        public long[] dims() {
            return dims.clone();
        }

        /** Not copied: do not modify. */
        public byte[] values() {
            return values;
        }
    }

    public static String classifierWeightName() {
        return CLASSIFIER + ".weight";
    }

    public static String classifierBiasName() {
        return CLASSIFIER + ".bias";
    }

    /** The metadata_props of a model, in a stable order. */
    public static Map<String, String> metadata(Model m) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(KEY_FORMAT, FORMAT_VERSION);
        p.put(KEY_ARCHITECTURE, m.architecture().id());
        p.put(KEY_INPUT_SIZE, Integer.toString(m.inputSize()));
        p.put(KEY_NUM_LABELS, Integer.toString(m.numLabels()));
        p.put(KEY_WIDTHS, joinInts(m.widths()));
        p.put(KEY_THETA, Float.toString(m.theta()));
        p.put(KEY_OBJECTIVE, m.objective().id());
        p.put(KEY_LABEL_ENCODING, m.labelEncoding());
        p.put(KEY_NORM_EPSILON, Float.toString(m.normEpsilon()));
        if (m.isInt8()) {
            p.put(KEY_WEIGHTS, WEIGHTS_INT8);
        }
        if (m.isFactored()) {
            p.put(KEY_RANKS, joinInts(m.ranks()));
        }
        if (!m.dataset().isEmpty()) {
            p.put(KEY_DATASET, m.dataset());
        }
        if (!m.classes().isEmpty()) {
            p.put(KEY_CLASSES, String.join(",", m.classes()));
        }
        if (m.architecture() == Architecture.FFRNN) {
            p.put(KEY_BETA, Float.toString(m.beta()));
            p.put(KEY_TRAIN_FRAMES, Integer.toString(m.trainFrames()));
            p.put(KEY_TEST_FRAMES, m.testFrameLow() + ".." + m.testFrameHigh());
            if (m.hasConstantStart()) {
                p.put(KEY_START_STATE, Float.toString(m.startState()));
            }
        }
        ConvShape c = m.conv();
        if (c != null) {
            p.put(KEY_CNN_INPUT, c.channels() + "," + c.height() + "," + c.width());
            p.put(KEY_CNN_KERNELS, joinInts(c.kernels()));
            p.put(KEY_CNN_STRIDES, joinInts(c.strides()));
            p.put(KEY_CNN_PADS, joinInts(c.pads()));
            if (m.architecture().isFfConv()) {
                p.put(KEY_CNN_LABEL_INTENSITY, Float.toString(m.labelIntensity()));
                p.put(KEY_CNN_SCORE_FROM, Integer.toString(m.scoreFrom()));
            }
        }
        if (!Model.SCORE_SUM.equals(m.scoreRule())) {
            p.put(KEY_SCORE_RULE, m.scoreRule());
        }
        p.put(KEY_PROVENANCE, m.provenance());
        return p;
    }

    /** The weight tensors of a model, named and shaped by {@link Layout}, in file order. */
    public static List<Tensor> tensors(Model m) {
        List<Layout.Param> ps = Layout.parameters(m);
        List<float[]> vs = m.parameters();
        List<Tensor> t = new ArrayList<>();
        for (int i = 0; i < ps.size(); i++) {
            t.add(new Tensor(ps.get(i).name(), ps.get(i).dims(), vs.get(i)));
        }
        if (m.labelPatterns() != null) {
            t.add(patternTensor(m));
        }
        if (m.labelMaps() != null) {
            ConvShape c = m.conv();
            int[] maps = m.labelMaps();
            float[] v = new float[maps.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = maps[i];
            }
            t.add(new Tensor(LABEL_MAPS, new long[] {m.numLabels(), c.channels(), c.height(), c.width()}, v));
        }
        return t;
    }

    /** ffcnn's label patterns as the initializer {@link #LABEL_PATTERNS}, [L, C, H, W]. */
    public static Tensor patternTensor(Model m) {
        ConvShape c = m.conv();
        return new Tensor(LABEL_PATTERNS, new long[] {m.numLabels(), c.channels(), c.height(), c.width()}, m.labelPatterns());
    }

    /**
     * Rebuilds a model from its metadata and initializers.
     *
     * @throws ModelFormatException naming the first missing key, missing tensor or wrong shape
     */
    public static Model fromParts(Map<String, String> meta, Map<String, Tensor> tensors) {
        return fromParts(meta, tensors, Map.of());
    }

    /**
     * As {@link #fromParts(Map, Map)}, with the file's int8 initializers: a model whose metadata says
     * {@code fftk.weights = int8} stores each weight matrix as {@link #int8Name} [rows, cols] and
     * {@link #scaleName} [rows] instead of a float32 initializer.
     */
    public static Model fromParts(Map<String, String> meta, Map<String, Tensor> tensors,
                                  Map<String, Int8Tensor> int8) {
        String version = require(meta, KEY_FORMAT);
        if (!FORMAT_VERSION.equals(version)) {
            throw new ModelFormatException("model format version " + version + " is not supported (this fftk reads "
                    + FORMAT_VERSION + ")");
        }
        try {
            Architecture arch = Architecture.fromId(require(meta, KEY_ARCHITECTURE));
            int d = parseInt(meta, KEY_INPUT_SIZE);
            int labels = parseInt(meta, KEY_NUM_LABELS);
            int[] widths = parseInts(meta, KEY_WIDTHS);
            Model.Builder b = Model.builder(arch).inputSize(d).numLabels(labels)
                    .theta(Float.parseFloat(require(meta, KEY_THETA)))
                    .objective(Objective.fromId(require(meta, KEY_OBJECTIVE)))
                    .labelEncoding(require(meta, KEY_LABEL_ENCODING))
                    .normEpsilon(Float.parseFloat(require(meta, KEY_NORM_EPSILON)))
                    .provenance(meta.getOrDefault(KEY_PROVENANCE, "{}"))
                    .dataset(meta.getOrDefault(KEY_DATASET, ""));
            String classes = meta.get(KEY_CLASSES);
            if (classes != null) {
                b.classes(Arrays.asList(classes.split(",", -1)));
            }
            b.scoreRule(meta.getOrDefault(KEY_SCORE_RULE, Model.SCORE_SUM));
            if (arch == Architecture.FFRNN) {
                b.beta(Float.parseFloat(require(meta, KEY_BETA)));
                b.trainFrames(parseInt(meta, KEY_TRAIN_FRAMES));
                String[] fr = require(meta, KEY_TEST_FRAMES).split("\\.\\.");
                if (fr.length != 2) {
                    throw new ModelFormatException("metadata " + KEY_TEST_FRAMES + " must look like 3..8");
                }
                b.testFrames(Integer.parseInt(fr[0].trim()), Integer.parseInt(fr[1].trim()));
                String start = meta.get(KEY_START_STATE);
                if (start != null) {
                    b.startState(Float.parseFloat(start));
                }
            }
            ConvShape conv = null;
            if (arch.isConv()) {
                int[] in = parseInts(meta, KEY_CNN_INPUT);
                if (in.length != 3) {
                    throw new ModelFormatException("metadata " + KEY_CNN_INPUT + " must look like 1,28,28");
                }
                conv = new ConvShape(in[0], in[1], in[2], parseInts(meta, KEY_CNN_KERNELS), parseInts(meta, KEY_CNN_STRIDES),
                        parseInts(meta, KEY_CNN_PADS));
                b.conv(conv);
                if (arch.isFfConv()) {
                    b.labelIntensity(Float.parseFloat(require(meta, KEY_CNN_LABEL_INTENSITY)))
                            .scoreFrom(parseInt(meta, KEY_CNN_SCORE_FROM));
                    if (Model.LABEL_ENCODING_MORPHOLOGY.equals(meta.get(KEY_LABEL_ENCODING))) {
                        float[] v = take(tensors, LABEL_MAPS, labels, in[0], in[1], in[2]);
                        int[] maps = new int[v.length];
                        for (int i = 0; i < v.length; i++) {
                            if (!(v[i] >= 0 && v[i] <= d && v[i] == Math.rint(v[i]))) {
                                throw new ModelFormatException(LABEL_MAPS + " must hold whole input indices 0.." + d + ", got " + v[i]);
                            }
                            maps[i] = (int) v[i];
                        }
                        b.labelMaps(maps);
                    } else {
                        b.labelPatterns(take(tensors, LABEL_PATTERNS, labels, in[0], in[1], in[2]));
                    }
                }
                if (conv.depth() != widths.length) {
                    throw new ModelFormatException("metadata gives " + widths.length + " widths but " + conv.depth() + " conv kernels");
                }
            }
            String weights = meta.getOrDefault(KEY_WEIGHTS, "float32");
            boolean q8 = WEIGHTS_INT8.equals(weights);
            if (!q8 && !"float32".equals(weights)) {
                throw new ModelFormatException("metadata " + KEY_WEIGHTS + " is '" + weights + "' (this fftk reads float32 and int8)");
            }
            int[] ranks = meta.containsKey(KEY_RANKS) ? parseInts(meta, KEY_RANKS) : null;
            if (ranks != null && ranks.length != widths.length) {
                throw new ModelFormatException("metadata " + KEY_RANKS + " gives " + ranks.length + " ranks for "
                        + widths.length + " hidden layers");
            }
            List<float[]> values = new ArrayList<>();
            Map<String, DenseLayer.Int8> quantized = new java.util.HashMap<>();
            for (Layout.Param p : Layout.parameters(arch, d, labels, widths, conv, meta.get(KEY_LABEL_ENCODING), ranks)) {
                long[] dims = p.dims();
                if (q8 && dims.length >= 2) {
                    DenseLayer.Int8 w = p.name().endsWith("_u") ? takeInt8Columns(int8, tensors, p.name(), dims)
                            : takeInt8(int8, tensors, p.name(), dims);
                    quantized.put(p.name(), w);
                    values.add(new float[p.size()]); // shapes only: the int8 layers replace these below
                } else {
                    values.add(take(tensors, p.name(), dims));
                }
            }
            b.parameters(widths, ranks, values);
            if (q8) {
                Model f = b.build();
                List<DenseLayer> ls = new ArrayList<>();
                for (int i = 0; i < widths.length; i++) {
                    DenseLayer l = f.layers().get(i);
                    if (l.rank() > 0) {
                        ls.add(DenseLayer.factored(l.out(), l.in(), l.rank(), quantized.get(factorUName(i)),
                                quantized.get(factorVName(i)), l.biases()));
                        continue;
                    }
                    ls.add(new DenseLayer(l.out(), l.in(), quantized.get(weightName(i)), l.biases(), l.backIn(),
                            l.hasBackward() ? quantized.get(backwardWeightName(i)) : null));
                }
                b.layers(ls);
                DenseLayer c = f.classifier();
                if (c != null) {
                    b.classifier(new DenseLayer(c.out(), c.in(), quantized.get(classifierWeightName()), c.biases(), 0, null));
                }
            }
            return b.build();
        } catch (NumberFormatException e) {
            throw new ModelFormatException("malformed number in model metadata: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            if (e instanceof ModelFormatException) {
                throw e;
            }
            throw new ModelFormatException(e.getMessage());
        }
    }

    private static float[] take(Map<String, Tensor> tensors, String name, long... dims) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException("model file has no initializer '" + name + "'");
        }
        if (!Arrays.equals(t.dims(), dims)) {
            throw new ModelFormatException("initializer '" + name + "' has shape " + t.shapeString() + ", expected "
                    + Arrays.toString(dims));
        }
        return t.data();
    }

    /**
     * A factored layer's int8 U: {@link #int8Name} [out, r] with one scale per column ([r],
     * DequantizeLinear axis 1), returned as Uᵀ (r × out) with one scale per row, as
     * {@link DenseLayer#factored(int, int, int, DenseLayer.Int8, DenseLayer.Int8, float[])} takes it.
     */
    private static DenseLayer.Int8 takeInt8Columns(Map<String, Int8Tensor> int8, Map<String, Tensor> tensors, String name,
                                                   long[] dims) {
        Int8Tensor q = checkedInt8(int8, name, dims);
        byte[] t = DenseLayer.transpose(q.values(), Math.toIntExact(dims[0]), Math.toIntExact(dims[1]));
        return new DenseLayer.Int8(t, take(tensors, scaleName(name), dims[1]));
    }

    private static DenseLayer.Int8 takeInt8(Map<String, Int8Tensor> int8, Map<String, Tensor> tensors, String name,
                                            long[] dims) {
        Int8Tensor q = checkedInt8(int8, name, dims);
        return new DenseLayer.Int8(q.values(), take(tensors, scaleName(name), dims[0]));
    }

    /** The int8 initializer of weight {@code name}, checked for its shape and an all-zero zero point. */
    private static Int8Tensor checkedInt8(Map<String, Int8Tensor> int8, String name, long[] dims) {
        Int8Tensor q = int8.get(int8Name(name));
        if (q == null) {
            throw new ModelFormatException("int8 model file has no int8 initializer '" + int8Name(name) + "'");
        }
        if (!Arrays.equals(q.dims(), dims)) {
            throw new ModelFormatException("initializer '" + int8Name(name) + "' has shape " + Arrays.toString(q.dims())
                    + ", expected " + Arrays.toString(dims));
        }
        Int8Tensor z = int8.get(zeroPointName(name));
        if (z != null) {
            for (byte b : z.values()) {
                if (b != 0) {
                    throw new ModelFormatException("initializer '" + zeroPointName(name) + "' is not all zero: fftk's int8 "
                            + "weights are symmetric");
                }
            }
        }
        return q;
    }

    private static String require(Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw new ModelFormatException("model metadata lacks '" + key + "' (not an fftk model?)");
        }
        return v;
    }

    private static int parseInt(Map<String, String> meta, String key) {
        return Integer.parseInt(require(meta, key).trim());
    }

    private static int[] parseInts(Map<String, String> meta, String key) {
        String[] parts = require(meta, key).split(",");
        int[] r = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            r[i] = Integer.parseInt(parts[i].trim());
        }
        return r;
    }

    public static String joinInts(int[] v) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(v[i]);
        }
        return s.toString();
    }
}
