package org.fftk.edge.infer;

import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Model;

/** Entry point: the fastest predictor this runtime has for a model's architecture. */
public final class Inference {
    /** Images per block when none is given: enough to reuse each weight row, small enough for the cache. */
    public static final int DEFAULT_BLOCK = 4;

    private Inference() {
    }

    /** A predictor for any architecture (one per thread: it owns scratch buffers). */
    public static Predictor predictor(Model m) {
        return predictor(m, DEFAULT_BLOCK);
    }

    /**
     * {@code count} predictors for one model that share its weights (one copy in memory, however
     * many threads) but each own their scratch buffers: give one to each thread.
     */
    public static java.util.List<Predictor> predictors(Model m, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one predictor, got " + count);
        }
        BlockPredictor first = (BlockPredictor) predictor(m, DEFAULT_BLOCK);
        java.util.List<Predictor> r = new java.util.ArrayList<>(count);
        r.add(first);
        for (int i = 1; i < count; i++) {
            r.add(first.fork());
        }
        return r;
    }

    /**
     * Scores of {@code n} images into {@code out} (n × labels), the images split over {@code threads}
     * threads, each with its own predictor sharing the model's weights.
     */
    public static void scores(Model m, float[] images, int offset, int n, float[] out, int threads) {
        scores(predictors(m, Parallel.workers(n, threads)), images, offset, n, out, threads);
    }

    /** Predicted labels of {@code n} images, split over {@code threads} threads as {@link #scores(Model, float[], int, int, float[], int)}. */
    public static int[] predict(Model m, float[] images, int offset, int n, int threads) {
        java.util.List<Predictor> ps = predictors(m, Parallel.workers(n, threads));
        int d = m.inputSize();
        int[] out = new int[n];
        Parallel.split(n, threads, (w, from, to) -> {
            int[] part = new int[to - from];
            ps.get(w).labels(images, offset + from * d, to - from, part);
            System.arraycopy(part, 0, out, from, part.length);
        });
        return out;
    }

    /** Images per {@link Predictor#scores} call when counting correct predictions. */
    public static final int BATCH = 128;

    /** Correct predictions of {@code p} on images [from, to) of {@code d}, {@code batch} images per call. */
    public static long correct(Predictor p, Dataset d, int from, int to, int batch) {
        int[] pred = new int[Math.max(1, Math.min(batch, to - from))];
        long c = 0;
        for (int i = from; i < to; i += batch) {
            int k = Math.min(batch, to - i);
            p.labels(d.images(), d.offset(i), k, pred);
            for (int r = 0; r < k; r++) {
                if (pred[r] == d.label(i + r)) {
                    c++;
                }
            }
        }
        return c;
    }

    /** Correct predictions of a model on all of {@code d}, the images split over {@code threads} threads. */
    public static long correct(Model m, Dataset d, int threads) {
        checkShape(m, d);
        int n = d.size();
        java.util.List<Predictor> ps = predictors(m, Parallel.workers(n, threads));
        long[] parts = new long[ps.size()];
        Parallel.split(n, threads, (w, from, to) -> parts[w] = correct(ps.get(w), d, from, to, BATCH));
        long c = 0;
        for (long v : parts) {
            c += v;
        }
        return c;
    }

    /** Fraction of {@code d} a model labels right (0 for an empty set), on {@code threads} threads. */
    public static double accuracy(Model m, Dataset d, int threads) {
        return d.size() == 0 ? 0 : (double) correct(m, d, threads) / d.size();
    }

    /** Refuses images of the wrong width with a message naming both widths. */
    public static void checkShape(Model m, Dataset d) {
        if (d.inputSize() != m.inputSize()) {
            throw new IllegalArgumentException("the model reads images of " + m.inputSize() + " values, but " + d.name()
                    + " images have " + d.inputSize());
        }
        if (d.numLabels() > m.numLabels()) {
            throw new IllegalArgumentException("the model predicts " + m.numLabels() + " labels, but " + d.name()
                    + " has " + d.numLabels());
        }
    }

    private static void scores(java.util.List<Predictor> ps, float[] images, int offset, int n, float[] out,
                               int threads) {
        int d = ps.get(0).inputSize();
        int labels = ps.get(0).numLabels();
        if ((long) n * labels > out.length) {
            throw new IllegalArgumentException("score array holds " + out.length + " values, need " + (long) n * labels);
        }
        Parallel.split(n, threads, (w, from, to) -> {
            int k = to - from;
            float[] part = new float[k * labels];
            ps.get(w).scores(images, offset + from * d, k, part);
            System.arraycopy(part, 0, out, from * labels, part.length);
        });
    }

    /**
     * A predictor that processes up to {@code block} images at a time (its scratch memory grows
     * with the block; results do not depend on it beyond float rounding).
     */
    public static Predictor predictor(Model m, int block) {
        switch (m.architecture()) {
            case FFNN:
                return new GoodnessPredictor(m, block);
            case FFNN_C:
            case BPNN:
                return new DensePredictor(m, block);
            case FFRNN:
                return new RecurrentPredictor(m, block);
            case FFCNN:
            case FFCNN_C:
            case BPCNN:
                return new ConvPredictor(m, block);
            default:
                throw new UnsupportedOperationException("edge runtime cannot run " + m.architecture() + " models");
        }
    }
}
