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
        return ffrnn(m, images, offset, n, 1);
    }

    /** As {@link #ffrnn(Model, float[], int, int)}, the images split over {@code threads} threads. */
    public static LayerGoodness ffrnn(Model m, float[] images, int offset, int n, int threads) {
        if (m.architecture() != Architecture.FFRNN) {
            throw new IllegalArgumentException("per-frame layer goodness exists for ffrnn models, not " + m.architecture());
        }
        int labels = m.numLabels();
        int layers = m.layers().size();
        int frames = m.testFrameHigh() - m.testFrameLow() + 1;
        int d = m.inputSize();
        int perImage = labels * layers * frames;
        float[] z = new float[Math.multiplyExact(n, perImage)];
        float[] scores = new float[n * labels];
        java.util.List<Predictor> ps = Inference.predictors(m, Parallel.workers(n, threads));
        Parallel.split(n, threads, (w, from, to) -> {
            RecurrentPredictor p = (RecurrentPredictor) ps.get(w);
            p.layerZ = z;
            p.layerZBase = from * perImage;
            float[] part = new float[(to - from) * labels];
            p.scores(images, offset + from * d, to - from, part);
            System.arraycopy(part, 0, scores, from * labels, part.length);
        });
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
