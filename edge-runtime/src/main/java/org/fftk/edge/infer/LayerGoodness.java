package org.fftk.edge.infer;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;

/**
 * What a goodness model's prediction is made of, for the per-layer metrics of docs/algorithms.md
 * ("Per-layer metrics"): for every image, candidate label, hidden layer and counted frame, the
 * layer's z = mean_j h_j² − θ with that label embedded (ffnn: one frame; ffrnn: frames
 * K_testlow..K_testhigh, label clamped at the top), next to the model's scores (score(c) = Σ over
 * layers and counted frames of softplus(z)), all from one {@link Trace} of the edge predictor.
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

    /** Traces a goodness model (ffnn or ffrnn) over {@code n} images from {@code images[offset]}, keeping every z. */
    public static LayerGoodness of(Model m, float[] images, int offset, int n) {
        return of(m, images, offset, n, 1);
    }

    /** As {@link #of(Model, float[], int, int)}, the images split over {@code threads} threads. */
    public static LayerGoodness of(Model m, float[] images, int offset, int n, int threads) {
        if (!m.architecture().usesGoodness()) {
            throw new IllegalArgumentException("per-layer goodness exists for ffnn and ffrnn models, not " + m.architecture());
        }
        boolean recurrent = m.architecture() == Architecture.FFRNN;
        int labels = m.numLabels();
        int layers = m.layers().size();
        int low = recurrent ? m.testFrameLow() : 0;
        int high = recurrent ? m.testFrameHigh() : 0;
        int frames = high - low + 1;
        int perImage = labels * layers * frames;
        float[] z = new float[Math.multiplyExact(n, perImage)];
        float[] scores = Trace.run(m, images, offset, n, new LayerSink() {
            @Override
            public void layer(int image, int candidate, int layer, int frame, float[] h, double zv) {
                if (candidate >= 0 && frame >= low && frame <= high) {
                    z[((image * labels + candidate) * layers + layer) * frames + frame - low] = (float) zv;
                }
            }

            @Override
            public boolean activations() {
                return false;
            }
        }, threads);
        return new LayerGoodness(labels, layers, frames, z, scores);
    }

    /**
     * The softmax score rule (paper 000; docs/algorithms.md "Prediction"): for one image whose labels'
     * ℓ2 norms are {@code norms[l][col + c]}, out[o + c] = Σ over layers l ≥ {@code from} of
     * exp(r_c − max r) / Σ_c' exp(r_c' − max r), summed in double ({@code sum}: L values of scratch).
     */
    static void softmaxSum(double[][] norms, int from, int col, int labels, double[] sum, float[] out, int o) {
        java.util.Arrays.fill(sum, 0, labels, 0);
        for (int l = from; l < norms.length; l++) {
            double[] r = norms[l];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < labels; c++) {
                max = Math.max(max, r[col + c]);
            }
            double z = 0;
            for (int c = 0; c < labels; c++) {
                z += Math.exp(r[col + c] - max);
            }
            for (int c = 0; c < labels; c++) {
                sum[c] += Math.exp(r[col + c] - max) / z;
            }
        }
        for (int c = 0; c < labels; c++) {
            out[o + c] = (float) sum[c];
        }
    }

    /** The stable softplus of the FF loss and score: max(u, 0) + log1p(e^−|u|). */
    public static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
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

    /** Counted frames: frame index f is frame K_testlow + f (ffnn: 1). */
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
