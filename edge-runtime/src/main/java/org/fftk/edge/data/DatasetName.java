package org.fftk.edge.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The datasets of docs/algorithms.md "Data" and their standard file names (each may also be present gzipped, name + ".gz"). */
public enum DatasetName {
    MNIST("mnist", 28, 28, 1),
    FASHION_MNIST("fashion-mnist", 28, 28, 1),
    CIFAR10("cifar10", 32, 32, 3);

    private final String id;
    private final int rows;
    private final int cols;
    private final int channels;

    DatasetName(String id, int rows, int cols, int channels) {
        this.id = id;
        this.rows = rows;
        this.cols = cols;
        this.channels = channels;
    }

    /** Name on the command line and in model provenance: mnist, fashion-mnist, cifar10. */
    public String id() {
        return id;
    }

    /** Flattened image width D (784 or 3072). */
    public int inputSize() {
        return rows * cols * channels;
    }

    public int numLabels() {
        return 10;
    }

    /** The labels' names: the digits for MNIST, the garment names for Fashion-MNIST, the classes for CIFAR-10. */
    public List<String> classNames() {
        switch (this) {
            case FASHION_MNIST:
                return Arrays.asList("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
                        "bag", "ankle boot");
            case CIFAR10:
                return Arrays.asList("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                        "truck");
            default:
                return Arrays.asList("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        }
    }

    /** True for the IDX datasets (MNIST, Fashion-MNIST); false for CIFAR-10's binary batches. */
    public boolean isIdx() {
        return this != CIFAR10;
    }

    /** IDX image file of a split (MNIST, Fashion-MNIST). */
    public String imageFile(Split split) {
        requireIdx();
        return (split == Split.TRAIN ? "train" : "t10k") + "-images-idx3-ubyte";
    }

    /** IDX label file of a split (MNIST, Fashion-MNIST). */
    public String labelFile(Split split) {
        requireIdx();
        return (split == Split.TRAIN ? "train" : "t10k") + "-labels-idx1-ubyte";
    }

    /** Every file of a split, without the optional ".gz". */
    public List<String> files(Split split) {
        if (isIdx()) {
            return Arrays.asList(imageFile(split), labelFile(split));
        }
        if (split == Split.TEST) {
            return Collections.singletonList("test_batch.bin");
        }
        return Arrays.asList("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin");
    }

    /** Sub-folder names under which the files are also looked for (e.g. dir/mnist, dir/cifar-10-batches-bin). */
    public List<String> subfolders() {
        return this == CIFAR10 ? Arrays.asList(id, "cifar-10-batches-bin") : Collections.singletonList(id);
    }

    private void requireIdx() {
        if (!isIdx()) {
            throw new IllegalStateException(id + " is not stored as IDX files");
        }
    }

    public static DatasetName fromId(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (k.equals("cifar-10")) {
            k = "cifar10";
        }
        if (k.equals("fashion") || k.equals("fashionmnist")) {
            k = "fashion-mnist";
        }
        for (DatasetName v : values()) {
            if (v.id.equals(k)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + s + "' (expected mnist, fashion-mnist or cifar10)");
    }

    @Override
    public String toString() {
        return id;
    }
}
