package org.fftk.edge.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one description of an fftk network's shapes by architecture (docs/algorithms.md,
 * "Architectures"), used by the model, the model file, the exporter and the trainer. With D the
 * image width, L the number of labels and widths w_0..w_{n−1}:
 * <ul>
 *   <li>ffnn, ffnn-c: layer 0 reads D + L values (image ⊕ one-hot label), or D when the label
 *       overwrites the image's first values ({@link Model#LABEL_ENCODING_OVERWRITE}); ffrnn, bpnn: D;
 *       layer i &gt; 0 reads w_{i−1};</li>
 *   <li>ffrnn: layer i also has backward weights reading the layer above, w_{i+1}, and the top
 *       layer's read the label, L;</li>
 *   <li>classifier: ffnn-c's reads every FF layer concatenated in layer order (Σ w_i), bpnn's output
 *       layer reads the last hidden layer (w_{n−1}); ffcnn-c's every conv layer but the first, bpcnn's
 *       the last (feature maps flattened); ffnn, ffrnn and ffcnn have none.</li>
 * </ul>
 * The parameters, in their one fixed order (ONNX initializers, trainer variables, {@link Model#parameters()}):
 * per layer {@code layer<i>.weight} [w_i, in], {@code layer<i>.bias} [w_i], for ffrnn
 * {@code layer<i>.backward_weight} [w_i, above]; then {@code classifier.weight} [L, in] and
 * {@code classifier.bias} [L]. Weights are PyTorch's [out, in] layout, row-major. A factored
 * (low-rank) layer i of rank r holds {@code layer<i>.weight_u} [w_i, r] and {@code layer<i>.weight_v}
 * [r, in] in place of {@code layer<i>.weight} (W = U·V; docs/algorithms.md "Low-rank layers").
 */
public final class Layout {
    private Layout() {
    }

    /** One parameter tensor: its name and shape. */
    public static final class Param {
        private final String name;
        private final long[] dims;

        Param(String name, long... dims) {
            this.name = name;
            this.dims = dims;
        }

        /** The ONNX initializer name, e.g. {@code layer0.weight}. */
        public String name() {
            return name;
        }

        public long[] dims() {
            return dims.clone();
        }

        /** Number of values. */
        public int size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return Math.toIntExact(n);
        }
    }

    /** What hidden layer {@code layer} reads, with the label concatenated (ffnn, ffnn-c). */
    public static int layerInput(Architecture a, int inputSize, int labels, int[] widths, int layer) {
        return layerInput(a, inputSize, labels, widths, layer, Model.LABEL_ENCODING_CONCAT);
    }

    /** What hidden layer {@code layer} reads under a model's label encoding. */
    public static int layerInput(Architecture a, int inputSize, int labels, int[] widths, int layer, String labelEncoding) {
        if (layer > 0) {
            return widths[layer - 1];
        }
        boolean appended = (a == Architecture.FFNN || a == Architecture.FFNN_C)
                && !Model.LABEL_ENCODING_OVERWRITE.equals(labelEncoding);
        return appended ? inputSize + labels : inputSize;
    }

    /** What layer {@code layer}'s backward weights read (ffrnn), or 0 when it has none. */
    public static int backwardInput(Architecture a, int labels, int[] widths, int layer) {
        if (a != Architecture.FFRNN) {
            return 0;
        }
        return layer + 1 < widths.length ? widths[layer + 1] : labels;
    }

    /** What the classifier reads, or 0 when the architecture has none. */
    public static int classifierInput(Architecture a, int[] widths) {
        return classifierInput(a, widths, null);
    }

    /**
     * What the classifier reads, or 0 when the architecture has none; bpcnn's output layer reads the
     * last conv layer's feature maps flattened channel-major (C·H·W, ONNX's Flatten of NCHW);
     * ffcnn-c's classifier reads layers 1..n−1 flattened so, concatenated in layer order.
     */
    public static int classifierInput(Architecture a, int[] widths, ConvShape conv) {
        switch (a) {
            case BPCNN:
                if (conv == null) {
                    throw new IllegalArgumentException("bpcnn needs a conv shape");
                }
                return Math.toIntExact(conv.units(widths.length - 1, widths));
            case FFCNN_C: {
                if (conv == null) {
                    throw new IllegalArgumentException("ffcnn-c needs a conv shape");
                }
                long s = 0;
                for (int l = 1; l < widths.length; l++) {
                    s += conv.units(l, widths);
                }
                return Math.toIntExact(s);
            }
            case FFNN_C: {
                int s = 0;
                for (int w : widths) {
                    s += w;
                }
                return s;
            }
            case BPNN:
                return widths[widths.length - 1];
            default:
                return 0;
        }
    }

    /** Every parameter tensor of a dense network, in the fixed order (see the class comment). */
    public static List<Param> parameters(Architecture a, int inputSize, int labels, int[] widths) {
        return parameters(a, inputSize, labels, widths, null);
    }

    /** Every parameter tensor of a model, in the fixed order. */
    public static List<Param> parameters(Model m) {
        return parameters(m.architecture(), m.inputSize(), m.numLabels(), m.widths(), m.conv(), m.labelEncoding(), m.ranks());
    }

    /** As below, with the label concatenated (ffnn, ffnn-c). */
    public static List<Param> parameters(Architecture a, int inputSize, int labels, int[] widths, ConvShape conv) {
        return parameters(a, inputSize, labels, widths, conv, Model.LABEL_ENCODING_CONCAT);
    }

    /**
     * Every parameter tensor of a network, in the fixed order; for ffcnn ({@code conv} given) layer
     * i's weight is ONNX Conv's [w_i, in_channels, k, k].
     */
    public static List<Param> parameters(Architecture a, int inputSize, int labels, int[] widths, ConvShape conv,
                                         String labelEncoding) {
        return parameters(a, inputSize, labels, widths, conv, labelEncoding, null);
    }

    /**
     * As above, with per-layer ranks ({@code ranks[i]} &gt; 0: layer i is factored, 0: full; null: all
     * full).
     */
    public static List<Param> parameters(Architecture a, int inputSize, int labels, int[] widths, ConvShape conv,
                                         String labelEncoding, int[] ranks) {
        checkRanks(a, inputSize, labels, widths, labelEncoding, ranks);
        if (a.isConv() != (conv != null)) {
            throw new IllegalArgumentException(a.isConv() ? a + " needs a conv shape" : a + " has no conv shape");
        }
        List<Param> p = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            if (conv != null) {
                p.add(new Param(ModelFormat.weightName(i), widths[i], conv.inChannels(i, widths), conv.kernel(i), conv.kernel(i)));
                p.add(new Param(ModelFormat.biasName(i), widths[i]));
                continue;
            }
            int in = layerInput(a, inputSize, labels, widths, i, labelEncoding);
            int r = ranks == null ? 0 : ranks[i];
            if (r > 0) {
                p.add(new Param(ModelFormat.factorUName(i), widths[i], r));
                p.add(new Param(ModelFormat.factorVName(i), r, in));
            } else {
                p.add(new Param(ModelFormat.weightName(i), widths[i], in));
            }
            p.add(new Param(ModelFormat.biasName(i), widths[i]));
            int back = backwardInput(a, labels, widths, i);
            if (back > 0) {
                p.add(new Param(ModelFormat.backwardWeightName(i), widths[i], back));
            }
        }
        int c = classifierInput(a, widths, conv);
        if (c > 0) {
            p.add(new Param(ModelFormat.classifierWeightName(), labels, c));
            p.add(new Param(ModelFormat.classifierBiasName(), labels));
        }
        return Collections.unmodifiableList(p);
    }

    /**
     * Checks per-layer ranks: null, or one per layer, each 0 (full) or 1..min(out, in); factored
     * layers are for ffnn and bpnn (a classifier or output layer is never factored).
     */
    static void checkRanks(Architecture a, int inputSize, int labels, int[] widths, String labelEncoding, int[] ranks) {
        if (ranks == null) {
            return;
        }
        if (ranks.length != widths.length) {
            throw new IllegalArgumentException(ranks.length + " ranks for " + widths.length + " hidden layers");
        }
        for (int i = 0; i < ranks.length; i++) {
            if (ranks[i] == 0) {
                continue;
            }
            if (a != Architecture.FFNN && a != Architecture.BPNN) {
                throw new IllegalArgumentException("low-rank (factored) layers are for ffnn and bpnn, not " + a);
            }
            int in = layerInput(a, inputSize, labels, widths, i, labelEncoding);
            if (ranks[i] < 0 || ranks[i] > Math.min(widths[i], in)) {
                throw new IllegalArgumentException("layer " + i + " rank must be 0 (full) or 1.." + Math.min(widths[i], in)
                        + ", got " + ranks[i]);
            }
        }
    }

    /** A model's parameter values in the fixed order (copies). */
    static List<float[]> values(Model m) {
        List<float[]> v = new ArrayList<>();
        for (DenseLayer l : m.layers()) {
            if (l.rank() > 0) {
                v.add(l.factorU());
                v.add(l.factorV());
            } else {
                v.add(l.weights());
            }
            v.add(l.biases());
            if (l.hasBackward()) {
                v.add(l.backWeights());
            }
        }
        if (m.classifier() != null) {
            v.add(m.classifier().weights());
            v.add(m.classifier().biases());
        }
        return v;
    }

    /** Layers and classifier from parameter values in the fixed order, checked against the shapes. */
    static void build(Model.Builder b, Architecture a, int inputSize, int labels, int[] widths, List<float[]> values,
                      ConvShape conv, String labelEncoding, int[] ranks) {
        List<Param> ps = parameters(a, inputSize, labels, widths, conv, labelEncoding, ranks);
        if (values.size() != ps.size()) {
            throw new IllegalArgumentException(a + " with " + widths.length + " hidden layers has " + ps.size()
                    + " parameter tensors, got " + values.size());
        }
        for (int i = 0; i < ps.size(); i++) {
            if (values.get(i).length != ps.get(i).size()) {
                throw new IllegalArgumentException("parameter " + ps.get(i).name() + " needs " + ps.get(i).size()
                        + " values, got " + values.get(i).length);
            }
        }
        List<DenseLayer> layers = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < widths.length; i++) {
            int in = conv != null ? conv.layerInput(i, widths) : layerInput(a, inputSize, labels, widths, i, labelEncoding);
            int back = backwardInput(a, labels, widths, i);
            int r = ranks == null ? 0 : ranks[i];
            if (r > 0) {
                float[] u = values.get(k++);
                float[] v = values.get(k++);
                layers.add(DenseLayer.factored(widths[i], in, r, u, v, values.get(k++)));
                continue;
            }
            float[] w = values.get(k++);
            float[] bias = values.get(k++);
            layers.add(back > 0 ? new DenseLayer(widths[i], in, w, bias, back, values.get(k++))
                    : new DenseLayer(widths[i], in, w, bias));
        }
        b.layers(layers);
        int c = classifierInput(a, widths, conv);
        b.classifier(c > 0 ? new DenseLayer(labels, c, values.get(k), values.get(k + 1)) : null);
    }
}
