package org.fftk.pruner.data;

import java.util.Random;

/**
 * Images with their labels, as the pruner needs them: n × D pixels row-major in [0,1] and n labels.
 * The arrays are shared, not copied: callers must not modify them afterwards.
 */
public final class LabeledImages {
    private final float[] pixels;
    private final int[] labels;
    private final int inputSize;

    public LabeledImages(float[] pixels, int[] labels, int inputSize) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("image width must be positive, got " + inputSize);
        }
        if ((long) labels.length * inputSize != pixels.length) {
            throw new IllegalArgumentException("dataset has " + pixels.length + " pixels for " + labels.length
                    + " images of width " + inputSize);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.inputSize = inputSize;
    }

    /** A view of an edge-runtime dataset (arrays shared, not copied). */
    public static LabeledImages of(org.fftk.edge.data.Dataset d) {
        return new LabeledImages(d.images(), d.labels(), d.inputSize());
    }

    /** All pixels, n × D row-major (not copied). */
    public float[] pixels() {
        return pixels;
    }

    /** All labels (not copied). */
    public int[] labels() {
        return labels;
    }

    public int label(int i) {
        return labels[i];
    }

    public int inputSize() {
        return inputSize;
    }

    public int size() {
        return labels.length;
    }

    /** Offset of image i's first pixel in {@link #pixels()}. */
    public int offset(int i) {
        return i * inputSize;
    }

    /** The first n images (copied), or all of them when n ≥ size. */
    public LabeledImages head(int n) {
        int k = Math.min(n, size());
        float[] p = new float[k * inputSize];
        System.arraycopy(pixels, 0, p, 0, p.length);
        int[] l = new int[k];
        System.arraycopy(labels, 0, l, 0, k);
        return new LabeledImages(p, l, inputSize);
    }

    /**
     * Indices of a seeded sample of k distinct images (all images, shuffled, when k ≥ size):
     * a partial Fisher–Yates shuffle driven by {@code new Random(seed)}.
     */
    public int[] sampleIndices(int k, long seed) {
        int n = size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        int m = Math.min(k, n);
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = new int[m];
        System.arraycopy(idx, 0, out, 0, m);
        return out;
    }
}
