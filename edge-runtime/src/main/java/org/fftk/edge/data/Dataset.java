package org.fftk.edge.data;

/**
 * Labelled images in memory: n images of D pixels each, row-major in one float array, scaled to
 * [0,1] (byte / 255, SPEC §1), and one label in [0, numLabels) per image.
 */
public final class Dataset {
    private final String name;
    private final int size;
    private final int inputSize;
    private final int numLabels;
    private final float[] images;
    private final int[] labels;

    /**
     * @param images n × D values, taken as is (not copied)
     * @param labels n labels, taken as is (not copied)
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
        this.size = labels.length;
        this.inputSize = inputSize;
        this.numLabels = numLabels;
        this.images = images;
        this.labels = labels;
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

    /** All pixels, n × D row-major, in [0,1]. Not copied: do not modify. */
    public float[] images() {
        return images;
    }

    /** All labels. Not copied: do not modify. */
    public int[] labels() {
        return labels;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Index in {@link #images()} of image i's first pixel. */
    public int offset(int i) {
        return i * inputSize;
    }

    /** Images [from, to) as a new dataset (copied). */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException("slice " + from + ".." + to + " outside 0.." + size);
        }
        float[] im = java.util.Arrays.copyOfRange(images, from * inputSize, to * inputSize);
        int[] lb = java.util.Arrays.copyOfRange(labels, from, to);
        return new Dataset(name, inputSize, numLabels, im, lb);
    }

    /** The first min(n, size) images. */
    public Dataset head(int n) {
        return n >= size ? this : slice(0, n);
    }
}
