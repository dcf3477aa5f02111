package org.fftk.edge.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Labelled images in memory: n images of D pixels each, row-major in one float array, scaled to
 * [0,1] (byte / 255, docs/algorithms.md "Data"), and one label in [0, numLabels) per image. The one
 * labelled-image type of fftk: readers return it, the trainer trains on it, the pruner and every
 * command evaluate on it.
 *
 * <p>A dataset may be a view of a contiguous range of another ({@link #range}, {@link #head}):
 * views share the arrays, so image i of any dataset starts at {@code images()[offset(i)]}.
 */
public final class Dataset {
    private final String name;
    private final int first;
    private final int size;
    private final int inputSize;
    private final int numLabels;
    private final float[] images;
    private final int[] labels;

    /**
     * @param images n × D values, taken as is (not copied)
     * @param labels n labels, taken as is (not copied), each checked to lie in [0, numLabels)
     */
    public Dataset(String name, int inputSize, int numLabels, float[] images, int[] labels) {
        if (inputSize <= 0 || numLabels < 1) {
            throw new IllegalArgumentException("input size and label count must be positive");
        }
        if ((long) labels.length * inputSize != images.length) {
            throw new IllegalArgumentException(name + ": " + images.length + " pixel values for " + labels.length
                    + " images of " + inputSize);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numLabels) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i + " is outside 0.."
                        + (numLabels - 1));
            }
        }
        this.name = name;
        this.first = 0;
        this.size = labels.length;
        this.inputSize = inputSize;
        this.numLabels = numLabels;
        this.images = images;
        this.labels = labels;
    }

    private Dataset(Dataset base, int first, int size) {
        this.name = base.name;
        this.first = base.first + first;
        this.size = size;
        this.inputSize = base.inputSize;
        this.numLabels = base.numLabels;
        this.images = base.images;
        this.labels = base.labels;
    }

    /** A short description such as "mnist test". */
    public String name() {
        return name;
    }

    /** Number of images n. */
    public int size() {
        return size;
    }

    /** Pixels per image D (784 for MNIST, 3072 for CIFAR-10). */
    public int inputSize() {
        return inputSize;
    }

    public int numLabels() {
        return numLabels;
    }

    /**
     * The backing pixel array, row-major, in [0,1]; image i starts at {@link #offset(int)} (a view
     * shares its parent's array). Not copied: do not modify.
     */
    public float[] images() {
        return images;
    }

    /** Index in {@link #images()} of image i's first pixel. */
    public int offset(int i) {
        return (first + i) * inputSize;
    }

    /** The label of image i. */
    public int label(int i) {
        return labels[first + i];
    }

    /** The labels of this dataset's images (the backing array for a whole dataset, else a copy). */
    public int[] labels() {
        return first == 0 && size == labels.length ? labels : Arrays.copyOfRange(labels, first, first + size);
    }

    /** Images [from, from + n) as a view (arrays shared). */
    public Dataset range(int from, int n) {
        if (from < 0 || n < 0 || (long) from + n > size) {
            throw new IllegalArgumentException("images " + from + ".." + ((long) from + n) + " are outside 0.." + size);
        }
        return from == 0 && n == size ? this : new Dataset(this, from, n);
    }

    /** The first min(n, size) images, as a view. */
    public Dataset head(int n) {
        return range(0, Math.min(Math.max(n, 0), size));
    }

    /**
     * Indices of a seeded sample of k distinct images (all images, shuffled, when k ≥ size): a
     * partial Fisher–Yates shuffle driven by {@code new Random(seed)}.
     */
    public int[] sampleIndices(int k, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("a sample needs at least 1 image, got " + k);
        }
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        int m = Math.min(k, size);
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(size - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, m);
    }
}
