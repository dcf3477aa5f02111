package org.fftk.trainer;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Model;
import org.fftk.trainer.tf.GraphNet;

/**
 * The one training loop (docs/algorithms.md, "Training"): for every epoch of a {@link Phase},
 * shuffle, then per batch fill the feed (true labels and, for FF objectives, fresh wrong labels),
 * run the phase's step and report progress; at the end of the epoch hand an {@link EpochEnd} to
 * the bookkeeping. Nothing else happens here: history, validation, sparsity and provenance live
 * in the listeners ({@link HistoryKeeper}, {@link TrainListener}).
 */
final class TrainLoop {
    private static final int PROGRESS_EVERY = 10;

    /** A training step (one or more Session.run calls) on a filled batch. */
    interface Step {
        void run(GraphNet.BatchFeed f);
    }

    /**
     * One phase of training: a graph, how one batch is trained, and how its parameters become a model.
     *
     * @param name           ffnn-c's "ff" or "classifier", else null
     * @param firstEpoch     1-based epoch number of the phase's first epoch
     * @param lastEpoch      and of its last
     * @param negatives      draw a wrong label per example for every batch (FF objectives)
     * @param lossesPerBatch how many loss evaluations one batch adds to the loss sums (ffrnn: its frames)
     * @param layerLosses    true when the net's loss sums are one per layer
     * @param adamStep       the phase's Adam step count (one cell, advanced by {@code step}; checkpointed)
     */
    record Phase(String name, int firstEpoch, int lastEpoch, GraphNet net, Step step, boolean negatives,
                 double lossesPerBatch, boolean layerLosses, Function<List<float[]>, Model> model, long[] adamStep) {
    }

    /** Called after every epoch's bookkeeping with the loop's state (docs/algorithms.md "Checkpoints"). */
    interface Checkpointer {
        void save(Phase p, int epoch, int[] perm);
    }

    private final Dataset train;
    private final int epochs;
    private final int bs;
    private final int steps;
    private final int rem;
    private final int[] perm;
    private final Random batchRng;
    private final TrainListener progress;
    private final Consumer<EpochEnd> end;
    private Checkpointer checkpointer;

    /**
     * @param epochs   the run's total epochs (for progress display)
     * @param batchRng draws the shuffles and the wrong labels, in that order, epoch after epoch
     * @param end      receives every epoch's end
     */
    TrainLoop(Dataset train, int epochs, int batchSize, Random batchRng, TrainListener progress, Consumer<EpochEnd> end) {
        this.train = train;
        this.epochs = epochs;
        int n = train.size();
        this.bs = Math.min(batchSize, n);
        this.steps = (n + bs - 1) / bs;
        this.rem = n % bs;
        this.perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        this.batchRng = batchRng;
        this.progress = progress;
        this.end = end;
    }

    /** Saves a checkpoint after every epoch from now on. */
    void checkpointWith(Checkpointer c) {
        this.checkpointer = c;
    }

    /** Continues from a checkpoint's shuffle order (each epoch shuffles the previous order). */
    void restoreOrder(int[] order) {
        if (order.length != perm.length) {
            throw new IllegalArgumentException("the checkpoint's shuffle order has " + order.length
                    + " entries, the training split " + perm.length);
        }
        boolean[] seen = new boolean[perm.length];
        for (int v : order) {
            if (v < 0 || v >= perm.length || seen[v]) {
                throw new IllegalArgumentException("the checkpoint's shuffle order is not a permutation");
            }
            seen[v] = true;
        }
        System.arraycopy(order, 0, perm, 0, perm.length);
    }

    /** Runs the phase's epochs; returns the net's final parameters. */
    List<float[]> run(Phase p) {
        GraphNet net = p.net();
        try (GraphNet.BatchFeed full = net.batchFeed(bs); GraphNet.BatchFeed last = rem == 0 ? null : net.batchFeed(rem)) {
            for (int epoch = p.firstEpoch(); epoch <= p.lastEpoch(); epoch++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("training interrupted");
                }
                progress.epochStarted(epoch, epochs, steps);
                shuffle(perm, batchRng);
                net.resetLossSums();
                long t0 = System.nanoTime();
                long runNanos = 0;
                for (int s = 0; s < steps; s++) {
                    GraphNet.BatchFeed f = (s == steps - 1 && last != null) ? last : full;
                    fill(f, s, p.negatives());
                    long r0 = System.nanoTime();
                    p.step().run(f);
                    runNanos += System.nanoTime() - r0;
                    if ((s + 1) % PROGRESS_EVERY == 0 || s == steps - 1) {
                        double secs = (System.nanoTime() - t0) / 1e9;
                        progress.progress(epoch, s + 1, steps, sum(net.lossSums()) / ((s + 1) * p.lossesPerBatch()),
                                Math.min(train.size(), (long) (s + 1) * bs) / secs);
                    }
                }
                long t1 = System.nanoTime();
                double seconds = (t1 - t0) / 1e9;
                float[] sums = net.lossSums();
                double perEpoch = steps * p.lossesPerBatch();
                double[] layers = null;
                if (p.layerLosses()) {
                    layers = new double[sums.length];
                    for (int l = 0; l < sums.length; l++) {
                        layers[l] = (double) sums[l] / perEpoch;
                    }
                }
                end.accept(new EpochEnd(epoch, p.name(), sum(sums) / perEpoch, layers, seconds, train.size() / seconds,
                        1 - runNanos / (double) (t1 - t0), t1, p.model().apply(net.getParams())));
                if (checkpointer != null) {
                    checkpointer.save(p, epoch, perm);
                }
            }
        }
        return net.getParams();
    }

    /** Fills the feed with batch s of the current permutation: true labels, and fresh wrong labels when asked. */
    private void fill(GraphNet.BatchFeed f, int s, boolean negatives) {
        int from = s * bs;
        int labels = train.numLabels();
        for (int i = 0; i < f.size; i++) {
            int ex = perm[from + i];
            int y = train.label(ex);
            f.index[i] = ex;
            f.label[i] = y;
            if (negatives) {
                f.negative[i] = Init.wrongLabel(y, labels, batchRng);
            }
        }
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
