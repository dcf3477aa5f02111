package org.fftk.edge.infer;

import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * Common frame of the fast predictors: argument checks, splitting a batch into blocks of at most
 * {@link #block} images (scratch buffers are sized for one block, so nothing is allocated per
 * call), and the argmax/argmin label rule.
 */
abstract class BlockPredictor implements Predictor {
    /** Largest block: scratch grows with block × labels × width. */
    static final int MAX_BLOCK = 1024;
    final Model model;
    final int d;
    final int labels;
    final int block;
    /** Hidden layers, their widths, and the widest. */
    final int depth;
    final int[] width;
    final int maxWidth;
    final boolean argmin;
    /**
     * Set during {@link #labels}: {@link #scoreBlock} may then give +∞ (argmin models) to candidates
     * it proved cannot win instead of computing their scores.
     */
    boolean labelsOnly;
    /** Score rows of one block for {@link #labels}, allocated on first use. */
    private float[] labelScores;
    /** Set during {@link #trace}: receives every layer's values; null while predicting. */
    LayerSink sink;
    /** Index (among the traced images) of the first image of the block being computed. */
    int blockImage;
    /** Scratch for one dequantised int8 weight row ({@link Kernels#multiplyAdd}; any layer or the classifier). */
    final float[] dequantised;
    /** One scratch row per hidden layer, for handing h to the sink. */
    private final float[][] traceRow;

    /**
     * Overrides the choice between the row path and the block path of the dense predictors
     * (docs/algorithms.md "Prediction"; JMH's {@code path} parameter, or a device with another cache):
     * layers with more weights than this take the block path, so 0 always takes it. Without it, the
     * row path runs everything except int8 on a JVM whose C2 leaves the int8 → float conversion
     * scalar ({@link Kernels#FUSED_INT8} false): there the block path, which dequantises each used
     * weight row once for all rows of a block, measured 2.2× faster than the row path on the 2×512
     * ffnn with all scores (JDK 17; labels only, the row path was up to 2.6× faster at widths ≤ 512
     * and 1.5× slower at 2000, and both stay far behind float32: README "int8 weights on the edge").
     */
    static final String ROW_PATH_PROPERTY = "fftk.edge.rowPathMaxWeights";

    /** Whether the dense predictors take the row path for this model by default. */
    static boolean rowPathSuits(Model m) {
        String p = System.getProperty(ROW_PATH_PROPERTY);
        long max;
        if (p != null) {
            try {
                max = Long.parseLong(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(ROW_PATH_PROPERTY + " must be a whole number of weights, got '" + p + "'");
            }
        } else {
            return !m.isInt8() || Kernels.FUSED_INT8;
        }
        for (DenseLayer l : m.layers()) {
            if (l.parameterCount() - l.out() > max) {
                return false;
            }
        }
        return true;
    }


    BlockPredictor(Model m, int block) {
        if (block < 1 || block > MAX_BLOCK) {
            throw new IllegalArgumentException("block size must be 1.." + MAX_BLOCK + ", got " + block);
        }
        this.model = m;
        this.d = m.inputSize();
        this.labels = m.numLabels();
        this.block = block;
        this.argmin = LabelRule.argmin(m);
        this.width = m.widths();
        this.depth = width.length;
        int max = 0;
        this.traceRow = new float[depth][];
        for (int l = 0; l < depth; l++) {
            traceRow[l] = new float[width[l]];
            max = Math.max(max, width[l]);
        }
        this.maxWidth = max;
        this.dequantised = new float[Math.max(max, labels)];
    }

    @Override
    public final int inputSize() {
        return d;
    }

    @Override
    public final int numLabels() {
        return labels;
    }

    @Override
    public final void labels(float[] images, int offset, int n, int[] out) {
        checkImages(images, offset, n);
        if (n > out.length) {
            throw new IllegalArgumentException("label array holds " + out.length + " values, need " + n);
        }
        if (labelScores == null) {
            labelScores = new float[block * labels];
        }
        labelsOnly = true;
        try {
            for (int s = 0; s < n; s += block) {
                int k = Math.min(block, n - s);
                blockImage = s;
                scoreBlock(images, offset + s * d, k, labelScores, 0);
                for (int i = 0; i < k; i++) {
                    out[s + i] = LabelRule.best(labelScores, i * labels, labels, argmin);
                }
            }
        } finally {
            labelsOnly = false;
        }
    }

    private void checkImages(float[] images, int offset, int n) {
        if (n < 0 || offset < 0 || (long) offset + (long) n * d > images.length) {
            throw new IllegalArgumentException("need " + n + " images of " + d + " values from index " + offset
                    + ", but the array holds " + images.length + " values");
        }
    }

    @Override
    public final void scores(float[] images, int offset, int n, float[] out) {
        checkImages(images, offset, n);
        if ((long) n * labels > out.length) {
            throw new IllegalArgumentException("score array holds " + out.length + " values, need " + (long) n * labels);
        }
        for (int s = 0; s < n; s += block) {
            int k = Math.min(block, n - s);
            blockImage = s;
            scoreBlock(images, offset + s * d, k, out, s * labels);
        }
    }

    /** {@link #scores}, handing every layer's values to {@code sink} (see {@link Trace}). */
    final void trace(float[] images, int offset, int n, float[] out, LayerSink sink) {
        this.sink = sink;
        try {
            scores(images, offset, n, out);
        } finally {
            this.sink = null;
        }
    }

    /**
     * Hands row {@code row} of a transposed activation array (unit j at {@code src[j * rows + row]})
     * to the sink, as image {@code blockImage + image} of the traced images.
     */
    final void emit(int image, int candidate, int layer, int frame, float[] src, int row, int rows, int width,
                    double z) {
        float[] h = null;
        if (sink.activations()) {
            h = traceRow[layer];
            for (int j = 0; j < width; j++) {
                h[j] = src[j * rows + row];
            }
        }
        sink.layer(blockImage + image, candidate, layer, frame, h, z);
    }

    /** A predictor for the same model sharing this one's (read-only) weights, with its own scratch buffers. */
    abstract BlockPredictor fork();

    /** Scores k ≤ block images starting at {@code images[off]} into {@code out[outOff..outOff + k·labels)}. */
    abstract void scoreBlock(float[] images, int off, int k, float[] out, int outOff);

    @Override
    public final int label(float[] scores, int row) {
        return LabelRule.best(scores, row * labels, labels, argmin);
    }
}
