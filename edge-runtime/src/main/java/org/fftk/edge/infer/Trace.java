package org.fftk.edge.infer;

import java.util.List;
import org.fftk.edge.model.Model;

/**
 * The per-layer values behind a model's prediction, from the edge runtime's own predictors (the one
 * forward pass in fftk): the scores are exactly those of {@link Predictor#scores}, and every hidden
 * layer's activations and goodness are handed to a {@link LayerSink} as they are computed. The
 * pruner's activation ranking, {@code fftk inspect}, the trainer's validation metrics and
 * {@link LayerGoodness} are all built on it.
 */
public final class Trace {
    private Trace() {
    }

    /**
     * Runs the model over {@code n} images from {@code images[offset]} on one thread.
     *
     * @return the scores, n × labels, as {@link Predictor#scores} gives them
     */
    public static float[] run(Model m, float[] images, int offset, int n, LayerSink sink) {
        return run(m, images, offset, n, sink, 1);
    }

    /**
     * As {@link #run(Model, float[], int, int, LayerSink)}, the images split into contiguous parts
     * over {@code threads} threads: the sink is then called concurrently, for different images.
     */
    public static float[] run(Model m, float[] images, int offset, int n, LayerSink sink, int threads) {
        int d = m.inputSize();
        int labels = m.numLabels();
        if (n < 0 || offset < 0 || (long) offset + (long) n * d > images.length) {
            throw new IllegalArgumentException("need " + n + " images of " + d + " values from index " + offset
                    + ", but the array holds " + images.length + " values");
        }
        float[] scores = new float[Math.multiplyExact(n, labels)];
        List<Predictor> ps = Inference.predictors(m, Parallel.workers(n, threads));
        Parallel.split(n, threads, (w, from, to) -> {
            BlockPredictor p = (BlockPredictor) ps.get(w);
            float[] part = new float[(to - from) * labels];
            LayerSink shifted = from == 0 ? sink : new LayerSink() {
                @Override
                public void layer(int image, int candidate, int layer, int frame, float[] h, double z) {
                    sink.layer(image + from, candidate, layer, frame, h, z);
                }

                @Override
                public boolean activations() {
                    return sink.activations();
                }
            };
            p.trace(images, offset + from * d, to - from, part, shifted);
            System.arraycopy(part, 0, scores, from * labels, part.length);
        });
        return scores;
    }
}
