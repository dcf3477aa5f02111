package org.fftk.edge.infer;

/**
 * Runs a model on images. Instances hold scratch buffers: they are not thread-safe; create one
 * per thread with {@link Inference#predictor}.
 */
public interface Predictor {
    /** Image width D the model reads. */
    int inputSize();

    /** Number of labels L (width of a score row). */
    int numLabels();

    /**
     * Per-label scores for n images: goodness per label for goodness models (docs/algorithms.md "Architectures"), logits for
     * bpnn and ffnn-c.
     *
     * @param images n × D row-major, pixels in [0,1]
     * @param offset index in {@code images} of the first image's first pixel
     * @param out    receives n × L scores, row-major, from index 0
     */
    void scores(float[] images, int offset, int n, float[] out);

    /** The predicted label of each score row (argmax, or argmin for goodness models with objective minimize). */
    int label(float[] scores, int row);

    /**
     * Predicted labels of n images into {@code out[0..n)}: the labels of {@link #scores}, which a
     * predictor may find with less work than all scores (ffnn with objective minimize stops
     * computing a candidate once it cannot win: docs/algorithms.md "Candidate elimination").
     */
    default void labels(float[] images, int offset, int n, int[] out) {
        float[] s = new float[Math.multiplyExact(n, numLabels())];
        scores(images, offset, n, s);
        for (int i = 0; i < n; i++) {
            out[i] = label(s, i);
        }
    }

    /** Predicted labels for n images. */
    default int[] predict(float[] images, int offset, int n) {
        int[] r = new int[n];
        labels(images, offset, n, r);
        return r;
    }
}
