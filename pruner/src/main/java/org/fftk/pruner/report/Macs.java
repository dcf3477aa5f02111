package org.fftk.pruner.report;

import org.fftk.edge.model.Model;

/**
 * Multiply-accumulates per prediction (one image), counting only the weight-matrix products an
 * efficient implementation of SPEC §3 needs; normalisation, ReLU, goodness, softplus, biases and the
 * β mixing are not counted. With D = image width, L = labels, h_l = hidden widths (h_0 the first),
 * S = Σ_{l≥1} h_{l−1}·h_l (the products between hidden layers):
 * <ul>
 *   <li>ffnn (tries all L labels): D·h_0 + L·h_0 + L·S. The image part of layer 0 is computed once,
 *       each label only adds its one-hot column (h_0 each; the row norm of x ⊕ onehot is the same for
 *       every label), and the layers above run once per label.</li>
 *   <li>ffnn-c (one pass, all-zero label): D·h_0 + S + L·Σ_l h_l (the classifier).</li>
 *   <li>bpnn: D·h_0 + S + L·h_last.</li>
 *   <li>ffrnn (K = testFrameHigh frames after the start pass, per label): D·h_0 once (layer 0's
 *       forward input, the image, never changes); per label the start pass costs S + h_last (the top
 *       layer's label column) and each frame 2·S + h_last (forward and backward products between
 *       hidden layers, plus the label column): D·h_0 + L·[(1 + 2K)·S + (1 + K)·h_last].</li>
 * </ul>
 */
public final class Macs {
    private Macs() {
    }

    public static long perPrediction(Model m) {
        int[] h = m.widths();
        long d = m.inputSize();
        long labels = m.numLabels();
        long s = 0;
        long total = 0;
        for (int l = 1; l < h.length; l++) {
            s += (long) h[l - 1] * h[l];
        }
        for (int v : h) {
            total += v;
        }
        long first = d * h[0];
        long last = h[h.length - 1];
        switch (m.architecture()) {
            case FFNN:
                return first + labels * h[0] + labels * s;
            case FFNN_C:
                return first + s + labels * total;
            case BPNN:
                return first + s + labels * last;
            case FFRNN: {
                long k = m.testFrameHigh();
                return first + labels * ((1 + 2 * k) * s + (1 + k) * last);
            }
            default:
                throw new AssertionError(m.architecture());
        }
    }
}
