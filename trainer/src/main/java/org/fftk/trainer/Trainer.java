package org.fftk.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.trainer.history.EpochRecord;
import org.fftk.trainer.history.History;
import org.fftk.trainer.history.LayerRecord;
import org.fftk.edge.stats.Sparsity;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.LayerGoodness;
import org.fftk.trainer.tf.ClassifierNet;
import org.fftk.trainer.tf.GraphNet;
import org.fftk.trainer.tf.Net;
import org.fftk.trainer.tf.RecurrentNet;
import org.fftk.trainer.tf.TfRuntime;

/**
 * Trains ffnn (Forward-Forward, SPEC §2), ffnn-c, ffrnn (SPEC §3) and bpnn (backprop baseline)
 * networks with TensorFlow in graph mode. See {@link Net} for the ffnn/bpnn step, {@link ClassifierNet}
 * for ffnn-c's classifier phase (after E/2 epochs of ffnn training of its FF layers, rounded up) and
 * {@link RecurrentNet} for the ffrnn frames. Validation accuracy of ffnn-c (classifier phase) and
 * ffrnn is computed with the edge runtime's predictor, i.e. exactly the shipped model's prediction.
 *
 * <p>Determinism: one seeded {@link Random} draws the initial weights (PyTorch nn.Linear: W, b ~
 * U(−1/√in, 1/√in), layer by layer, W row-major then b; then ffnn-c's classifier the same way;
 * ffrnn: see {@link #initialRecurrentParams}), a second one (seed + 1) the per-epoch
 * shuffle and the negative labels of every batch, a third one (seed + 2) the fixed wrong labels
 * of the validation split. TensorFlow runs with one inter-op thread. Same seed, data and device
 * → the same weights (checked by TrainerDeterminismTest).
 *
 * <p>Nothing is written but the optional history file; the caller writes the model.
 */
public final class Trainer {
    private static final int PROGRESS_EVERY = 10;
    /** ffrnn prediction window, frames 3..8 (paper 003 Table 1: K_testlow, K_testhigh). */
    static final int TEST_FRAME_LOW = 3;
    static final int TEST_FRAME_HIGH = 8;

    private Trainer() {
    }

    /** Trains on an edge-runtime dataset (the training split; its last 10% by default is the validation split). */
    public static TrainResult train(TrainConfig cfg, org.fftk.edge.data.Dataset data, TrainListener listener) {
        return train(cfg, TrainData.of(data), listener);
    }

    /** Full-model accuracy of a trained model on an edge-runtime dataset, computed with TensorFlow. */
    public static double accuracy(Model m, org.fftk.edge.data.Dataset d, TrainConfig.Device device) {
        return accuracy(m, TrainData.of(d), device);
    }

    /** Trains on {@code data} (its last {@code validationFraction} is the validation split). */
    public static TrainResult train(TrainConfig cfg, TrainData data, TrainListener listener) {
        cfg.validate();
        if (listener == null) {
            listener = TrainListener.none();
        }
        TrainData all = data.head(cfg.limitTrain());
        int nVal = (int) Math.round(all.count() * cfg.validationFraction());
        int nTrain = all.count() - nVal;
        if (nTrain < 1) {
            throw new IllegalArgumentException("no training examples left after the validation split ("
                    + all.count() + " examples)");
        }
        TrainData train = all.range(0, nTrain);
        TrainData val = all.range(nTrain, nVal);
        Architecture arch = cfg.architecture();
        int[] widths = cfg.widths();
        int L = all.numLabels();
        int dim = all.dim();

        Random initRng = new Random(cfg.seed());
        Random batchRng = new Random(cfg.seed() + 1);
        int[] valNeg = wrongLabels(val, new Random(cfg.seed() + 2));

        History history = new History(configMap(cfg, nTrain, nVal, dim, L));
        if (cfg.historyPath() != null) {
            // written now (no epochs yet), so a bad path fails before any training, not after it
            writeHistory(history, cfg.historyPath());
        }
        Run run = new Run(cfg, train, val, valNeg, initRng, batchRng, history, listener);
        List<float[]> params;
        switch (arch) {
            case FFNN:
            case BPNN:
                params = run.feedForward(arch, cfg.epochs(), null);
                break;
            case FFNN_C:
                params = run.feedForward(Architecture.FFNN, cfg.ffEpochs(), "ff");
                params = run.classifier(params, cfg.ffEpochs() + 1);
                break;
            case FFRNN:
                params = run.recurrent();
                break;
            default:
                throw new IllegalArgumentException("cannot train " + arch);
        }
        return new TrainResult(toModel(cfg, dim, L, params, history), history);
    }

    /** One training run's state shared by its phases. */
    private static final class Run {
        final TrainConfig cfg;
        final TrainData train;
        final TrainData val;
        final int[] valNeg;
        final Random initRng;
        final Random batchRng;
        final History history;
        final TrainListener listener;
        final int nTrain;
        final int nVal;
        final int dim;
        final int L;
        final int[] widths;
        final int bs;
        final int steps;
        final int rem;
        final int[] perm;

        Run(TrainConfig cfg, TrainData train, TrainData val, int[] valNeg, Random initRng, Random batchRng,
            History history, TrainListener listener) {
            this.cfg = cfg;
            this.train = train;
            this.val = val;
            this.valNeg = valNeg;
            this.initRng = initRng;
            this.batchRng = batchRng;
            this.history = history;
            this.listener = listener;
            this.nTrain = train.count();
            this.nVal = val.count();
            this.dim = train.dim();
            this.L = train.numLabels();
            this.widths = cfg.widths();
            this.bs = Math.min(cfg.batchSize(), nTrain);
            this.steps = (nTrain + bs - 1) / bs;
            this.rem = nTrain % bs;
            this.perm = new int[nTrain];
            for (int i = 0; i < nTrain; i++) {
                perm[i] = i;
            }
        }

        boolean evaluate(int epoch) {
            return nVal > 0 && (epoch == cfg.epochs() || (cfg.evaluateEvery() > 0 && epoch % cfg.evaluateEvery() == 0));
        }

        /** A training step (one or more Session.run calls) on a filled batch. */
        interface Step {
            void run(GraphNet.BatchFeed f);
        }

        /** Start and end (System.nanoTime) of an epoch's training pass, and the time spent inside the steps. */
        record Pass(long t0, long t1, long runNanos) {
            double seconds() {
                return (t1 - t0) / 1e9;
            }

            double outsideRunShare() {
                return 1 - runNanos / (double) (t1 - t0);
            }
        }

        /**
         * One epoch's training pass: checks for interruption, shuffles, then per batch fills the feed
         * (fresh wrong labels when {@code negatives}), runs {@code step} and reports progress with the
         * mean loss Σ lossSums / (batches done · lossPerBatch).
         */
        Pass pass(int epoch, GraphNet net, GraphNet.BatchFeed full, GraphNet.BatchFeed last, boolean negatives,
                  double lossPerBatch, Step step) {
            checkInterrupt();
            listener.epochStarted(epoch, cfg.epochs(), steps);
            shuffle(perm, batchRng);
            net.resetLossSums();
            long t0 = System.nanoTime();
            long runNanos = 0;
            for (int s = 0; s < steps; s++) {
                GraphNet.BatchFeed f = (s == steps - 1 && last != null) ? last : full;
                fill(f, s, negatives);
                long r0 = System.nanoTime();
                step.run(f);
                runNanos += System.nanoTime() - r0;
                if ((s + 1) % PROGRESS_EVERY == 0 || s == steps - 1) {
                    double secs = (System.nanoTime() - t0) / 1e9;
                    listener.progress(epoch, s + 1, steps, sum(net.lossSums()) / ((s + 1) * lossPerBatch),
                            Math.min(nTrain, (long) (s + 1) * bs) / secs);
                }
            }
            return new Pass(t0, System.nanoTime(), runNanos);
        }

        /** Fills the feed with batch s of the current permutation: true labels, and fresh wrong labels when asked. */
        void fill(org.fftk.trainer.tf.GraphNet.BatchFeed f, int s, boolean negatives) {
            int from = s * bs;
            for (int i = 0; i < f.size; i++) {
                int ex = perm[from + i];
                int y = train.label(ex);
                f.index[i] = ex;
                f.label[i] = y;
                if (negatives) {
                    f.negative[i] = (y + 1 + batchRng.nextInt(L - 1)) % L;
                }
            }
        }

        void checkInterrupt() {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("training interrupted");
            }
        }

        void finishEpoch(EpochRecord rec) {
            history.add(rec);
            if (cfg.historyPath() != null) {
                writeHistory(history, cfg.historyPath());
            }
            listener.epochFinished(rec, cfg.epochs());
        }

        /** ffnn / bpnn training for {@code epochs} epochs (numbered from 1); returns the parameters. */
        List<float[]> feedForward(Architecture arch, int epochs, String phase) {
            long tBuild = System.nanoTime();
            try (Net net = new Net(arch, cfg.objective(), dim, L, widths, cfg.theta(), cfg.learningRate(),
                    Model.DEFAULT_NORM_EPSILON, nTrain, cfg.device())) {
                timing("build graph", tBuild);
                long tp = System.nanoTime();
                net.setParams(initialParams(net.paramShapes(), initRng));
                timing("init params", tp);
                tp = System.nanoTime();
                net.loadTrainingImages(train);
                timing("load images", tp);
                long[] adamStep = {0};
                try (Net.BatchFeed full = net.batchFeed(bs); Net.BatchFeed last = rem == 0 ? null : net.batchFeed(rem)) {
                    for (int epoch = 1; epoch <= epochs; epoch++) {
                        Pass pass = pass(epoch, net, full, last, true, 1, f -> net.trainStep(f, ++adamStep[0]));
                        long t1 = pass.t1();
                        timing("epoch " + epoch, pass.t0());
                        double seconds = pass.seconds();
                        float[] lossSums = net.lossSums();
                        List<float[]> params = net.getParams();
                        timing("get params", t1);
                        Evaluation ev = evaluate(epoch)
                                ? Evaluation.run(net, arch, cfg.objective(), widths.length, val, valNeg) : null;
                        timing("evaluate+params", t1);
                        List<LayerRecord> layers = new ArrayList<>();
                        for (int l = 0; l < widths.length; l++) {
                            float[] w = params.get(2 * l);
                            boolean ff = arch == Architecture.FFNN;
                            layers.add(new LayerRecord(l, ff ? (double) lossSums[l] / steps : null,
                                    ev != null && ff ? ev.layerAccuracy[l] : null,
                                    ev != null && ff ? ev.layerLabelAccuracy[l] : null,
                                    Sparsity.hoyer(w), Sparsity.l1NegEntropy(w), Sparsity.l2NegEntropy(w), Sparsity.gini(w)));
                        }
                        EpochRecord rec = new EpochRecord(epoch, sum(lossSums) / steps, ev == null ? null : ev.accuracy,
                                layers, seconds, nTrain / seconds, pass.outsideRunShare(),
                                (System.nanoTime() - t1) / 1e9, phase);
                        timing("epoch bookkeeping", t1);
                        finishEpoch(rec);
                    }
                }
                return net.getParams();
            }
        }

        /**
         * ffnn-c phase 2: the classifier alone on the frozen FF layers {@code ff} (W, b per layer),
         * epochs {@code firstEpoch..cfg.epochs()}; returns ff + [classifier W, classifier b].
         */
        List<float[]> classifier(List<float[]> ff, int firstEpoch) {
            int total = 0;
            for (int w : widths) {
                total += w;
            }
            // nn.Linear(Σ widths, L): W, b ~ U(−1/√Σwidths, 1/√Σwidths), drawn after the FF layers' init
            List<float[]> p = new ArrayList<>(ff);
            p.addAll(initialParams(List.of(new long[] {L, total}, new long[] {L}), initRng));
            try (ClassifierNet net = new ClassifierNet(dim, L, widths, Model.DEFAULT_NORM_EPSILON,
                    cfg.classifierLearningRate(), nTrain, cfg.device())) {
                net.setParams(p);
                net.loadTrainingImages(train);
                long[] adamStep = {0};
                List<float[]> ffWeights = new ArrayList<>();
                for (int l = 0; l < widths.length; l++) {
                    ffWeights.add(ff.get(2 * l));
                }
                try (GraphNet.BatchFeed full = net.batchFeed(bs);
                     GraphNet.BatchFeed last = rem == 0 ? null : net.batchFeed(rem)) {
                    for (int epoch = firstEpoch; epoch <= cfg.epochs(); epoch++) {
                        Pass pass = pass(epoch, net, full, last, false, 1, f -> net.trainStep(f, ++adamStep[0]));
                        long t1 = pass.t1();
                        double seconds = pass.seconds();
                        float[] lossSums = net.lossSums();
                        Double acc = evaluate(epoch)
                                ? predictAccuracy(toModel(cfg, dim, L, net.getParams(), history), val) : null;
                        finishEpoch(new EpochRecord(epoch, sum(lossSums) / steps, acc, weightRecords(ffWeights),
                                seconds, nTrain / seconds, pass.outsideRunShare(),
                                (System.nanoTime() - t1) / 1e9, "classifier"));
                    }
                }
                return net.getParams();
            }
        }

        /** ffrnn training (see {@link RecurrentNet} for the frame and update order). */
        List<float[]> recurrent() {
            int K = cfg.trainFrames();
            try (RecurrentNet net = new RecurrentNet(cfg.objective(), dim, L, widths, cfg.theta(), cfg.beta(),
                    cfg.learningRate(), Model.DEFAULT_NORM_EPSILON, nTrain, cfg.device())) {
                net.setParams(initialRecurrentParams(dim, L, widths, initRng));
                net.loadTrainingImages(train);
                long[] adamStep = {0};
                try (GraphNet.BatchFeed full = net.batchFeed(bs);
                     GraphNet.BatchFeed last = rem == 0 ? null : net.batchFeed(rem)) {
                    for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                        Pass pass = pass(epoch, net, full, last, true, K, f -> {
                            net.start(f);
                            for (int t = 1; t <= K; t++) {
                                net.trainFrame(f, ++adamStep[0]);
                            }
                        });
                        long t1 = pass.t1();
                        double seconds = pass.seconds();
                        float[] lossSums = net.lossSums();
                        List<float[]> params = net.getParams();
                        Evaluation ev = evaluate(epoch) ? Evaluation.recurrent(
                                LayerGoodness.ffrnn(toModel(cfg, dim, L, params, history), val.pixels(), val.pixelOffset(0),
                                        val.count(), evalThreads()), val, valNeg, cfg.objective()) : null;
                        List<float[]> fw = new ArrayList<>();
                        for (int l = 0; l < widths.length; l++) {
                            fw.add(params.get(3 * l));
                        }
                        List<LayerRecord> layers = new ArrayList<>();
                        List<LayerRecord> wr = weightRecords(fw);
                        for (int l = 0; l < widths.length; l++) {
                            LayerRecord r = wr.get(l);
                            layers.add(new LayerRecord(l, (double) lossSums[l] / ((double) steps * K),
                                    ev == null ? null : ev.layerAccuracy[l], ev == null ? null : ev.layerLabelAccuracy[l],
                                    r.hoyer(), r.l1NegEntropy(), r.l2NegEntropy(), r.gini()));
                        }
                        finishEpoch(new EpochRecord(epoch, sum(lossSums) / ((double) steps * K),
                                ev == null ? null : ev.accuracy, layers,
                                seconds, nTrain / seconds, pass.outsideRunShare(),
                                (System.nanoTime() - t1) / 1e9));
                    }
                }
                return net.getParams();
            }
        }
    }

    private static void writeHistory(History h, java.nio.file.Path file) {
        try {
            h.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Weight metrics only (SPEC §5) of each layer's W. */
    private static List<LayerRecord> weightRecords(List<float[]> ws) {
        List<LayerRecord> out = new ArrayList<>();
        for (int l = 0; l < ws.size(); l++) {
            float[] w = ws.get(l);
            out.add(new LayerRecord(l, null, null, null, Sparsity.hoyer(w), Sparsity.l1NegEntropy(w),
                    Sparsity.l2NegEntropy(w), Sparsity.gini(w)));
        }
        return out;
    }

    /** Threads for the edge runtime's evaluations: every core (TensorFlow is idle meanwhile). */
    static int evalThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Accuracy of a model on labelled images with the edge runtime's predictor (SPEC §3 prediction), on every core. */
    static double predictAccuracy(Model m, TrainData d) {
        int n = d.count();
        if (n == 0) {
            return 0;
        }
        int[] pred = Inference.predict(m, d.pixels(), d.pixelOffset(0), n, evalThreads());
        int ok = 0;
        for (int i = 0; i < n; i++) {
            ok += pred[i] == d.label(i) ? 1 : 0;
        }
        return ok / (double) n;
    }

    /**
     * ffrnn init, per layer in order: W_f, b, W_b, each ~ U(−1/√(in_f + in_b), 1/√(in_f + in_b)),
     * i.e. PyTorch nn.Linear for one layer reading the concatenation of the layer below and the
     * layer above (the label for the top layer).
     */
    static List<float[]> initialRecurrentParams(int dim, int labels, int[] widths, Random rng) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            int in = i == 0 ? dim : widths[i - 1];
            int above = i == widths.length - 1 ? labels : widths[i + 1];
            double bound = 1 / Math.sqrt(in + above);
            for (int n : new int[] {widths[i] * in, widths[i], widths[i] * above}) {
                float[] a = new float[n];
                for (int k = 0; k < n; k++) {
                    a[k] = (float) ((rng.nextDouble() * 2 - 1) * bound);
                }
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Full-model accuracy of a trained model on labelled images: ffnn and bpnn computed with
     * TensorFlow, ffnn-c and ffrnn with the edge runtime's predictor.
     */
    public static double accuracy(Model m, TrainData d, TrainConfig.Device device) {
        if (d.dim() != m.inputSize() || d.numLabels() != m.numLabels()) {
            throw new IllegalArgumentException("model reads " + m.inputSize() + " pixels and " + m.numLabels()
                    + " labels, data has " + d.dim() + " and " + d.numLabels());
        }
        if (m.architecture() == Architecture.FFNN_C || m.architecture() == Architecture.FFRNN) {
            return predictAccuracy(m, d);
        }
        try (Net net = new Net(m.architecture(), m.objective(), m.inputSize(), m.numLabels(), m.widths(), m.theta(),
                1f, m.normEpsilon(), 0, device)) {
            List<float[]> p = new ArrayList<>();
            for (DenseLayer l : m.layers()) {
                p.add(l.weights());
                p.add(l.biases());
            }
            if (m.classifier() != null) {
                p.add(m.classifier().weights());
                p.add(m.classifier().biases());
            }
            net.setParams(p);
            return Evaluation.run(net, m.architecture(), m.objective(), m.layers().size(), d,
                    wrongLabels(d, new Random(0))).accuracy;
        }
    }

    static int[] wrongLabels(TrainData d, Random rng) {
        int[] r = new int[d.count()];
        int L = d.numLabels();
        for (int i = 0; i < r.length; i++) {
            r[i] = (d.label(i) + 1 + rng.nextInt(L - 1)) % L;
        }
        return r;
    }

    /** PyTorch nn.Linear init: W and b ~ U(−1/√in, 1/√in). */
    static List<float[]> initialParams(List<long[]> shapes, Random rng) {
        List<float[]> out = new ArrayList<>();
        double bound = 0;
        for (long[] s : shapes) {
            if (s.length == 2) {
                bound = 1 / Math.sqrt(s[1]);
            }
            float[] a = new float[(int) (s.length == 2 ? s[0] * s[1] : s[0])];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
            out.add(a);
        }
        return out;
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    private static Map<String, Object> configMap(TrainConfig c, int nTrain, int nVal, int dim, int labels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", c.architecture().id());
        m.put("widths", c.widths());
        m.put("epochs", c.epochs());
        m.put("batchSize", c.batchSize());
        m.put("learningRate", c.learningRate());
        if (c.architecture() != Architecture.BPNN) {
            m.put("theta", c.theta());
            m.put("objective", c.objective().id());
        }
        if (c.architecture() == Architecture.FFNN_C) {
            m.put("ffEpochs", c.ffEpochs());
            m.put("classifierEpochs", c.epochs() - c.ffEpochs());
            m.put("classifierLearningRate", c.classifierLearningRate());
        }
        if (c.architecture() == Architecture.FFRNN) {
            m.put("beta", c.beta());
            m.put("trainFrames", c.trainFrames());
            m.put("testFrames", new int[] {TEST_FRAME_LOW, TEST_FRAME_HIGH});
        }
        m.put("validateEvery", c.evaluateEvery());
        m.put("seed", c.seed());
        m.put("trainExamples", nTrain);
        m.put("validationExamples", nVal);
        m.put("inputSize", dim);
        m.put("labels", labels);
        m.put("device", c.device().id());
        m.put("optimizer", "adam(beta1=0.9, beta2=0.999, eps=1e-8)");
        return m;
    }

    private static Model toModel(TrainConfig cfg, int dim, int L, List<float[]> p, History h) {
        int[] widths = cfg.widths();
        Architecture arch = cfg.architecture();
        Model.Builder b = Model.builder(arch).inputSize(dim).numLabels(L);
        if (arch == Architecture.FFRNN) {
            int in = dim;
            for (int l = 0; l < widths.length; l++) {
                int above = l == widths.length - 1 ? L : widths[l + 1];
                b.addLayer(new DenseLayer(widths[l], in, p.get(3 * l), p.get(3 * l + 1), above, p.get(3 * l + 2)));
                in = widths[l];
            }
            b.theta(cfg.theta()).objective(cfg.objective()).beta(cfg.beta()).trainFrames(cfg.trainFrames())
                    .testFrames(TEST_FRAME_LOW, TEST_FRAME_HIGH);
        } else {
            boolean ff = arch == Architecture.FFNN || arch == Architecture.FFNN_C;
            int in = ff ? dim + L : dim;
            int total = 0;
            for (int l = 0; l < widths.length; l++) {
                b.addLayer(new DenseLayer(widths[l], in, p.get(2 * l), p.get(2 * l + 1)));
                in = widths[l];
                total += widths[l];
            }
            if (arch == Architecture.BPNN) {
                b.classifier(new DenseLayer(L, in, p.get(2 * widths.length), p.get(2 * widths.length + 1)));
            } else {
                b.theta(cfg.theta()).objective(cfg.objective());
                if (arch == Architecture.FFNN_C) {
                    b.classifier(new DenseLayer(L, total, p.get(2 * widths.length), p.get(2 * widths.length + 1)));
                }
            }
        }
        Map<String, Object> prov = new LinkedHashMap<>(h.getConfig());
        EpochRecord last = h.last();
        if (last != null && last.validationAccuracy() != null) {
            prov.put("validationAccuracy", last.validationAccuracy());
        }
        try {
            b.provenance(new ObjectMapper().writeValueAsString(prov));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.build();
    }

    private static final boolean TIMING = Boolean.getBoolean("fftk.timing");

    private static void timing(String what, long since) {
        if (TIMING) {
            System.err.printf(java.util.Locale.ROOT, "[timing] %s: %.2f s%n", what, (System.nanoTime() - since) / 1e9);
        }
    }

    /** Checks the device before any work (a clear message when gpu is asked for but absent). */
    public static void checkDevice(TrainConfig.Device d) {
        TfRuntime.deviceSpec(d);
    }
}
