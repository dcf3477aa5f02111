package org.fftk.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.trainer.TrainLoop.Phase;
import org.fftk.trainer.history.EpochRecord;
import org.fftk.trainer.history.History;
import org.fftk.trainer.tf.ClassifierNet;
import org.fftk.trainer.tf.GraphNet;
import org.fftk.trainer.tf.Net;
import org.fftk.trainer.tf.RecurrentNet;
import org.fftk.trainer.tf.TfRuntime;

/**
 * Trains ffnn, ffnn-c, ffrnn and bpnn networks with TensorFlow in graph mode (docs/algorithms.md,
 * "Training"). See {@link Net} for the ffnn/bpnn step, {@link ClassifierNet} for ffnn-c's classifier
 * phase (after E/2 epochs of ffnn training of its FF layers, rounded up) and {@link RecurrentNet}
 * for the ffrnn frames. Each phase runs in the one {@link TrainLoop}; validation, history and
 * sparsity are bookkeeping in {@link HistoryKeeper}, computed with the edge runtime's own forward
 * pass, i.e. exactly the shipped model's prediction.
 *
 * <p>Determinism: one seeded {@link Random} draws the initial weights ({@link Init}: PyTorch
 * nn.Linear, layer by layer, W row-major then b; then ffnn-c's classifier the same way; ffrnn:
 * {@link Init#recurrent}), a second one (seed + 1) the per-epoch shuffle and the negative labels of
 * every batch, a third one (seed + 2) the fixed wrong labels of the validation split. TensorFlow runs
 * with one inter-op thread. Same seed, data and device → the same weights (TrainerDeterminismTest).
 * {@link TrainConfig#withStart} replaces the random initialisation by a model's parameters.
 *
 * <p>Nothing is written but the optional history file; the caller writes the model.
 */
public final class Trainer {
    /** ffrnn prediction window, frames 3..8 (paper 003 Table 1: K_testlow, K_testhigh). */
    static final int TEST_FRAME_LOW = 3;
    static final int TEST_FRAME_HIGH = 8;

    private Trainer() {
    }

    /** Trains on {@code data} (its last {@code validationFraction} is the validation split). */
    public static TrainResult train(TrainConfig cfg, Dataset data, TrainListener listener) {
        cfg.validate();
        TrainListener out = listener == null ? TrainListener.none() : listener;
        Dataset all = cfg.limitTrain() > 0 ? data.head(cfg.limitTrain()) : data;
        int nVal = (int) Math.round(all.size() * cfg.validationFraction());
        int nTrain = all.size() - nVal;
        if (nTrain < 1) {
            throw new IllegalArgumentException("no training examples left after the validation split ("
                    + all.size() + " examples)");
        }
        if (all.numLabels() < 2) {
            throw new IllegalArgumentException("training needs at least 2 labels, " + data.name() + " has "
                    + all.numLabels());
        }
        Model start = cfg.start();
        if (start != null && (start.inputSize() != all.inputSize() || start.numLabels() != all.numLabels())) {
            throw new IllegalArgumentException("the starting model reads " + start.inputSize() + " values and "
                    + start.numLabels() + " labels, the data has " + all.inputSize() + " and " + all.numLabels());
        }
        if (start != null && start.isFactored() && cfg.architecture() != Architecture.FFNN
                && cfg.architecture() != Architecture.BPNN) {
            throw new IllegalArgumentException("the starting model has low-rank (factored) layers, which only ffnn and "
                    + "bpnn train (not " + cfg.architecture() + ")");
        }
        if (start != null && start.hasConstantStart()) {
            throw new IllegalArgumentException("the starting model is an FFRNN with FFLib's constant start state "
                    + "(an imported model); fftk trains FFRNNs with its own bottom-up start only");
        }
        Dataset train = all.range(0, nTrain);
        Dataset val = all.range(nTrain, nVal);
        Random initRng = new Random(cfg.seed());
        Random batchRng = new Random(cfg.seed() + 1);
        Random valRng = new Random(cfg.seed() + 2);
        int[] valNeg = new int[nVal];
        for (int i = 0; i < nVal; i++) {
            valNeg[i] = Init.wrongLabel(val.label(i), val.numLabels(), valRng);
        }
        Map<String, Object> config = configMap(cfg, nTrain, nVal, all.inputSize(), all.numLabels());
        config.put("dataset", data.name());
        if (ranks(cfg, cfg.architecture()) != null) {
            config.put("ranks", ranks(cfg, cfg.architecture()));
        }
        if (cfg.sequentialLayers()) {
            config.put("layerUpdates", "sequential");
        }
        if (cfg.endToEnd()) {
            config.put("training", "backprop");
        }
        if (cfg.peerNorm() > 0) {
            config.put("peerNorm", cfg.peerNorm());
        }
        if (cfg.pairScale() > 0) {
            config.put("loss", "pairwise");
            config.put("pairScale", cfg.pairScale());
        }
        if (cfg.architecture().isConv()) {
            org.fftk.edge.model.ConvShape cs = cfg.convShape(all.inputSize());
            config.put("image", new int[] {cs.channels(), cs.height(), cs.width()});
            config.put("kernels", cs.kernels());
            config.put("strides", cs.strides());
            config.put("pads", cs.pads());
        }
        if (cfg.architecture().isFfConv()) {
            config.put("labelPattern", cfg.morphologyLabels() ? "morphology" : "fourier");
            config.put("labelIntensity", cfg.labelIntensity());
            config.put("scoreFrom", cfg.scoreFrom());
            config.put("lossFrom", cfg.lossFrom());
            config.put("goodness", cfg.sumGoodness() ? "sum" : "mean");
        }
        if (cfg.softmaxScore()) {
            config.put("scoreRule", Model.SCORE_SOFTMAX);
        }
        if (cfg.overwriteLabel()) {
            config.put("labelEncoding", Model.LABEL_ENCODING_OVERWRITE);
        }
        if (cfg.normGoodness()) {
            config.put("goodness", "norm");
        }
        if (cfg.cooldown()) {
            config.put("learningRateCooldown", "linear over the second half");
        }
        History history = new History(config);
        String configJson = json(config);
        Checkpoint resume = null;
        Path ckpt = cfg.checkpointPath();
        if (ckpt != null && cfg.resume() && java.nio.file.Files.exists(ckpt)) {
            try {
                resume = Checkpoint.read(ckpt);
                if (!resume.config.equals(configJson)) {
                    throw new IllegalArgumentException("the checkpoint " + ckpt + " belongs to another run (its settings: "
                            + resume.config + ")");
                }
                initRng = Checkpoint.restore(resume.initRng, ckpt);
                batchRng = Checkpoint.restore(resume.batchRng, ckpt);
                history.restoreEpochs(resume.epochsJson);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
        }
        HistoryKeeper keeper = new HistoryKeeper(history, cfg.historyPath(), val, valNeg, cfg.evaluateEvery(),
                cfg.epochs(), cores(), out);
        TrainLoop loop = new TrainLoop(train, cfg.epochs(), cfg.batchSize(), batchRng, out, keeper);
        if (resume != null) {
            loop.restoreOrder(resume.perm);
        }
        if (ckpt != null) {
            Random init = initRng;
            Random batch = batchRng;
            loop.checkpointWith((p, epoch, perm) -> {
                try {
                    new Checkpoint(configJson, p.name(), epoch, p.adamStep()[0], Checkpoint.save(batch),
                            Checkpoint.save(init), perm.clone(), p.net().getParams(), p.net().getOptimizerState(),
                            history.epochsJson()).write(ckpt);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot write checkpoint " + ckpt + ": " + e.getMessage(), e);
                }
            });
        }
        Run run = new Run(cfg, train, initRng, loop, resume);
        List<float[]> params;
        switch (cfg.architecture()) {
            case FFNN:
            case BPNN:
            case FFCNN:
            case BPCNN:
                params = run.feedForward(cfg.architecture(), cfg.epochs(), null);
                break;
            case FFNN_C:
            case FFCNN_C: {
                Architecture ff = cfg.architecture().ffLayers();
                params = run.classifier(run.resumesIn("classifier") ? null
                        : cfg.ffEpochs() > 0 ? run.feedForward(ff, cfg.ffEpochs(), "ff") : run.startOrInitFf(ff));
                break;
            }
            case FFRNN:
                params = run.recurrent();
                break;
            default:
                throw new IllegalArgumentException("cannot train " + cfg.architecture());
        }
        Model m = model(cfg, cfg.architecture(), all.inputSize(), all.numLabels(), params).toBuilder()
                .provenance(provenance(history)).build();
        return new TrainResult(m, history);
    }

    /** The phases of one run, sharing its configuration, data, initialisation draws and loop. */
    private static final class Run {
        final TrainConfig cfg;
        final Dataset train;
        final Random initRng;
        final TrainLoop loop;
        final int dim;
        final int labels;
        final int[] widths;
        /** The checkpoint a resumed run continues, or null. */
        final Checkpoint resume;

        Run(TrainConfig cfg, Dataset train, Random initRng, TrainLoop loop, Checkpoint resume) {
            this.resume = resume;
            this.cfg = cfg;
            this.train = train;
            this.initRng = initRng;
            this.loop = loop;
            this.dim = train.inputSize();
            this.labels = train.numLabels();
            this.widths = cfg.widths();
        }

        /** Whether the run resumes inside phase {@code phase} (null: the single phase of ffnn, bpnn, ffrnn). */
        boolean resumesIn(String phase) {
            return resume != null && java.util.Objects.equals(resume.phase, phase);
        }

        /**
         * A phase's first epoch: after the checkpoint's epoch when resuming inside it (its parameters,
         * Adam state and step count restored into {@code net}), else {@code first}.
         */
        int begin(String phase, GraphNet net, long[] adam, int first) {
            if (!resumesIn(phase)) {
                return first;
            }
            net.setParams(resume.params);
            net.setOptimizerState(resume.optimizer);
            adam[0] = resume.adamStep;
            return resume.epoch + 1;
        }

        /** The starting model's first {@code n} parameter tensors (its layers), or null without one. */
        List<float[]> startLayers(int n) {
            return cfg.start() == null ? null : new ArrayList<>(cfg.start().parameters().subList(0, n));
        }

        /** The conv layers' geometry, and for ffcnn its labels and loss settings. */
        Net.Conv convOf(Architecture arch) {
            if (arch == Architecture.BPCNN) {
                return new Net.Conv(cfg.convShape(dim), null, 0f, 0, false);
            }
            boolean morph = cfg.morphologyLabels();
            return new Net.Conv(cfg.convShape(dim), morph ? null : labelPatterns(cfg, dim, labels), cfg.labelIntensity(),
                    cfg.lossFrom(), cfg.sumGoodness(), morph ? labelMaps(cfg, dim, labels) : null);
        }

        /** ffnn-c, ffcnn-c without an FF phase: the starting model's FF layers, else a fresh initialisation (frozen). */
        List<float[]> startOrInitFf(Architecture ff) {
            List<float[]> first = startLayers(2 * widths.length);
            if (first != null) {
                return first;
            }
            List<long[]> shapes = new ArrayList<>();
            for (org.fftk.edge.model.Layout.Param p : org.fftk.edge.model.Layout.parameters(ff, dim, labels, widths,
                    ff.isConv() ? cfg.convShape(dim) : null, cfg.denseLabelEncoding())) {
                shapes.add(p.dims());
            }
            return Init.linear(shapes, initRng);
        }

        /**
         * ffnn / bpnn / ffcnn training (ffnn-c's FF phase: {@code arch} ffnn, phase "ff") for epochs
         * 1..{@code epochs}; with the cooldown, each step's learning rate is lr × the factor of its epoch.
         */
        List<float[]> feedForward(Architecture arch, int epochs, String phase) {
            boolean cnn = arch == Architecture.FFCNN;
            Net.Conv conv = arch.isConv() ? convOf(arch) : null;
            try (Net net = new Net(arch, cfg.objective(), dim, labels, widths, cfg.theta(), cfg.optimizer(cfg.learningRate()),
                    Model.DEFAULT_NORM_EPSILON, train.size(), cfg.device(), arch == Architecture.FFNN || cnn
                    ? new Net.FfOptions(cfg.sequentialLayers(), cfg.endToEnd(), cfg.peerNorm(), cfg.pairScale(),
                    cfg.overwriteLabel(), cfg.normGoodness()).withRanks(ranks(cfg, arch))
                    : Net.FfOptions.DEFAULT.withRanks(ranks(cfg, arch)), conv)) {
                long[] adam = {0};
                if (!resumesIn(phase)) {
                    List<float[]> first = startLayers(net.paramShapes().size());
                    net.setParams(first != null ? first : Init.linear(net.paramShapes(), initRng));
                }
                int from = begin(phase, net, adam, 1);
                net.loadTrainingImages(train);
                // bpnn draws the wrong labels too (and ignores them), so that with the same seed it sees
                // exactly the batches an ffnn run sees: the two are compared on equal terms
                int perEpoch = (train.size() + cfg.batchSize() - 1) / cfg.batchSize();
                return loop.run(new Phase(phase, from, epochs, net, f -> {
                    long step = ++adam[0];
                    net.trainStep(f, step, cfg.learningRateFactor((int) ((step - 1) / perEpoch) + 1));
                }, true, 1, arch == Architecture.FFNN || cnn, p -> model(cfg, arch, dim, labels, p), adam));
            }
        }

        /**
         * ffnn-c / ffcnn-c phase 2: the classifier alone on the frozen FF layers {@code ff} (W, b per layer),
         * epochs after the FF phase; returns ff + [classifier W, classifier b].
         */
        List<float[]> classifier(List<float[]> ff) {
            Architecture arch = cfg.architecture();
            try (ClassifierNet net = new ClassifierNet(dim, labels, widths, Model.DEFAULT_NORM_EPSILON,
                    cfg.optimizer(cfg.classifierLearningRate()), train.size(), cfg.device(), arch == Architecture.FFCNN_C
                    ? convOf(Architecture.FFCNN) : null, cfg.overwriteLabel())) {
                long[] adam = {0};
                if (!resumesIn("classifier")) {
                    net.setParams(withClassifier(ff));
                }
                int from = begin("classifier", net, adam, cfg.ffEpochs() + 1);
                net.loadTrainingImages(train);
                return loop.run(new Phase("classifier", from, cfg.epochs(), net,
                        f -> net.trainStep(f, ++adam[0]), false, 1, false,
                        q -> model(cfg, arch, dim, labels, q), adam));
            }
        }

        /** ff + the classifier's W and b: the starting model's, else nn.Linear(Σ widths, L)'s initialisation. */
        private List<float[]> withClassifier(List<float[]> ff) {
            List<float[]> p = new ArrayList<>(ff);
            if (cfg.start() != null && cfg.start().classifier() != null) {
                List<float[]> all = cfg.start().parameters();
                p.addAll(all.subList(all.size() - 2, all.size()));
            } else {
                int total = org.fftk.edge.model.Layout.classifierInput(cfg.architecture(), widths,
                        cfg.architecture().isConv() ? cfg.convShape(dim) : null);
                // W, b ~ U(−1/√in, 1/√in) (ffnn-c: in = Σ widths), drawn after the FF layers' init
                p.addAll(Init.linear(List.of(new long[] {labels, total}, new long[] {labels}), initRng));
            }
            return p;
        }

        /** ffrnn training (see {@link RecurrentNet} for the frame and update order). */
        List<float[]> recurrent() {
            int frames = cfg.trainFrames();
            try (RecurrentNet net = new RecurrentNet(cfg.objective(), dim, labels, widths, cfg.theta(), cfg.beta(),
                    cfg.optimizer(cfg.learningRate()), Model.DEFAULT_NORM_EPSILON, train.size(), cfg.device())) {
                long[] adam = {0};
                if (!resumesIn(null)) {
                    List<float[]> first = startLayers(net.paramShapes().size());
                    net.setParams(first != null ? first : Init.recurrent(dim, labels, widths, initRng));
                }
                int from = begin(null, net, adam, 1);
                net.loadTrainingImages(train);
                return loop.run(new Phase(null, from, cfg.epochs(), net, f -> {
                    net.start(f);
                    for (int t = 1; t <= frames; t++) {
                        net.trainFrame(f, ++adam[0]);
                    }
                }, true, frames, true, p -> model(cfg, Architecture.FFRNN, dim, labels, p), adam));
            }
        }
    }

    /** Threads for the edge runtime's evaluations: every core (TensorFlow is idle meanwhile). */
    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Fraction of {@code d} the model labels right, with the edge runtime on every core. */
    public static double accuracy(Model m, Dataset d) {
        return Inference.accuracy(m, d, cores());
    }

    /** A model of architecture {@code arch} from trainer parameters ({@link Model#parameters()} order) and the run's settings. */
    /**
     * ffcnn's label patterns: the starting model's own when training continues one, else paper
     * 002's Fourier waves, the same for every run on images of this shape.
     */
    static float[] labelPatterns(TrainConfig cfg, int dim, int labels) {
        if (cfg.start() != null && cfg.start().labelPatterns() != null) {
            return cfg.start().labelPatterns();
        }
        org.fftk.edge.model.ConvShape s = cfg.convShape(dim);
        return org.fftk.trainer.cnn.FourierLabels.patterns(labels, s.channels(), s.height(), s.width(),
                org.fftk.trainer.cnn.FourierLabels.SEED);
    }

    /** ffcnn's morphological labels: the starting model's own maps, else fftk's rotations. */
    static int[] labelMaps(TrainConfig cfg, int dim, int labels) {
        if (cfg.start() != null && cfg.start().labelMaps() != null) {
            return cfg.start().labelMaps();
        }
        org.fftk.edge.model.ConvShape s = cfg.convShape(dim);
        return org.fftk.trainer.cnn.MorphologyLabels.maps(labels, s.channels(), s.height(), s.width());
    }

    static Model model(TrainConfig cfg, Architecture arch, int dim, int labels, List<float[]> p) {
        Model.Builder b = Model.builder(arch).inputSize(dim).numLabels(labels);
        if (arch.isFfConv()) {
            b.conv(cfg.convShape(dim)).labelIntensity(cfg.labelIntensity()).scoreFrom(cfg.scoreFrom());
            if (cfg.morphologyLabels()) {
                b.labelMaps(labelMaps(cfg, dim, labels));
            } else {
                b.labelPatterns(labelPatterns(cfg, dim, labels));
            }
        } else if (arch == Architecture.BPCNN) {
            b.conv(cfg.convShape(dim));
        } else if (arch == Architecture.FFNN || arch == Architecture.FFNN_C) {
            b.labelEncoding(cfg.denseLabelEncoding());
        }
        b.parameters(cfg.widths(), ranks(cfg, arch), p);
        if (arch != Architecture.BPNN && arch != Architecture.BPCNN) {
            b.theta(cfg.theta()).objective(cfg.objective());
            if (arch == Architecture.FFNN || arch.isFfConv()) {
                b.scoreRule(cfg.softmaxScore() ? Model.SCORE_SOFTMAX : Model.SCORE_SUM);
            }
        }
        if (arch == Architecture.FFRNN) {
            b.beta(cfg.beta()).trainFrames(cfg.trainFrames()).testFrames(TEST_FRAME_LOW, TEST_FRAME_HIGH);
        }
        return b.build();
    }

    /**
     * The ranks of the starting model's factored layers when {@code arch} is ffnn or bpnn (training then moves
     * the factors; docs/algorithms.md "Low-rank layers"), else null.
     */
    static int[] ranks(TrainConfig cfg, Architecture arch) {
        return (arch == Architecture.FFNN || arch == Architecture.BPNN) && cfg.start() != null ? cfg.start().ranks() : null;
    }

    /** The training settings and the last validation accuracy, as the model's provenance JSON. */
    private static String provenance(History h) {
        Map<String, Object> prov = new LinkedHashMap<>(h.getConfig());
        EpochRecord last = h.last();
        if (last != null && last.validationAccuracy() != null) {
            prov.put("validationAccuracy", last.validationAccuracy());
        }
        try {
            return new ObjectMapper().writeValueAsString(prov);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, Object> m) {
        try {
            return new ObjectMapper().writeValueAsString(m);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
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
        if (c.architecture().hasFfClassifier()) {
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
        m.put("optimizer", c.optimizer(c.learningRate()).describe());
        return m;
    }

    /** Checks the device before any work (a clear message when gpu is asked for but absent). */
    public static void checkDevice(TrainConfig.Device d) {
        TfRuntime.deviceSpec(d);
    }
}
