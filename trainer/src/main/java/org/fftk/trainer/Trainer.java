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
import org.fftk.trainer.tf.Net;
import org.fftk.trainer.tf.TfRuntime;

/**
 * Trains ffnn (Forward-Forward, SPEC §2) and bpnn (backprop baseline) networks with TensorFlow
 * in graph mode. See {@link Net} for the step itself.
 *
 * <p>Determinism: one seeded {@link Random} draws the initial weights (PyTorch nn.Linear: W, b ~
 * U(−1/√in, 1/√in), layer by layer, W row-major then b), a second one (seed + 1) the per-epoch
 * shuffle and the negative labels of every batch, a third one (seed + 2) the fixed wrong labels
 * of the validation split. TensorFlow runs with one inter-op thread. Same seed, data and device
 * → the same weights (checked by TrainerDeterminismTest).
 *
 * <p>Nothing is written but the optional history file; the caller writes the model.
 */
public final class Trainer {
    private static final int PROGRESS_EVERY = 10;

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
            int bs = Math.min(cfg.batchSize(), nTrain);
            int steps = (nTrain + bs - 1) / bs;
            int rem = nTrain % bs;
            int[] perm = new int[nTrain];
            for (int i = 0; i < nTrain; i++) {
                perm[i] = i;
            }
            long adamStep = 0;
            try (Net.BatchFeed full = net.batchFeed(bs); Net.BatchFeed last = rem == 0 ? null : net.batchFeed(rem)) {
                for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException("training interrupted");
                    }
                    listener.epochStarted(epoch, cfg.epochs(), steps);
                    shuffle(perm, batchRng);
                    net.resetLossSums();
                    long t0 = System.nanoTime();
                    long runNanos = 0;
                    for (int s = 0; s < steps; s++) {
                        int from = s * bs;
                        Net.BatchFeed f = (s == steps - 1 && last != null) ? last : full;
                        for (int i = 0; i < f.size; i++) {
                            int ex = perm[from + i];
                            int y = train.label(ex);
                            f.index[i] = ex;
                            f.label[i] = y;
                            f.negative[i] = (y + 1 + batchRng.nextInt(L - 1)) % L;
                        }
                        long r0 = System.nanoTime();
                        net.trainStep(f, ++adamStep);
                        runNanos += System.nanoTime() - r0;
                        if ((s + 1) % PROGRESS_EVERY == 0 || s == steps - 1) {
                            double secs = (System.nanoTime() - t0) / 1e9;
                            listener.progress(epoch, s + 1, steps, sum(net.lossSums()) / (s + 1),
                                    Math.min(nTrain, (long) (s + 1) * bs) / secs);
                        }
                    }
                    long t1 = System.nanoTime();
                    timing("epoch " + epoch, t0);
                    double seconds = (t1 - t0) / 1e9;
                    float[] lossSums = net.lossSums();
                    List<float[]> params = net.getParams();
                    timing("get params", t1);
                    boolean eval = nVal > 0 && (cfg.evaluateEveryEpoch() || epoch == cfg.epochs());
                    Evaluation ev = eval ? Evaluation.run(net, arch, cfg.objective(), widths.length, val, valNeg) : null;
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
                            layers, seconds, nTrain / seconds, 1 - runNanos / (double) (t1 - t0),
                            (System.nanoTime() - t1) / 1e9);
                    history.add(rec);
                    timing("epoch bookkeeping", t1);
                    if (cfg.historyPath() != null) {
                        try {
                            history.write(cfg.historyPath());
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot write history " + cfg.historyPath() + ": " + e.getMessage(), e);
                        }
                    }
                    listener.epochFinished(rec, cfg.epochs());
                }
            }
            Model model = toModel(cfg, dim, L, net.getParams(), history);
            return new TrainResult(model, history);
        }
    }

    /** Full-model accuracy of a trained ffnn or bpnn model on labelled images, computed with TensorFlow. */
    public static double accuracy(Model m, TrainData d, TrainConfig.Device device) {
        if (d.dim() != m.inputSize() || d.numLabels() != m.numLabels()) {
            throw new IllegalArgumentException("model reads " + m.inputSize() + " pixels and " + m.numLabels()
                    + " labels, data has " + d.dim() + " and " + d.numLabels());
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
        Model.Builder b = Model.builder(cfg.architecture()).inputSize(dim).numLabels(L);
        int in = cfg.architecture() == Architecture.FFNN ? dim + L : dim;
        for (int l = 0; l < widths.length; l++) {
            b.addLayer(new DenseLayer(widths[l], in, p.get(2 * l), p.get(2 * l + 1)));
            in = widths[l];
        }
        if (cfg.architecture() == Architecture.BPNN) {
            b.classifier(new DenseLayer(L, in, p.get(2 * widths.length), p.get(2 * widths.length + 1)));
        } else {
            b.theta(cfg.theta()).objective(cfg.objective());
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
