package org.fftk.pruner.method;

import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;

/**
 * The seeded sample of training images that the FF-aware rankings ({@link GoodnessRanking},
 * {@link GreedyRanking}) trace, with its true labels; refuses models without FF-trained layers and
 * mismatched data in one line.
 */
final class RankingSample {
    final float[] images;
    final int[] truth;

    private RankingSample(float[] images, int[] truth) {
        this.images = images;
        this.truth = truth;
    }

    int size() {
        return truth.length;
    }

    static RankingSample of(Model m, Dataset train, int sampleSize, long seed, String method) {
        if (!(m.architecture().usesGoodness() || m.architecture() == Architecture.FFNN_C
                || m.architecture() == Architecture.FFCNN_C)) {
            throw new IllegalArgumentException(method + " ranking needs FF-trained layers; " + m.architecture()
                    + " has none (use magnitude, activation or random)");
        }
        if (train == null || train.size() == 0) {
            throw new IllegalArgumentException(method + " ranking needs training images");
        }
        if (train.inputSize() != m.inputSize()) {
            throw new IllegalArgumentException("training images have width " + train.inputSize()
                    + " but the model reads " + m.inputSize());
        }
        int[] idx = train.sampleIndices(sampleSize, seed);
        int w = m.inputSize();
        float[] px = new float[Math.multiplyExact(idx.length, w)];
        int[] truth = new int[idx.length];
        for (int s = 0; s < idx.length; s++) {
            System.arraycopy(train.images(), train.offset(idx[s]), px, s * w, w);
            truth[s] = train.label(idx[s]);
        }
        return new RankingSample(px, truth);
    }

    /**
     * Σ h² over unit j's values: one value for a dense neuron, its whole output plane (CHW layout,
     * {@code plane} pixels) for a conv filter.
     */
    static double energy(float[] h, int plane, int j) {
        double g = 0;
        for (int p = 0, i = j * plane; p < plane; p++, i++) {
            g += (double) h[i] * h[i];
        }
        return g;
    }
}
