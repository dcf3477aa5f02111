package org.fftk.pruner.activation;

import org.fftk.edge.data.Dataset;
import org.fftk.edge.infer.LabelRule;
import org.fftk.edge.infer.LayerSink;
import org.fftk.edge.infer.Trace;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;

/**
 * The hidden activations the pruner ranks neurons by and {@code fftk inspect} reports, from one
 * {@link Trace} of the edge runtime (docs/algorithms.md, "Activations of a sample"): per image, each
 * hidden layer's h as the model computes it with the image's TRUE label where a label is embedded
 * (positive data):
 * <ul>
 *   <li>ffnn: the pass with the true label embedded;</li>
 *   <li>ffnn-c: its prediction pass, image ⊕ all-zero label (what the classifier reads);</li>
 *   <li>bpnn: its one pass;</li>
 *   <li>ffrnn: the mean of h(t) over the counted frames K_testlow..K_testhigh with the true label
 *       clamped at the top (the states its prediction reads; the label-blind start state h(0) would
 *       rank neurons by the image alone).</li>
 * </ul>
 */
public final class Activations {
    private Activations() {
    }

    /** Receives one image's layer. */
    public interface Visitor {
        /**
         * @param sample position of the image in the sample (0-based)
         * @param h      the layer's activations (a scratch array, valid during the call)
         */
        void layer(int sample, int layer, float[] h);
    }

    /**
     * Runs the model over the images {@code idx} of {@code d} (in that order, on one thread, so sums
     * are reproducible) and hands every hidden layer's activations to {@code v}.
     *
     * @return the model's predicted label of each sampled image
     */
    public static int[] visit(Model m, Dataset d, int[] idx, Visitor v) {
        if (d.inputSize() != m.inputSize()) {
            throw new IllegalArgumentException("images have width " + d.inputSize() + " but the model reads "
                    + m.inputSize());
        }
        int w = m.inputSize();
        float[] px = new float[Math.multiplyExact(idx.length, w)];
        int[] truth = new int[idx.length];
        for (int s = 0; s < idx.length; s++) {
            System.arraycopy(d.images(), d.offset(idx[s]), px, s * w, w);
            truth[s] = d.label(idx[s]);
            if (truth[s] < 0 || truth[s] >= m.numLabels()) {
                throw new IllegalArgumentException("label " + truth[s] + " is outside 0.." + (m.numLabels() - 1));
            }
        }
        boolean recurrent = m.architecture() == Architecture.FFRNN;
        int low = recurrent ? m.testFrameLow() : 0;
        int high = recurrent ? m.testFrameHigh() : 0;
        int frames = high - low + 1;
        // ffrnn: the frames of one image and layer arrive in order (a block's frames in sequence), so
        // the counted frames are summed per image and layer and handed on after the last one
        float[][][] mean = recurrent ? new float[idx.length][m.layers().size()][] : null;
        float[] scores = Trace.run(m, px, 0, idx.length, new LayerSink() {
            @Override
            public void layer(int image, int candidate, int layer, int frame, float[] h, double z) {
                if (!recurrent) {
                    if (frame == 0 && (candidate < 0 || candidate == truth[image])) {
                        v.layer(image, layer, h);
                    }
                    return;
                }
                if (candidate != truth[image] || frame < low || frame > high) {
                    return;
                }
                float[] acc = mean[image][layer];
                if (acc == null) {
                    acc = new float[h.length];
                    mean[image][layer] = acc;
                }
                for (int j = 0; j < h.length; j++) {
                    acc[j] += h[j];
                }
                if (frame == high) {
                    for (int j = 0; j < acc.length; j++) {
                        acc[j] /= frames;
                    }
                    v.layer(image, layer, acc);
                    mean[image][layer] = null;
                }
            }
        });
        return LabelRule.labels(m, scores, idx.length);
    }
}
