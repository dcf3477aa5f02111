package org.fftk.edge.model;

import java.util.Locale;

/** The network families of docs/algorithms.md "Architectures". */
public enum Architecture {
    /** Stack of FF layers, predicts by trying every label and comparing goodness. */
    FFNN("ffnn"),
    /** FF layers plus a linear classifier on their concatenated activations. */
    FFNN_C("ffnn-c"),
    /** Recurrent FF network: image clamped at the bottom, label at the top, unrolled over frames. */
    FFRNN("ffrnn"),
    /** Backprop MLP baseline. */
    BPNN("bpnn"),
    /**
     * FF-trained convolutional network (paper 002): the label is a pattern added to the whole image,
     * conv layers, prediction by goodness over every label (docs/algorithms.md "FF-CNN").
     */
    FFCNN("ffcnn"),
    /**
     * ffcnn's layers plus a linear classifier on the flattened feature maps of every layer but the
     * first, read from one pass of the image with the mean of the label inputs (paper 002's default
     * prediction; docs/algorithms.md "FF-CNN", "Linear classifier").
     */
    FFCNN_C("ffcnn-c"),
    /**
     * Backprop CNN baseline of ffcnn's shape: conv layers with ReLU, a linear output layer on the last
     * layer's flattened feature maps, trained end to end with softmax cross-entropy.
     */
    BPCNN("bpcnn");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    /** The name used on the command line and in model metadata. */
    public String id() {
        return id;
    }

    /** True for the convolutional architectures (a {@link ConvShape} describes their layers). */
    public boolean isConv() {
        return this == FFCNN || this == FFCNN_C || this == BPCNN;
    }

    /** True for the FF-trained conv architectures, whose file holds label patterns or maps. */
    public boolean isFfConv() {
        return this == FFCNN || this == FFCNN_C;
    }

    /** True for FF layers plus a linear classifier trained after them (ffnn-c, ffcnn-c). */
    public boolean hasFfClassifier() {
        return this == FFNN_C || this == FFCNN_C;
    }

    /** ffnn-c → ffnn, ffcnn-c → ffcnn: the architecture of the FF layers alone; null for the others. */
    public Architecture ffLayers() {
        return this == FFNN_C ? FFNN : this == FFCNN_C ? FFCNN : null;
    }

    /** ffnn → ffnn-c, ffcnn → ffcnn-c: the same layers with a classifier after them; null for the others. */
    public Architecture withClassifier() {
        return this == FFNN ? FFNN_C : this == FFCNN ? FFCNN_C : null;
    }

    /** True for the architectures that embed the label in the input and score by goodness. */
    public boolean usesGoodness() {
        return this == FFNN || this == FFRNN || this == FFCNN;
    }

    public static Architecture fromId(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Architecture a : values()) {
            if (a.id.equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + s + "' (expected ffnn, ffnn-c, ffrnn, bpnn, ffcnn, ffcnn-c or bpcnn)");
    }

    @Override
    public String toString() {
        return id;
    }
}
