package org.fftk.edge.infer;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;

/**
 * What an ffrnn model's prediction is made of, for the per-layer metrics of SPEC §4: for every image,
 * label, hidden layer and counted frame (K_testlow..K_testhigh), the layer's
 * z = mean_j h_j(t)² − θ with that label clamped at the top, next to the model's scores
 * (score(c) = Σ over layers and counted frames of softplus(z)), all from one run of the ffrnn
 * predictor.
 */
public final class LayerGoodness {
    private final int labels;
    private final int layers;
    private final int frames;
    private final float[] z;
    private final float[] scores;

    /**
     * Given values (tests, other engines): {@code z[((image·labels + label)·layers + layer)·frames + frame]},
     * {@code scores[image·labels + label]}.
     */
    public LayerGoodness(int labels, int layers, int frames, float[] z, float[] scores) {
        if (labels < 1 || layers < 1 || frames < 1 || scores.length % labels != 0
                || (long) scores.length * layers * frames != z.length) {
            throw new IllegalArgumentException("z holds " + z.length + " values and scores " + scores.length
                    + ", which do not fit " + labels + " labels, " + layers + " layers, " + frames + " frames");
        }
        this.labels = labels;
        this.layers = layers;
        this.frames = frames;
        this.z = z;
        this.scores = scores;
    }

    /** Runs the ffrnn predictor over {@code n} images from {@code images[offset]}, keeping every z. */
    public static LayerGoodness ffrnn(Model m, float[] images, int offset, int n) {
        if (m.architecture() != Architecture.FFRNN) {
            throw new IllegalArgumentException("per-frame layer goodness exists for ffrnn models, not " + m.architecture());
        }
        int labels = m.numLabels();
        int layers = m.layers().size();
        int frames = m.testFrameHigh() - m.testFrameLow() + 1;
        RecurrentPredictor p = new RecurrentPredictor(m, Inference.DEFAULT_BLOCK);
        float[] z = new float[Math.multiplyExact(Math.multiplyExact(n, labels), layers * frames)];
        float[] scores = new float[n * labels];
        p.layerZ = z;
        p.scores(images, offset, n, scores);
        return new LayerGoodness(labels, layers, frames, z, scores);
    }

    public int images() {
        return scores.length / labels;
    }

    public int labels() {
        return labels;
    }

    public int layers() {
        return layers;
    }

    /** Counted frames: frame index f is frame K_testlow + f. */
    public int frames() {
        return frames;
    }

    public float z(int image, int label, int layer, int frame) {
        return z[((image * labels + label) * layers + layer) * frames + frame];
    }

    /** The model's score of a label, as {@link Predictor#scores} gives it. */
    public float score(int image, int label) {
        return scores[image * labels + label];
    }
}
