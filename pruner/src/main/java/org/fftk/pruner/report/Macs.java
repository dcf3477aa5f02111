package org.fftk.pruner.report;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;

/**
 * Multiply-accumulates per prediction (one image), counting only the weight-matrix products an
 * efficient implementation of docs/algorithms.md "Architectures" needs; normalisation, ReLU, goodness, softplus, biases and the
 * β mixing are not counted. With D = image width, L = labels, h_l = hidden widths (h_0 the first),
 * S = Σ_{l≥1} h_{l−1}·h_l (the products between hidden layers):
 * <ul>
 *   <li>ffnn (tries all L labels): D·h_0 + L·h_0 + L·S. The image part of layer 0 is computed once,
 *       each label only adds its one-hot column (h_0 each; the row norm of x ⊕ onehot is the same for
 *       every label), and the layers above run once per label.</li>
 *   <li>ffnn-c (one pass, all-zero label): D·h_0 + S + L·Σ_l h_l (the classifier).</li>
 *   <li>ffnn, ffnn-c with the overwrite label encoding: the same with D − L for D (the L corner values
 *       the label replaces are not read as image).</li>
 *   <li>bpnn: D·h_0 + S + L·h_last.</li>
 *   <li>ffrnn (K = testFrameHigh frames after the start state): D·h_0 once (layer 0's forward input,
 *       the image, never changes); the start state (frame 0, forward weights only) does not depend on
 *       the label, so its S is paid once per image; each frame of each label costs 2·S (the forward
 *       and backward products between hidden layers) + h_last (adding the top layer's one-hot label
 *       column, counted like ffnn's label column): D·h_0 + S + L·K·(2·S + h_last).</li>
 *   <li>ffcnn: L · Σ_l units_l · C_in,l·k_l² (each label's image runs through every conv layer).</li>
 *   <li>A factored ffnn or bpnn layer of rank r (docs/algorithms.md "Low-rank layers") costs r·(in + out)
 *       instead of in·out: layer 0's image part D·r_0 + r_0·h_0 (its label columns U·V[:, D+c] are
 *       computed once per model, so each label still adds h_0), layer l ≥ 1 r_l·(h_{l−1} + h_l) per label
 *       (bpnn: once).</li>
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
        long first = (m.labelOverwrites() ? d - labels : d) * h[0];
        long last = h[h.length - 1];
        int[] ranks = m.ranks();
        if (ranks != null) {
            // factored layers are ffnn's and bpnn's only (Layout.checkRanks)
            long image = m.labelOverwrites() ? d - labels : d;
            first = ranks[0] > 0 ? ranks[0] * (image + h[0]) : image * h[0];
            s = 0;
            for (int l = 1; l < h.length; l++) {
                s += ranks[l] > 0 ? (long) ranks[l] * (h[l - 1] + h[l]) : (long) h[l - 1] * h[l];
            }
        }
        switch (m.architecture()) {
            case FFNN:
                return first + labels * h[0] + labels * s;
            case FFNN_C:
                return first + s + labels * total;
            case BPNN:
                return first + s + labels * last;
            case FFRNN: {
                long k = m.testFrameHigh();
                return first + s + labels * k * (2 * s + last);
            }
            case FFCNN:
            case FFCNN_C:
            case BPCNN: {
                // every output unit reads C_in·k² inputs, in every label's pass (ffcnn) or in the one
                // pass (bpcnn, then the output layer reads the last maps)
                long per = 0;
                for (int l = 0; l < h.length; l++) {
                    per += m.conv().units(l, h) * m.conv().layerInput(l, h);
                }
                // ffcnn-c: one pass, then the classifier reads layers 1..n−1
                return m.architecture() == Architecture.FFCNN ? labels * per
                        : per + labels * org.fftk.edge.model.Layout.classifierInput(m.architecture(), h, m.conv());
            }
            default:
                throw new AssertionError(m.architecture());
        }
    }
}
