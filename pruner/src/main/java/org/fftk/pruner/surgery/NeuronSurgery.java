package org.fftk.pruner.surgery;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * Structured pruning by physical removal (docs/algorithms.md "Pruning"): a neuron that is not kept loses its row of
 * W_l and its entry of b_l, and every matrix that reads layer l loses the matching column:
 * <ul>
 *   <li>W_{l+1} (the next hidden layer's forward weights);</li>
 *   <li>ffnn-c: the classifier, whose input is the concatenation of all layers' activations, so the
 *       columns of layer l start at the sum of the (original) widths of the layers below;</li>
 *   <li>bpnn: the output layer reads the last hidden layer;</li>
 *   <li>ffrnn: the backward weights of layer l−1 read layer l (columns go), and layer l's own
 *       backward weights lose the neuron's row with the forward row.</li>
 * </ul>
 * Layer 0's input columns (image, or image ⊕ label) and the label columns read by the top ffrnn
 * layer's backward weights never change. Everything else in the model (θ, objective, ε, β, frames,
 * provenance) is copied unchanged.
 */
public final class NeuronSurgery {
    private NeuronSurgery() {
    }

    /**
     * A new model that keeps, in every hidden layer l, exactly the neurons {@code keep[l]} (strictly
     * increasing indices, at least one). For ffcnn the "neurons" are filters: removing filter j of
     * layer l deletes its output channel and the next layer's input channel j; bpcnn's output layer
     * loses the H·W columns of a removed last-layer filter (docs/algorithms.md "Pruning").
     *
     * @throws IllegalArgumentException when the list has the wrong length, or an index list is empty,
     *                                  unsorted, repeated or out of range
     */
    public static Model keep(Model m, int[][] keep) {
        refuseFactored(m);
        List<DenseLayer> layers = m.layers();
        org.fftk.edge.model.ConvShape conv = m.conv();
        int nl = layers.size();
        if (keep == null || keep.length != nl) {
            throw new IllegalArgumentException("expected keep lists for " + nl + " hidden layers, got "
                    + (keep == null ? 0 : keep.length));
        }
        for (int l = 0; l < nl; l++) {
            checkIndices(keep[l], layers.get(l).out(), l);
        }
        List<DenseLayer> out = new ArrayList<>(nl);
        for (int l = 0; l < nl; l++) {
            DenseLayer L = layers.get(l);
            int[] rows = keep[l];
            // Columns this layer reads: layer 0 reads the input, unchanged; layer l reads layer l-1
            // (ffcnn: a kept filter of layer l-1 is an input channel, k² columns of layer l's filters)
            int[] cols = l == 0 ? identity(L.in()) : conv != null ? channelColumns(keep[l - 1], conv.kernel(l) * conv.kernel(l))
                    : keep[l - 1];
            float[] w = select(L.weights(), L.in(), rows, cols);
            float[] b = selectVector(L.biases(), rows);
            if (L.hasBackward()) {
                int[] bcols = l + 1 < nl ? keep[l + 1] : identity(L.backIn());
                float[] bw = select(L.backWeights(), L.backIn(), rows, bcols);
                out.add(new DenseLayer(rows.length, cols.length, w, b, bcols.length, bw));
            } else {
                out.add(new DenseLayer(rows.length, cols.length, w, b));
            }
        }
        Model.Builder mb = m.toBuilder().layers(out);
        DenseLayer c = m.classifier();
        if (c != null) {
            int[] cols;
            if (m.architecture() == Architecture.FFNN_C) {
                int total = 0;
                for (int[] k : keep) {
                    total += k.length;
                }
                cols = new int[total];
                int pos = 0;
                int offset = 0;
                for (int l = 0; l < nl; l++) {
                    for (int j : keep[l]) {
                        cols[pos++] = offset + j;
                    }
                    offset += layers.get(l).out();
                }
            } else if (m.architecture() == Architecture.FFCNN_C) {
                // every layer but the first, flattened one after the other: a kept filter of layer l is
                // a block of H_l·W_l columns at that layer's offset
                int[] widths = m.widths();
                int total = 0;
                for (int l = 1; l < nl; l++) {
                    total += keep[l].length * conv.outHeight(l) * conv.outWidth(l);
                }
                cols = new int[total];
                int pos = 0;
                long offset = 0;
                for (int l = 1; l < nl; l++) {
                    for (int col : channelColumns(keep[l], conv.outHeight(l) * conv.outWidth(l))) {
                        cols[pos++] = (int) offset + col;
                    }
                    offset += conv.units(l, widths);
                }
            } else if (conv != null) {
                // bpcnn: a kept filter of the last layer is a block of H·W columns of the flattened maps
                cols = channelColumns(keep[nl - 1], conv.outHeight(nl - 1) * conv.outWidth(nl - 1));
            } else {
                cols = keep[nl - 1];
            }
            float[] w = select(c.weights(), c.in(), identity(c.out()), cols);
            mb.classifier(new DenseLayer(c.out(), cols.length, w, c.biases()));
        }
        return mb.build();
    }

    private static void checkIndices(int[] k, int width, int layer) {
        if (k == null || k.length == 0) {
            throw new IllegalArgumentException("layer " + layer + ": must keep at least one neuron");
        }
        for (int i = 0; i < k.length; i++) {
            if (k[i] < 0 || k[i] >= width) {
                throw new IllegalArgumentException("layer " + layer + ": neuron index " + k[i]
                        + " is outside 0.." + (width - 1));
            }
            if (i > 0 && k[i] <= k[i - 1]) {
                throw new IllegalArgumentException("layer " + layer + ": keep indices must be strictly increasing");
            }
        }
    }

    /** The columns of the kept input channels, each a block of {@code kk} = k² columns ([out][in][k][k] layout). */
    static int[] channelColumns(int[] channels, int kk) {
        int[] r = new int[channels.length * kk];
        for (int i = 0; i < channels.length; i++) {
            for (int t = 0; t < kk; t++) {
                r[i * kk + t] = channels[i] * kk + t;
            }
        }
        return r;
    }

    static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The sub-matrix rows × cols of a row-major matrix with {@code in} columns. */
    private static float[] select(float[] w, int in, int[] rows, int[] cols) {
        float[] r = new float[rows.length * cols.length];
        int p = 0;
        for (int row : rows) {
            int base = row * in;
            for (int col : cols) {
                r[p++] = w[base + col];
            }
        }
        return r;
    }

    private static float[] selectVector(float[] v, int[] idx) {
        float[] r = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r[i] = v[idx[i]];
        }
        return r;
    }

    /**
     * Pruning rebuilds layers from their weight matrices, which would multiply a factored layer back out
     * to full size: refused in one line (prune first, then factor).
     */
    public static void refuseFactored(Model m) {
        if (m.isFactored()) {
            throw new IllegalArgumentException("the model has low-rank (factored) layers, ranks "
                    + java.util.Arrays.toString(m.ranks()) + ": prune the full model first, then factor it");
        }
    }
}
