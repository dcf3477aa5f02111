package org.fftk.edge.infer;

/**
 * Receives every hidden layer's values as a predictor computes them ({@link Trace}). What is
 * reported, per architecture (docs/algorithms.md, "Prediction"):
 * <ul>
 *   <li>ffnn: for every image, every candidate label c (0..L−1, embedded as one-hot) and every layer:
 *       h with frame 0;</li>
 *   <li>ffnn-c and bpnn: for every image and layer: h with candidate −1 (ffnn-c embeds the all-zero
 *       label, bpnn embeds none) and frame 0;</li>
 *   <li>ffrnn: for every image and layer the start state h(0) with candidate −1 and frame 0 (the
 *       label is not seen yet); then for every candidate c and frame t = 1..K_testhigh, h(t) with
 *       label c clamped at the top (only frames K_testlow..K_testhigh count towards the score).</li>
 * </ul>
 * z = mean_j h_j² − θ is given with each call (θ of the model; for bpnn and ffnn-c it is reported
 * all the same, though their prediction does not use it).
 */
public interface LayerSink {
    /**
     * One layer of one image (and candidate, frame).
     *
     * @param image     index of the image among those traced (0-based)
     * @param candidate embedded label, or −1 (see the class comment)
     * @param layer     hidden layer, 0-based
     * @param frame     ffrnn frame (0 = start state); 0 for the other architectures
     * @param h         the layer's activations (ReLU output; ffrnn: after the β mix), exactly as wide as
     *                  the layer; a scratch array valid during this call only; null when
     *                  {@link #activations()} is false
     * @param z         mean_j h_j² − θ
     */
    void layer(int image, int candidate, int layer, int frame, float[] h, double z);

    /** False when only z is wanted: the predictor then skips copying h (faster). */
    default boolean activations() {
        return true;
    }
}
