package org.fftk.edge.model;

import java.util.Arrays;

/**
 * One dense layer: weight W (out × in, row-major, PyTorch layout: row j holds neuron j's incoming
 * weights) and bias b (out). FFRNN hidden layers also carry backward weights (out × backIn) that
 * read the layer above. Immutable: the arrays are copied in and never handed out for writing.
 */
public final class DenseLayer {
    private final int out;
    private final int in;
    private final float[] weight;
    private final float[] bias;
    private final int backIn;
    private final float[] backWeight;

    public DenseLayer(int out, int in, float[] weight, float[] bias) {
        this(out, in, weight, bias, 0, null);
    }

    public DenseLayer(int out, int in, float[] weight, float[] bias, int backIn, float[] backWeight) {
        if (out <= 0 || in <= 0) {
            throw new IllegalArgumentException("layer shape must be positive, got " + out + "x" + in);
        }
        if (weight.length != (long) out * in) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + out + "x" + in);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
        }
        if ((backWeight == null) != (backIn == 0)) {
            throw new IllegalArgumentException("backward weights and their width must be given together");
        }
        if (backWeight != null && backWeight.length != (long) out * backIn) {
            throw new IllegalArgumentException("backward weight has " + backWeight.length + " values, expected " + out + "x" + backIn);
        }
        this.out = out;
        this.in = in;
        this.weight = weight.clone();
        this.bias = bias.clone();
        this.backIn = backIn;
        this.backWeight = backWeight == null ? null : backWeight.clone();
    }

    /** Number of neurons (rows). */
    public int out() {
        return out;
    }

    /** Number of inputs (columns). */
    public int in() {
        return in;
    }

    /** W[j][i], neuron j's weight from input i. */
    public float weight(int j, int i) {
        return weight[j * in + i];
    }

    public float bias(int j) {
        return bias[j];
    }

    /** A copy of the row-major weight. */
    public float[] weights() {
        return weight.clone();
    }

    /** A copy of the bias. */
    public float[] biases() {
        return bias.clone();
    }

    public boolean hasBackward() {
        return backWeight != null;
    }

    /** Width of the layer above that the backward weights read (0 when there are none). */
    public int backIn() {
        return backIn;
    }

    /** A copy of the row-major backward weight (out × backIn), or null. */
    public float[] backWeights() {
        return backWeight == null ? null : backWeight.clone();
    }

    /** Trainable parameters of this layer. */
    public long parameterCount() {
        return (long) out * in + out + (long) out * backIn;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DenseLayer)) {
            return false;
        }
        DenseLayer l = (DenseLayer) o;
        return out == l.out && in == l.in && backIn == l.backIn && Arrays.equals(weight, l.weight)
                && Arrays.equals(bias, l.bias) && Arrays.equals(backWeight, l.backWeight);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weight) + Arrays.hashCode(bias);
    }
}
