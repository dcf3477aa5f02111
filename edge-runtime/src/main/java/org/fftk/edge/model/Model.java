package org.fftk.edge.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An fftk network in memory: architecture, layer weights, and the settings inference needs
 * (docs/algorithms.md "FF layer", "Architectures", §7). Immutable; use {@link #toBuilder()} to derive a changed copy.
 *
 * <p>Layer conventions, by architecture (D = image width, L = number of labels):
 * <ul>
 *   <li>{@code ffnn}: {@link #layers()} are the FF layers, layer 0 reads D + L (image ⊕ one-hot label);
 *       no classifier.</li>
 *   <li>{@code ffnn-c}: as ffnn, plus {@link #classifier()} (L × Σ widths) reading every FF layer's
 *       activations concatenated in layer order.</li>
 *   <li>{@code ffrnn}: layer i has forward weights reading layer i−1 (layer 0 reads the image, D) and
 *       backward weights reading layer i+1 (the last hidden layer's read the L-wide label).</li>
 *   <li>{@code bpnn}: hidden ReLU layers from D, {@link #classifier()} is the output layer.</li>
 * </ul>
 */
public final class Model {
    /** Normalisation epsilon of docs/algorithms.md "FF layer": x / (‖x‖₂ + eps). */
    public static final float DEFAULT_NORM_EPSILON = 1e-4f;
    public static final String LABEL_ENCODING_CONCAT = "concat";
    /**
     * ffnn, ffnn-c (paper 000): the label overwrites the image's first L values (the top-left corner of
     * an MNIST image): they are set to 0, then value c to the image's largest remaining value, so layer 0
     * reads D values, not D + L (docs/algorithms.md "Label encoding").
     */
    public static final String LABEL_ENCODING_OVERWRITE = "overwrite";
    /** The goodness score as each architecture defines it: ffnn Σ_l softplus(z_l), ffcnn Σ_l Σ h² (paper 002). */
    public static final String SCORE_SUM = "sum";
    /**
     * ffnn's and ffcnn's other score: Σ over the scored layers of softmax over the labels of the layer's
     * ℓ2 norm ‖h_l‖ (paper 000: every layer contributes equally; docs/algorithms.md "Prediction").
     */
    public static final String SCORE_SOFTMAX = "softmax";
    /** ffcnn: the label is a pattern mixed into the image, x' = (1 − K)·x + K·p_c (docs/algorithms.md "FF-CNN"). */
    public static final String LABEL_ENCODING_PATTERN = "pattern";
    /**
     * ffcnn: label c is a fixed geometric transformation of the image, x'_c[i] = x[map_c[i]] (0 where
     * map_c[i] = D, outside the image) (docs/algorithms.md "FF-CNN", morphological labels).
     */
    public static final String LABEL_ENCODING_MORPHOLOGY = "morphology";
    /**
     * Most kernel-tap values (in-channels × k² × output pixels) one conv layer may read per image: the
     * edge runtime's im2col scratch (4 bytes each; paper 002's 128-filter 7×7 layer reads 4.9M).
     */
    public static final long MAX_CONV_IM2COL = 1L << 25;

    /** Most units (filters × output pixels) one ffcnn layer may have: bounds the predictors' scratch memory. */
    public static final long MAX_CONV_UNITS = 1L << 22;
    /**
     * Most FFRNN frames a model may ask for (training or prediction). Prediction time grows linearly
     * with the last counted frame, so a file must not be able to ask for millions; paper 003 uses
     * 10 training frames and frames 3..8 at test time.
     */
    public static final int MAX_FRAMES = 100;

    private final Architecture architecture;
    private final int inputSize;
    private final int numLabels;
    private final List<DenseLayer> layers;
    private final DenseLayer classifier;
    private final float theta;
    private final Objective objective;
    private final String labelEncoding;
    private final float normEpsilon;
    private final float beta;
    private final int trainFrames;
    private final int testFrameLow;
    private final int testFrameHigh;
    private final float startState;
    private final String provenance;
    private final String dataset;
    private final List<String> classes;
    private final ConvShape conv;
    private final float[] labelPatterns;
    /** ffcnn with morphological labels: per label, for every input value the source index (D: zero). */
    private final int[] labelMaps;
    private final float labelIntensity;
    private final int scoreFrom;
    private final String scoreRule;

    private Model(Builder b) {
        this.architecture = Objects.requireNonNull(b.architecture, "architecture");
        this.inputSize = b.inputSize;
        this.numLabels = b.numLabels;
        this.layers = Collections.unmodifiableList(new ArrayList<>(b.layers));
        this.classifier = b.classifier;
        this.theta = b.theta;
        this.objective = Objects.requireNonNull(b.objective, "objective");
        this.labelEncoding = Objects.requireNonNull(b.labelEncoding, "labelEncoding");
        this.normEpsilon = b.normEpsilon;
        this.beta = b.beta;
        this.trainFrames = b.trainFrames;
        this.testFrameLow = b.testFrameLow;
        this.testFrameHigh = b.testFrameHigh;
        this.startState = b.startState;
        this.provenance = b.provenance == null ? "{}" : b.provenance;
        this.dataset = b.dataset == null ? "" : b.dataset;
        this.classes = Collections.unmodifiableList(new ArrayList<>(b.classes));
        this.conv = b.conv;
        this.labelPatterns = b.labelPatterns == null ? null : b.labelPatterns.clone();
        this.labelMaps = b.labelMaps == null ? null : b.labelMaps.clone();
        this.labelIntensity = b.labelIntensity;
        this.scoreFrom = b.scoreFrom;
        this.scoreRule = b.scoreRule;
        if (!classes.isEmpty() && classes.size() != numLabels) {
            throw new IllegalArgumentException(classes.size() + " class names for " + numLabels + " labels");
        }
        for (String c : classes) {
            if (c.isEmpty() || c.contains(",") || c.contains("\n")) {
                throw new IllegalArgumentException("class names must be non-empty, without commas or line breaks: '" + c + "'");
            }
        }
        validate();
    }

    private void validate() {
        if (inputSize <= 0 || numLabels < 2) {
            throw new IllegalArgumentException("input size must be positive and labels at least 2");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one hidden layer");
        }
        String encoding = !architecture.isFfConv() ? LABEL_ENCODING_CONCAT
                : LABEL_ENCODING_MORPHOLOGY.equals(labelEncoding) ? LABEL_ENCODING_MORPHOLOGY : LABEL_ENCODING_PATTERN;
        boolean overwriteAllowed = architecture == Architecture.FFNN || architecture == Architecture.FFNN_C;
        if (!encoding.equals(labelEncoding) && !(overwriteAllowed && LABEL_ENCODING_OVERWRITE.equals(labelEncoding))) {
            throw new IllegalArgumentException("unsupported label encoding '" + labelEncoding + "' for " + architecture
                    + " (expected " + encoding + (overwriteAllowed ? " or " + LABEL_ENCODING_OVERWRITE : "") + ")");
        }
        if (labelOverwrites() && numLabels >= inputSize) {
            throw new IllegalArgumentException("the overwrite label encoding needs more input values than labels ("
                    + inputSize + " for " + numLabels + ")");
        }
        validateConv();
        if (!(normEpsilon > 0) || !Float.isFinite(theta)) {
            throw new IllegalArgumentException("normalisation epsilon must be positive and theta finite");
        }
        int[] widths = widths();
        for (int i = 0; i < layers.size(); i++) {
            DenseLayer l = layers.get(i);
            int expectIn = conv != null ? conv.layerInput(i, widths)
                    : Layout.layerInput(architecture, inputSize, numLabels, widths, i, labelEncoding);
            if (l.in() != expectIn) {
                throw new IllegalArgumentException("layer " + i + " reads " + l.in() + " values, expected " + expectIn);
            }
            int back = Layout.backwardInput(architecture, numLabels, widths, i);
            if (l.hasBackward() != (back > 0)) {
                throw new IllegalArgumentException("layer " + i + (back > 0 ? " lacks" : " has") + " backward weights");
            }
            if (back > 0 && l.backIn() != back) {
                throw new IllegalArgumentException("layer " + i + " backward weights read " + l.backIn()
                        + " values, expected " + back);
            }
        }
        int[] ranks = ranks();
        Layout.checkRanks(architecture, inputSize, numLabels, widths, labelEncoding, ranks);
        boolean int8 = layers.get(0).isInt8();
        for (DenseLayer l : layers) {
            if (l.isInt8() != int8) {
                throw new IllegalArgumentException("a model's weights are all int8 or all float32, not mixed");
            }
        }
        if (classifier != null && classifier.isInt8() != int8) {
            throw new IllegalArgumentException("a model's weights are all int8 or all float32, not mixed");
        }
        int cin = Layout.classifierInput(architecture, widths, conv);
        if (cin == 0 && classifier != null) {
            throw new IllegalArgumentException(architecture + " has no classifier layer");
        }
        if (cin > 0) {
            if (classifier == null) {
                throw new IllegalArgumentException(architecture + " needs a classifier layer");
            }
            if (classifier.in() != cin || classifier.out() != numLabels) {
                throw new IllegalArgumentException("classifier is " + classifier.out() + "x" + classifier.in()
                        + ", expected " + numLabels + "x" + cin);
            }
        }
        if (architecture == Architecture.FFRNN) {
            if (!(beta > 0 && beta <= 1) || trainFrames < 1 || testFrameLow < 1 || testFrameHigh < testFrameLow
                    || trainFrames > MAX_FRAMES || testFrameHigh > MAX_FRAMES) {
                throw new IllegalArgumentException("invalid FFRNN settings: beta " + beta + " (must be in (0, 1]), test frames "
                        + testFrameLow + ".." + testFrameHigh + ", train frames " + trainFrames + " (frames must be 1.."
                        + MAX_FRAMES + ")");
            }
            if (!(Float.isNaN(startState) || (startState >= 0 && startState <= 1e6f))) {
                throw new IllegalArgumentException("invalid FFRNN start state " + startState + " (must be in [0, 1e6])");
            }
        } else if (!Float.isNaN(startState)) {
            throw new IllegalArgumentException("only ffrnn has a start state");
        }
    }

    /** The softmax rule needs labels scored by goodness: ffnn, ffcnn (ffcnn-c: its goodness route), maximize. */
    private void checkScoreRule(boolean allowed) {
        if (!SCORE_SUM.equals(scoreRule) && !(allowed && SCORE_SOFTMAX.equals(scoreRule) && objective == Objective.MAXIMIZE)) {
            throw new IllegalArgumentException("unsupported score rule '" + scoreRule + "' for " + architecture + " "
                    + objective + " (expected sum; softmax is for maximize ffnn and ffcnn)");
        }
    }

    private void validateConv() {
        if (!architecture.isConv()) {
            if (conv != null || labelPatterns != null || labelMaps != null) {
                throw new IllegalArgumentException("only the conv architectures have a conv shape, only ffcnn(-c) label patterns");
            }
            checkScoreRule(architecture == Architecture.FFNN);
            return;
        }
        if (conv == null) {
            throw new IllegalArgumentException("a " + architecture + " model needs its conv shape");
        }
        boolean ff = architecture.isFfConv();
        if (architecture == Architecture.FFCNN_C && layers.size() < 2) {
            throw new IllegalArgumentException("ffcnn-c needs at least 2 conv layers (its classifier reads every layer but the first)");
        }
        boolean morph = LABEL_ENCODING_MORPHOLOGY.equals(labelEncoding);
        if ((ff && !morph) != (labelPatterns != null)) {
            throw new IllegalArgumentException(ff && !morph ? "an ffcnn model needs its label patterns"
                    : "only ffcnn with label encoding pattern has label patterns");
        }
        if (morph != (labelMaps != null)) {
            throw new IllegalArgumentException(morph ? "an ffcnn model with morphological labels needs its label maps"
                    : "only ffcnn with morphological labels has label maps");
        }
        if (morph) {
            if (inputSize >= 1 << 24) {
                throw new IllegalArgumentException("morphological labels need an input of fewer than 2^24 values");
            }
            if ((long) labelMaps.length != (long) numLabels * inputSize) {
                throw new IllegalArgumentException("label maps hold " + labelMaps.length + " values, expected " + numLabels
                        + " x " + inputSize);
            }
            for (int v : labelMaps) {
                if (v < 0 || v > inputSize) {
                    throw new IllegalArgumentException("label maps must hold input indices 0.." + inputSize + ", got " + v);
                }
            }
        }
        if (conv.inputSize() != inputSize) {
            throw new IllegalArgumentException("conv input " + conv + " holds " + conv.inputSize() + " values, but the "
                    + "input size is " + inputSize);
        }
        if (conv.depth() != layers.size()) {
            throw new IllegalArgumentException("conv shape describes " + conv.depth() + " layers, the model has " + layers.size());
        }
        if (ff && !morph && (long) labelPatterns.length != (long) numLabels * inputSize) {
            throw new IllegalArgumentException("label patterns hold " + labelPatterns.length + " values, expected "
                    + numLabels + " x " + inputSize);
        }
        if (ff && !(labelIntensity >= 0 && labelIntensity <= 1)) {
            throw new IllegalArgumentException("label intensity must be in [0, 1], got " + labelIntensity);
        }
        checkScoreRule(ff);
        if (ff && (scoreFrom < 0 || scoreFrom >= layers.size())) {
            throw new IllegalArgumentException("the first scored layer must be 0.." + (layers.size() - 1) + ", got " + scoreFrom);
        }
        int[] w = widths();
        for (int l = 0; l < w.length; l++) {
            if (conv.units(l, w) > MAX_CONV_UNITS) {
                throw new IllegalArgumentException("conv layer " + l + " has " + conv.units(l, w) + " units (at most "
                        + MAX_CONV_UNITS + ")");
            }
            long taps = (long) conv.inChannels(l, w) * conv.kernel(l) * conv.kernel(l);
            long im2col = taps * conv.outHeight(l) * conv.outWidth(l);
            if (im2col > MAX_CONV_IM2COL) {
                throw new IllegalArgumentException("conv layer " + l + " reads " + im2col + " kernel-tap values per image "
                        + "(at most " + MAX_CONV_IM2COL + ")");
            }
        }
    }

    public Architecture architecture() {
        return architecture;
    }

    /** ffcnn: the image and conv layers' geometry; null for the dense architectures. */
    public ConvShape conv() {
        return conv;
    }

    /** ffcnn: label c's pattern p_c (C·H·W values in [0, 1], image layout), a copy; null otherwise. */
    public float[] labelPattern(int c) {
        return labelPatterns == null ? null : java.util.Arrays.copyOfRange(labelPatterns, c * inputSize, (c + 1) * inputSize);
    }

    /**
     * ffcnn-c's mean pattern p̄ = (1/L)·Σ_c p_c of L patterns (L × D values, row after row), per value
     * summed in double (docs/algorithms.md "Linear classifier").
     */
    public static float[] meanPattern(float[] patterns, int labels) {
        int d = patterns.length / labels;
        float[] m = new float[d];
        for (int i = 0; i < d; i++) {
            double t = 0;
            for (int c = 0; c < labels; c++) {
                t += patterns[c * d + i];
            }
            m[i] = (float) (t / labels);
        }
        return m;
    }

    /** ffcnn: all label patterns, L × C·H·W, a copy; null otherwise. */
    /** ffcnn with morphological labels: L × D source indices (D: zero), or null. */
    public int[] labelMaps() {
        return labelMaps == null ? null : labelMaps.clone();
    }

    public float[] labelPatterns() {
        return labelPatterns == null ? null : labelPatterns.clone();
    }

    /** ffcnn: the label's share K of the mixed input (1 − K)·x + K·p_c. */
    public float labelIntensity() {
        return labelIntensity;
    }

    /** ffcnn: the first layer (0-based) whose goodness counts in the score (paper 002: 1, the first is left out). */
    public int scoreFrom() {
        return scoreFrom;
    }

    /**
     * ffnn, ffcnn: how the layers' goodness becomes a label's score: {@link #SCORE_SUM} (ffnn:
     * Σ_l softplus(z_l); ffcnn, paper 002: Σ_l Σ h²) or {@link #SCORE_SOFTMAX} (paper 000: Σ_l softmax
     * over the labels of ‖h_l‖).
     */
    public String scoreRule() {
        return scoreRule;
    }

    /** Image width D (784 for MNIST). */
    public int inputSize() {
        return inputSize;
    }

    public int numLabels() {
        return numLabels;
    }

    /** Hidden layers in order (FF layers, FFRNN hidden layers, or BPNN hidden layers). */
    public List<DenseLayer> layers() {
        return layers;
    }

    /** Output layer of bpnn, linear classifier of ffnn-c; null otherwise. */
    public DenseLayer classifier() {
        return classifier;
    }

    /** Hidden widths, e.g. [2000, 2000]. */
    public int[] widths() {
        int[] w = new int[layers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = layers.get(i).out();
        }
        return w;
    }

    public float theta() {
        return theta;
    }

    public Objective objective() {
        return objective;
    }

    public String labelEncoding() {
        return labelEncoding;
    }

    /** ffnn's and ffnn-c's label encoding: {@link #LABEL_ENCODING_OVERWRITE} or {@link #LABEL_ENCODING_CONCAT}. */
    public static String denseLabelEncoding(boolean overwrite) {
        return overwrite ? LABEL_ENCODING_OVERWRITE : LABEL_ENCODING_CONCAT;
    }

    /** Whether the label overwrites the image's first values ({@link #LABEL_ENCODING_OVERWRITE}) rather than following it. */
    public boolean labelOverwrites() {
        return LABEL_ENCODING_OVERWRITE.equals(labelEncoding);
    }

    public float normEpsilon() {
        return normEpsilon;
    }

    /** FFRNN momentum β (weight of the new state). */
    public float beta() {
        return beta;
    }

    /**
     * How an FFRNN's frame 0 is formed (docs/algorithms.md "FFRNN", start state): NaN (fftk's own)
     * for one bottom-up pass from zero with the forward weights only; a value s for FFLib's start
     * with its random U(0, 1) states replaced by the constant s (imported FFLib models: s = 0.5, the
     * mean): every hidden unit starts at s, then one sequential bottom-up pass applies the full update,
     * layer i reading the new state below it, the start state above it (the label for the top layer)
     * and its own start state.
     */
    public float startState() {
        return startState;
    }

    /** Whether frame 0 is FFLib's start from a constant state ({@link #startState()} not NaN). */
    public boolean hasConstantStart() {
        return !Float.isNaN(startState);
    }

    /**
     * For a constant start, layer i's backward term in frame 0 for i below the top layer:
     * W_b,i · n(s·1) with n(v) = v / (‖v‖ + ε), summed in double, as float32 (one value per unit).
     */
    public float[] startBackwardTerm(int i) {
        DenseLayer l = layers.get(i);
        int above = l.backIn();
        double u = startState / (startState * Math.sqrt(above) + normEpsilon);
        float[] w = l.backWeights();
        float[] r = new float[l.out()];
        for (int j = 0; j < r.length; j++) {
            double acc = 0;
            for (int m = 0; m < above; m++) {
                acc += w[j * above + m];
            }
            r[j] = (float) (acc * u);
        }
        return r;
    }

    /** FFRNN frames per training example. */
    public int trainFrames() {
        return trainFrames;
    }

    /** First FFRNN frame (1-based, inclusive) whose goodness counts at prediction. */
    public int testFrameLow() {
        return testFrameLow;
    }

    /** Last FFRNN frame (1-based, inclusive) whose goodness counts at prediction. */
    public int testFrameHigh() {
        return testFrameHigh;
    }

    /** Provenance as a JSON object string (dataset, seed, epochs, accuracy, pruning history). */
    public String provenance() {
        return provenance;
    }

    /** The dataset the model was trained on ("mnist", "fashion-mnist", "cifar10"), or "" when unknown. */
    public String dataset() {
        return dataset;
    }

    /** The name of each label (empty when unknown: then the label numbers are the names). */
    public List<String> classes() {
        return classes;
    }

    /** The name of a label: its class name, else its number. */
    public String className(int label) {
        return classes.isEmpty() ? Integer.toString(label) : classes.get(label);
    }

    /**
     * The parameter values (copies) in {@link Layout}'s fixed order: per layer weight, bias (and
     * ffrnn backward weight), then the classifier's weight and bias. The trainer's variables use
     * this order, so a model converts to training parameters and back with
     * {@link Builder#parameters}.
     */
    public java.util.List<float[]> parameters() {
        return Layout.values(this);
    }

    /**
     * Each hidden layer's rank: 0 for a full weight matrix, r for factors U·V of rank r
     * (docs/algorithms.md "Low-rank layers"); null when no layer is factored.
     */
    public int[] ranks() {
        int[] r = new int[layers.size()];
        boolean any = false;
        for (int i = 0; i < r.length; i++) {
            r[i] = layers.get(i).rank();
            any |= r[i] > 0;
        }
        return any ? r : null;
    }

    /** True when some hidden layer is factored (low-rank). */
    public boolean isFactored() {
        return ranks() != null;
    }

    /** True when the weights are stored as int8 (docs/algorithms.md, "int8 weights"). */
    public boolean isInt8() {
        return layers.get(0).isInt8();
    }

    /** This model with every weight matrix quantised to int8 (biases stay float32). */
    public Model quantized() {
        if (isInt8()) {
            return this;
        }
        List<DenseLayer> q = new ArrayList<>();
        for (DenseLayer l : layers) {
            q.add(l.quantized());
        }
        return toBuilder().layers(q).classifier(classifier == null ? null : classifier.quantized()).build();
    }

    /** Trainable parameters of the whole model. */
    public long parameterCount() {
        long n = classifier == null ? 0 : classifier.parameterCount();
        for (DenseLayer l : layers) {
            n += l.parameterCount();
        }
        return n;
    }

    public Builder toBuilder() {
        return toBuilder(architecture);
    }

    /**
     * The FF layers alone, predicting by goodness over every label: ffnn-c gives the ffnn and ffcnn-c the
     * ffcnn of the same layers, labels and geometry, without the classifier; ffnn, ffrnn and ffcnn are
     * returned as they are (docs/algorithms.md "Prediction").
     */
    public Model goodnessModel() {
        if (architecture.usesGoodness()) {
            return this;
        }
        Architecture a = architecture.ffLayers();
        if (a == null) {
            throw new IllegalArgumentException(architecture + " has no FF layers to predict by goodness");
        }
        Builder b = toBuilder(a);
        b.classifier = null;
        return b.build();
    }

    private Builder toBuilder(Architecture architecture) {
        Builder b = new Builder(architecture);
        b.inputSize = inputSize;
        b.numLabels = numLabels;
        b.layers.addAll(layers);
        b.classifier = classifier;
        b.theta = theta;
        b.objective = objective;
        b.labelEncoding = labelEncoding;
        b.normEpsilon = normEpsilon;
        b.beta = beta;
        b.trainFrames = trainFrames;
        b.testFrameLow = testFrameLow;
        b.testFrameHigh = testFrameHigh;
        b.startState = startState;
        b.provenance = provenance;
        b.dataset = dataset;
        b.classes.addAll(classes);
        b.conv = conv;
        b.labelPatterns = labelPatterns;
        b.labelMaps = labelMaps;
        b.labelIntensity = labelIntensity;
        b.scoreFrom = scoreFrom;
        b.scoreRule = scoreRule;
        return b;
    }

    public static Builder builder(Architecture architecture) {
        return new Builder(architecture);
    }

    /** Builder with the defaults of docs/algorithms.md "Architectures" (θ 20, maximize, concat labels, ε 1e-4, β 0.7, frames 3..8 of 10). */
    public static final class Builder {
        private final Architecture architecture;
        private int inputSize = 784;
        private int numLabels = 10;
        private final List<DenseLayer> layers = new ArrayList<>();
        private DenseLayer classifier;
        private float theta = 20f;
        private Objective objective = Objective.MAXIMIZE;
        private String labelEncoding = LABEL_ENCODING_CONCAT;
        private float normEpsilon = DEFAULT_NORM_EPSILON;
        private float beta = 0.7f;
        private int trainFrames = 10;
        private int testFrameLow = 3;
        private int testFrameHigh = 8;
        private float startState = Float.NaN;
        private String provenance = "{}";
        private String dataset = "";
        private final List<String> classes = new ArrayList<>();
        private ConvShape conv;
        private float[] labelPatterns;
        private int[] labelMaps;
        private float labelIntensity = 0.35f;
        private int scoreFrom = 1;
        private String scoreRule = SCORE_SUM;

        private Builder(Architecture architecture) {
            this.architecture = architecture;
            if (architecture.isFfConv()) {
                labelEncoding = LABEL_ENCODING_PATTERN;
                theta = 1f;
            }
        }

        /** ffcnn: the conv geometry (set it before {@link #parameters}). */
        public Builder conv(ConvShape c) {
            this.conv = c;
            return this;
        }

        /** ffcnn: the label patterns, L × C·H·W values in [0, 1] (copied on build). */
        public Builder labelPatterns(float[] p) {
            this.labelPatterns = p;
            return this;
        }

        /**
         * ffcnn: morphological labels, L × C·H·W source indices (C·H·W: a zero), copied on build;
         * sets the label encoding to morphology (null: back to patterns).
         */
        public Builder labelMaps(int[] maps) {
            this.labelMaps = maps;
            this.labelEncoding = maps != null ? LABEL_ENCODING_MORPHOLOGY
                    : architecture.isFfConv() ? LABEL_ENCODING_PATTERN : LABEL_ENCODING_CONCAT;
            return this;
        }

        public Builder labelIntensity(float k) {
            this.labelIntensity = k;
            return this;
        }

        /** ffnn, ffcnn: {@link #SCORE_SUM} (the default) or {@link #SCORE_SOFTMAX}. */
        public Builder scoreRule(String rule) {
            this.scoreRule = rule;
            return this;
        }

        public Builder scoreFrom(int layer) {
            this.scoreFrom = layer;
            return this;
        }

        public Builder inputSize(int d) {
            this.inputSize = d;
            return this;
        }

        public Builder numLabels(int n) {
            this.numLabels = n;
            return this;
        }

        public Builder addLayer(DenseLayer l) {
            layers.add(l);
            return this;
        }

        public Builder layers(List<DenseLayer> ls) {
            layers.clear();
            layers.addAll(ls);
            return this;
        }

        /**
         * Sets the layers (and classifier) from parameter values in {@link Layout}'s order, for the
         * architecture, input size, labels and label encoding already set.
         *
         * @throws IllegalArgumentException when the number or a size of the values does not fit
         */
        public Builder parameters(int[] widths, java.util.List<float[]> values) {
            return parameters(widths, null, values);
        }

        /**
         * As {@link #parameters(int[], java.util.List)}, with per-layer ranks (0: a full weight matrix,
         * r &gt; 0: factors U and V of rank r; null: all full; docs/algorithms.md "Low-rank layers").
         */
        public Builder parameters(int[] widths, int[] ranks, java.util.List<float[]> values) {
            Layout.build(this, architecture, inputSize, numLabels, widths, values, conv, labelEncoding, ranks);
            return this;
        }

        public Builder classifier(DenseLayer c) {
            this.classifier = c;
            return this;
        }

        public Builder theta(float t) {
            this.theta = t;
            return this;
        }

        public Builder objective(Objective o) {
            this.objective = o;
            return this;
        }

        public Builder labelEncoding(String e) {
            this.labelEncoding = e;
            return this;
        }

        public Builder normEpsilon(float e) {
            this.normEpsilon = e;
            return this;
        }

        public Builder beta(float b) {
            this.beta = b;
            return this;
        }

        public Builder trainFrames(int k) {
            this.trainFrames = k;
            return this;
        }

        /** FFRNN start state ({@link Model#startState()}): NaN for fftk's bottom-up start. */
        public Builder startState(float s) {
            this.startState = s;
            return this;
        }

        public Builder testFrames(int low, int high) {
            this.testFrameLow = low;
            this.testFrameHigh = high;
            return this;
        }

        /** The dataset the model learns (for warnings and class names); "" for unknown. */
        public Builder dataset(String id) {
            this.dataset = id;
            return this;
        }

        /** One name per label, or none. */
        public Builder classes(List<String> names) {
            classes.clear();
            classes.addAll(names);
            return this;
        }

        public Builder provenance(String json) {
            this.provenance = json;
            return this;
        }

        /** Validates shapes and settings; throws IllegalArgumentException naming the first problem. */
        public Model build() {
            return new Model(this);
        }
    }
}
