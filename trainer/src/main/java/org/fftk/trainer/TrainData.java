package org.fftk.trainer;

/**
 * Labelled images in memory: {@code count} rows of {@code dim} pixels in [0,1], row-major, and one
 * label in [0, numLabels) per row. The arrays are shared, not copied: callers must not change them
 * during training.
 */
public final class TrainData {
    private final float[] images;
    private final int[] labels;
    private final int offset;
    private final int count;
    private final int dim;
    private final int numLabels;

    public TrainData(float[] images, int[] labels, int dim, int numLabels) {
        this(images, labels, 0, labels.length, dim, numLabels);
    }

    private TrainData(float[] images, int[] labels, int offset, int count, int dim, int numLabels) {
        if (dim < 1 || numLabels < 2) {
            throw new IllegalArgumentException("dataset needs a positive image width and at least 2 labels");
        }
        if ((long) (offset + count) * dim > images.length || offset + count > labels.length) {
            throw new IllegalArgumentException("dataset has " + images.length / dim + " images and " + labels.length
                    + " labels, fewer than the " + (offset + count) + " expected");
        }
        for (int i = offset; i < offset + count; i++) {
            if (labels[i] < 0 || labels[i] >= numLabels) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + (i - offset)
                        + " is outside 0.." + (numLabels - 1));
            }
        }
        this.images = images;
        this.labels = labels;
        this.offset = offset;
        this.count = count;
        this.dim = dim;
        this.numLabels = numLabels;
    }

    /** A view of an edge-runtime dataset (shares its arrays). */
    public static TrainData of(org.fftk.edge.data.Dataset d) {
        return new TrainData(d.images(), d.labels(), d.inputSize(), d.numLabels());
    }

    public int count() { return count; }
    public int dim() { return dim; }
    public int numLabels() { return numLabels; }

    /** The label of example i (0-based within this view). */
    public int label(int i) {
        return labels[offset + i];
    }

    /** The backing pixel array; example i starts at {@link #pixelOffset(int)}. */
    public float[] pixels() {
        return images;
    }

    public int pixelOffset(int i) {
        return (offset + i) * dim;
    }

    /** Examples [from, from + n) as a view. */
    public TrainData range(int from, int n) {
        if (from < 0 || n < 0 || from + n > count) {
            throw new IllegalArgumentException("range " + from + "+" + n + " outside 0.." + count);
        }
        return new TrainData(images, labels, offset + from, n, dim, numLabels);
    }

    /** The first n examples (all when n is 0 or at least the count). */
    public TrainData head(int n) {
        return n <= 0 || n >= count ? this : range(0, n);
    }
}
