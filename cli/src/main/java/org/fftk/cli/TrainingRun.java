package org.fftk.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.Split;
import org.fftk.edge.model.Model;
import org.fftk.exporter.OnnxExporter;
import org.fftk.trainer.ConsoleProgress;
import org.fftk.trainer.TrainConfig;
import org.fftk.trainer.TrainResult;
import org.fftk.trainer.Trainer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options and the run shared by {@code fftk train} and {@code fftk finetune}: the training
 * settings either may override, the output paths (checked before any work), training, the test
 * accuracy and the report.
 */
final class TrainingRun {
    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "MODEL.onnx", required = true, description = "where to write the trained model")
    Path out;

    @Option(names = "--epochs", converter = PositiveInt.class, paramLabel = "N", description = "training epochs (paper: 60)")
    Integer epochs;

    @Option(names = "--batch-size", converter = PositiveInt.class, paramLabel = "N", description = "batch size (paper: 128)")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (paper: 0.02 ffnn, 1e-4 bpnn)")
    Float lr;

    @Option(names = "--classifier-lr", paramLabel = "RATE", description = "ffnn-c: Adam learning rate of the classifier (paper: 1e-4)")
    Float classifierLr;

    @Option(names = "--seed", paramLabel = "S", description = "random seed for initialisation and negatives (default: 1)")
    Long seed;

    @Option(names = "--val-fraction", paramLabel = "F", description = "share of the training split held out for validation (default: 0.1)")
    Double valFraction;

    @Option(names = "--limit-train", converter = PositiveInt.class, paramLabel = "N", description = "use only the first N training images")
    Integer limitTrain;

    @Option(names = "--validate-every", paramLabel = "N",
            description = "validation metrics every N epochs and after the last (default: 1, paper ffrnn 10; 0: only after the last)")
    Integer validateEvery;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--history", paramLabel = "FILE.json", description = "write the per-epoch history here (updated after every epoch)")
    Path history;

    @Option(names = "--layer-updates", paramLabel = "ORDER",
            description = "ffnn, ffnn-c: simultaneous (every layer learns from the batch's pre-update activations; "
                    + "quickstart) or sequential (FFLib's order: a layer's output is recomputed after its update, "
                    + "then the next layer learns; paper)")
    String layerUpdates;

    @Option(names = "--training", paramLabel = "MODE", defaultValue = "local",
            description = "ffnn, ffnn-c: local (Forward-Forward: each layer learns from its own loss) or backprop "
                    + "(paper 000's BP/FF: the summed goodness losses trained end to end)")
    String training;

    @Option(names = "--peer-norm", paramLabel = "LAMBDA",
            description = "ffnn, ffnn-c: Hinton's peer normalisation with this weight (default 0: off; paper 004: 0.03)")
    Float peerNorm;

    @Option(names = "--ff-loss", paramLabel = "LOSS",
            description = "ffnn, ffnn-c, ffcnn: threshold (softplus of each row's goodness against theta; papers 002, 003) or "
                    + "pairwise (paper 000: softplus(beta*(G_neg - G_pos)) over each image's positive and negative; ffcnn quickstart)")
    String ffLoss;

    @Option(names = "--pair-scale", paramLabel = "BETA",
            description = "the pairwise loss's beta (default: " + PAIR_SCALE + ")")
    Float pairScale;

    /** The pairwise loss's default β: on the mean form of goodness (mean h^2), as the ffcnn quickstart uses it. */
    static final float PAIR_SCALE = 10f;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "adam (default) or sgd (with --momentum, default 0.9; paper 004's runs)")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "M", description = "sgd momentum (default: 0.9)")
    Float momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "adds WD·w to every gradient (default: 0; paper 004: 3e-4)")
    Float weightDecay;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "write the run's full state here after every epoch (weights, Adam state, random generators, history)")
    Path checkpoint;

    @Option(names = "--resume", description = "continue from --checkpoint FILE when it exists (else start afresh): "
            + "the result is identical to an uninterrupted run")
    boolean resume;

    @Option(names = "--json", description = "print the final report as JSON")
    boolean json;

    /** The settings given on the command line, applied over {@code cfg}. */
    TrainConfig apply(TrainConfig cfg) {
        if (epochs != null) {
            cfg = cfg.withEpochs(epochs);
        }
        if (batchSize != null) {
            cfg = cfg.withBatchSize(batchSize);
        }
        if (lr != null) {
            cfg = cfg.withLearningRate(lr);
        }
        if (classifierLr != null) {
            cfg = cfg.withClassifierLearningRate(classifierLr);
        }
        if (seed != null) {
            cfg = cfg.withSeed(seed);
        }
        if (valFraction != null) {
            cfg = cfg.withValidationFraction(valFraction);
        }
        if (validateEvery != null) {
            cfg = cfg.withEvaluateEvery(validateEvery);
        }
        if (limitTrain != null) {
            cfg = cfg.withLimitTrain(limitTrain);
        }
        cfg = cfg.withDevice(TrainConfig.Device.fromId(device));
        if (history != null) {
            cfg = cfg.withHistoryPath(history);
        }
        if (layerUpdates != null) {
            cfg = cfg.withSequentialLayers(either("--layer-updates", layerUpdates, "sequential", "simultaneous"));
        }
        switch (training.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "local":
                break;
            case "backprop":
                cfg = cfg.withEndToEnd(true);
                if (layerUpdates == null) {
                    cfg = cfg.withSequentialLayers(false); // the paper preset's FFLib order is for local training
                }
                break;
            default:
                throw new IllegalArgumentException("--training is '" + training + "' (expected local or backprop)");
        }
        org.fftk.trainer.tf.Optimizer.Kind kind;
        switch (optimizer.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "adam":
                kind = org.fftk.trainer.tf.Optimizer.Kind.ADAM;
                break;
            case "sgd":
                kind = org.fftk.trainer.tf.Optimizer.Kind.SGD;
                break;
            default:
                throw new IllegalArgumentException("--optimizer is '" + optimizer + "' (expected adam or sgd)");
        }
        if (momentum != null && kind != org.fftk.trainer.tf.Optimizer.Kind.SGD) {
            throw new IllegalArgumentException("--momentum is for --optimizer sgd");
        }
        if (kind != org.fftk.trainer.tf.Optimizer.Kind.ADAM || momentum != null || weightDecay != null) {
            cfg = cfg.withOptimizer(kind, momentum == null ? 0.9f : momentum, weightDecay == null ? 0f : weightDecay);
        }
        if (peerNorm != null) {
            cfg = cfg.withPeerNorm(peerNorm);
        }
        if (ffLoss != null) {
            boolean pairwise = either("--ff-loss", ffLoss, "pairwise", "threshold");
            // pairwise keeps a β the preset or the fine-tuned file already has
            cfg = cfg.withPairwiseLoss(!pairwise ? 0f : cfg.pairScale() > 0 ? cfg.pairScale() : PAIR_SCALE);
        }
        if (pairScale != null) {
            if (!(pairScale > 0)) {
                throw new IllegalArgumentException("--pair-scale must be positive, got " + pairScale);
            }
            if (!(cfg.pairScale() > 0)) {
                throw new IllegalArgumentException("--pair-scale is for --ff-loss pairwise");
            }
            cfg = cfg.withPairwiseLoss(pairScale);
        }
        if (resume && checkpoint == null) {
            throw new IllegalArgumentException("--resume needs --checkpoint FILE");
        }
        if (checkpoint != null) {
            cfg = cfg.withCheckpoint(checkpoint, resume);
        }
        return cfg;
    }

    /** Refuses a bad configuration, device or output path before any data is loaded. */
    void check(TrainConfig cfg) {
        cfg.validate();
        Trainer.checkDevice(cfg.device());
        OutputFiles.checkWritable(out);
        if (history != null) {
            OutputFiles.checkWritable(history);
            if (history.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--history and --out must be different files");
            }
        }
        if (checkpoint != null) {
            OutputFiles.checkWritable(checkpoint);
            for (Path other : new Path[] {out, history}) {
                if (other != null && checkpoint.toAbsolutePath().normalize().equals(other.toAbsolutePath().normalize())) {
                    throw new IllegalArgumentException("--checkpoint must be a file of its own (not --out or --history)");
                }
            }
        }
    }

    /** Adds to a trained model's provenance before it is written (e.g. the fine-tuning record). */
    interface Provenance {
        String amend(Model trained, double testAccuracy) throws Exception;
    }

    /**
     * Trains, measures the test accuracy, writes the model with {@code provenance}'s JSON and reports.
     *
     * @param what the first words of the progress line ("training ffnn 2x200", "fine-tuning m.onnx")
     */
    int run(TrainConfig cfg, String what, PrintWriter o, Provenance provenance) throws Exception {
        Dataset train = data.load(Split.TRAIN);
        Dataset test = data.load(Split.TEST);
        if (!json && resume && Files.exists(checkpoint)) {
            o.printf("resuming from %s%n", checkpoint);
        }
        if (!json) {
            o.printf("%s on %s (%d images, %s) -> %s%n", what, data.dataset,
                    cfg.limitTrain() > 0 ? Math.min(cfg.limitTrain(), train.size()) : train.size(), cfg.device().id(), out);
            o.flush();
        }
        TrainResult r = Trainer.train(cfg, train, json ? null : ConsoleProgress.create());
        double testAccuracy = Trainer.accuracy(r.model(), test);
        Model m = r.model().toBuilder().provenance(provenance.amend(r.model(), testAccuracy))
                .dataset(data.name().id()).classes(data.name().classNames()).build();
        OnnxExporter.write(m, out);

        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("model", out.toString());
        rep.put("architecture", m.architecture().id());
        rep.put("widths", m.widths());
        rep.put("epochs", cfg.epochs());
        rep.put("test_accuracy", testAccuracy);
        rep.put("test_images", test.size());
        rep.put("parameters", m.parameterCount());
        if (json) {
            o.println(Json.pretty(rep));
        } else {
            o.printf("test accuracy %.2f%% on %d %s test images; wrote %s (%,d parameters)%n", 100 * testAccuracy,
                    test.size(), data.dataset, out, m.parameterCount());
        }
        o.flush();
        return 0;
    }

    /** The trained model's own provenance with the test accuracy added. */
    static String withTestAccuracy(Model m, double acc) throws Exception {
        ObjectNode p = (ObjectNode) Json.MAPPER.readTree(m.provenance());
        p.put("test_accuracy", acc);
        return Json.MAPPER.writeValueAsString(p);
    }

    /** True for {@code yes}, false for {@code no} (case and blanks ignored), else a one-line error naming the option. */
    static boolean either(String option, String value, String yes, String no) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals(yes) || v.equals(no)) {
            return v.equals(yes);
        }
        throw new IllegalArgumentException(option + " is '" + value + "' (expected " + yes + " or " + no + ")");
    }
}
