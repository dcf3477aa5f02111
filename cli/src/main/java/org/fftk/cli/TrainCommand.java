package org.fftk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.Split;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.exporter.OnnxExporter;
import org.fftk.trainer.ConsoleProgress;
import org.fftk.trainer.TrainConfig;
import org.fftk.trainer.TrainResult;
import org.fftk.trainer.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fftk train}: trains a network and writes it as ONNX. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network on a dataset's training split and write it as ONNX.",
                "Defaults are paper 003's Table 1 (2x2000, 60 epochs, batch 128, Adam lr 0.02 (FF) / 1e-4 (bpnn), theta 20;",
                "ffnn-c: FF layers for the first half of the epochs, then the classifier alone with lr 1e-4; ffrnn: 10 frames per example, beta 0.7).",
                "The last --val-fraction of the training split is the validation split; the test split is only used for the final report."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "ffnn", description = "ffnn, ffnn-c, ffrnn or bpnn (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "paper",
            description = {"starting settings, which the options below override (default: ${DEFAULT-VALUE}):",
                    "paper: paper 003 Table 1 (2x2000, 60 epochs, theta 20, lr 0.02 / 1e-4);",
                    "quickstart: 2x200, minimize, theta 2, lr 0.1, 12 epochs (bpnn: lr 1e-3, 5 epochs), >95%% MNIST in minutes on 2 cores;",
                    "  ffnn-c: the same, 6 FF + 6 classifier epochs, classifier lr 1e-3; ffrnn: theta 5, lr 0.03, batch 64, 4 epochs"})
    String preset;

    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "MODEL.onnx", required = true, description = "where to write the trained model")
    Path out;

    @Option(names = "--hidden", paramLabel = "W,W", split = ",", description = "hidden widths, one per layer, any depth from 1 (paper: 2000,2000)")
    int[] hidden;

    @Option(names = "--epochs", converter = PositiveInt.class, paramLabel = "N", description = "training epochs (paper: 60)")
    Integer epochs;

    @Option(names = "--batch-size", converter = PositiveInt.class, paramLabel = "N", description = "batch size (paper: 128)")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (paper: 0.02 ffnn, 1e-4 bpnn)")
    Float lr;

    @Option(names = "--classifier-lr", paramLabel = "RATE", description = "ffnn-c: Adam learning rate of the classifier (paper: 1e-4)")
    Float classifierLr;

    @Option(names = "--train-frames", converter = PositiveInt.class, paramLabel = "K", description = "ffrnn: frames per training example (paper: 10)")
    Integer trainFrames;

    @Option(names = "--theta", paramLabel = "T", description = "FF goodness threshold theta (paper: 20)")
    Float theta;

    @Option(names = "--objective", paramLabel = "OBJ", description = "maximize or minimize (paper: maximize)")
    String objective;

    @Option(names = "--seed", paramLabel = "S", description = "random seed for initialisation and negatives (default: 1)")
    Long seed;

    @Option(names = "--val-fraction", paramLabel = "F", description = "share of the training split held out for validation (default: 0.1)")
    Double valFraction;

    @Option(names = "--limit-train", converter = PositiveInt.class, paramLabel = "N", description = "use only the first N training images")
    Integer limitTrain;

    @Option(names = "--validate-every", paramLabel = "N",
            description = "validation metrics every N epochs and after the last (default: 1; 0: only after the last)")
    Integer validateEvery;

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--history", paramLabel = "FILE.json", description = "write the per-epoch history here (updated after every epoch)")
    Path history;

    @Option(names = "--json", description = "print the final report as JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Architecture a = Architecture.fromId(arch);
        TrainConfig cfg;
        switch (preset.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "paper":
                cfg = TrainConfig.defaults(a);
                break;
            case "quickstart":
                cfg = TrainConfig.quickstart(a);
                break;
            default:
                throw new IllegalArgumentException("unknown preset '" + preset + "' (expected paper or quickstart)");
        }
        if (hidden != null) {
            cfg = cfg.withWidths(hidden);
        }
        if (epochs != null) {
            cfg = cfg.withEpochs(epochs);
        }
        if (batchSize != null) {
            cfg = cfg.withBatchSize(batchSize);
        }
        if (lr != null) {
            cfg = cfg.withLearningRate(lr);
        }
        if (theta != null) {
            cfg = cfg.withTheta(theta);
        }
        if (classifierLr != null) {
            cfg = cfg.withClassifierLearningRate(classifierLr);
        }
        if (trainFrames != null) {
            cfg = cfg.withTrainFrames(trainFrames);
        }
        if (objective != null) {
            cfg = cfg.withObjective(Objective.fromId(objective));
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
        cfg.validate();
        Trainer.checkDevice(cfg.device());
        OutputFiles.checkWritable(out);
        if (history != null) {
            OutputFiles.checkWritable(history);
            if (history.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--history and --out must be different files");
            }
        }

        Dataset train = data.load(Split.TRAIN);
        Dataset test = data.load(Split.TEST);
        PrintWriter o = spec.commandLine().getOut();
        if (!json) {
            o.printf("training %s %s on %s (%d images, %s) -> %s%n", a, ModelDescription.widths(cfg.widths()), data.dataset,
                    cfg.limitTrain() > 0 ? Math.min(cfg.limitTrain(), train.size()) : train.size(), cfg.device().id(), out);
            o.flush();
        }
        TrainResult r = Trainer.train(cfg, train, json ? null : ConsoleProgress.create());
        double testAccuracy = Trainer.accuracy(r.model(), test);
        Model m = withTestAccuracy(r.model(), testAccuracy);
        OnnxExporter.write(m, out);

        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("model", out.toString());
        rep.put("architecture", a.id());
        rep.put("widths", cfg.widths());
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

    /** Adds the test accuracy to the model's provenance. */
    static Model withTestAccuracy(Model m, double acc) throws Exception {
        ObjectNode p = (ObjectNode) Json.MAPPER.readTree(m.provenance());
        p.put("test_accuracy", acc);
        return m.toBuilder().provenance(Json.MAPPER.writeValueAsString(p)).build();
    }
}
