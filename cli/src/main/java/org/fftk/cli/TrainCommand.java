package org.fftk.cli;

import java.util.concurrent.Callable;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig;
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
    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "ffnn", description = "ffnn, ffnn-c, ffrnn, bpnn, ffcnn, ffcnn-c or bpcnn (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "paper",
            description = {"starting settings, which the options below override (default: ${DEFAULT-VALUE}):",
                    "paper: paper 003 Table 1 (2x2000, 60 epochs, theta 20, lr 0.02 / 1e-4, objective minimize);",
                    "quickstart: 2x200, minimize, theta 2, lr 0.1, 12 epochs (bpnn: lr 1e-3, 5 epochs), >95%% MNIST in minutes on 2 cores;",
                    "  ffnn-c: the same, 6 FF + 6 classifier epochs, classifier lr 1e-3; ffrnn: theta 5, lr 0.03, batch 64, 4 epochs;",
                    "ffcnn: paper 002's MNIST net (3x128 filters 7x7, lr 5e-5, batch 50, 200 epochs, cooldown); quickstart 3x32 filters 5x5,",
                    "  strides 1,2,2, pairwise loss on mean goodness, lr 3e-3, 3 epochs;",
                    "ffcnn-c: ffcnn's settings for the first half of the epochs, then the linear classifier alone (paper: 200 + 200; quickstart 3 + 3; classifier lr 1e-4);",
                    "bpcnn: paper 002's BP-CNN (3x16 filters 5x5, lr 1e-3, batch 50, 200 epochs); quickstart: ffcnn's quickstart shape"})
    String preset;

    @Mixin
    TrainingRun run;

    @Option(names = "--hidden", paramLabel = "W,W", split = ",", description = "hidden widths, one per layer, any depth from 1 (paper: 2000,2000)")
    int[] hidden;

    @Option(names = "--kernels", paramLabel = "K,K", split = ",", description = "ffcnn, bpcnn: kernel side per conv layer (default 5; paper: 7)")
    int[] kernels;

    @Option(names = "--strides", paramLabel = "S,S", split = ",", description = "ffcnn, bpcnn: stride per conv layer (default 1)")
    int[] strides;

    @Option(names = "--pads", paramLabel = "P,P", split = ",", description = "ffcnn, bpcnn: zero padding per conv layer (default: kernel/2)")
    int[] pads;

    @Option(names = "--label-pattern", paramLabel = "KIND",
            description = "ffcnn: fourier (a grey wave per label mixed into the image; default) or morphology (label c rotates the image by 360*c/L degrees)")
    String labelPattern;

    @Option(names = "--label-encoding", paramLabel = "KIND",
            description = "ffnn, ffnn-c: concat (the one-hot label after the image; default) or overwrite (paper 000: the label replaces the image's first L pixels, the true one set to the image's brightest value)")
    String labelEncoding;

    @Option(names = "--label-intensity", paramLabel = "K", description = "ffcnn: the label pattern's share of the input (paper: 0.35)")
    Float labelIntensity;

    @Option(names = "--score-rule", paramLabel = "RULE",
            description = "ffnn, ffcnn (maximize): how predictions read goodness: sum (the layers' goodness summed, default) or softmax (paper 000: per layer a softmax over the labels of its l2 norm, summed)")
    String scoreRule;

    @Option(names = "--score-from", paramLabel = "L", description = "ffcnn: first layer (0-based) whose goodness counts in predictions (paper: 1)")
    Integer scoreFrom;

    @Option(names = "--loss-from", paramLabel = "L", description = "ffcnn: first layer (0-based) whose FF loss is trained (default 0: all)")
    Integer lossFrom;

    @Option(names = "--goodness", paramLabel = "sum|mean|norm",
            description = "ffcnn: layer loss on sum h^2 - theta*N (paper 002, default) or on mean h^2 - theta; ffnn, ffnn-c with --ff-loss pairwise: norm (paper 000: G = ||h||) instead of mean h^2 - theta")
    String goodness;

    @Option(names = "--ff-epochs", paramLabel = "K", description = "ffnn-c, ffcnn-c: epochs of FF-layer training; the classifier gets the rest (default: the first half)")
    Integer ffEpochs;

    @Option(names = "--cooldown", paramLabel = "on|off", description = "linear learning-rate cooldown over the second half (ffcnn paper preset: on)")
    String cooldown;

    @Option(names = "--train-frames", converter = PositiveInt.class, paramLabel = "K", description = "ffrnn: frames per training example (paper: 10)")
    Integer trainFrames;

    @Option(names = "--theta", paramLabel = "T", description = "FF goodness threshold theta (paper: 20)")
    Float theta;

    @Option(names = "--objective", paramLabel = "OBJ", description = "maximize or minimize (paper: minimize, the L- runs of its Table 2 and Figure 19)")
    String objective;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Architecture a = Architecture.fromId(arch);
        TrainConfig cfg;
        switch (preset.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "paper":
                cfg = TrainConfig.paper(a);
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
        if (theta != null) {
            cfg = cfg.withTheta(theta);
        }
        if (trainFrames != null) {
            cfg = cfg.withTrainFrames(trainFrames);
        }
        if (objective != null) {
            cfg = cfg.withObjective(Objective.fromId(objective));
        }
        if (kernels != null || strides != null || pads != null) {
            // each option replaces only its own part of the preset's geometry
            cfg = cfg.withConv(kernels != null ? kernels : cfg.kernels(), strides != null ? strides : cfg.strides(),
                    pads != null ? pads : cfg.pads());
        }
        if (a == Architecture.BPCNN && (labelIntensity != null || scoreFrom != null || scoreRule != null)) {
            throw new IllegalArgumentException("--label-intensity, --score-from and --score-rule are for ffcnn (bpcnn sees no label)");
        }
        if (labelPattern != null) {
            cfg = cfg.withMorphologyLabels(!TrainingRun.either("--label-pattern", labelPattern, "fourier", "morphology"));
        }
        if (labelEncoding != null) {
            cfg = cfg.withOverwriteLabel(!TrainingRun.either("--label-encoding", labelEncoding, "concat", "overwrite"));
        }
        if (labelIntensity != null) {
            cfg = cfg.withLabelIntensity(labelIntensity);
        }
        if (scoreFrom != null) {
            cfg = cfg.withScoreFrom(scoreFrom);
        }
        if (scoreRule != null) {
            cfg = cfg.withSoftmaxScore(!TrainingRun.either("--score-rule", scoreRule, "sum", "softmax"));
        }
        if (lossFrom != null) {
            cfg = cfg.withLossFrom(lossFrom);
        }
        if (goodness != null) {
            if (goodness.trim().equalsIgnoreCase("norm")) {
                cfg = cfg.withNormGoodness(true);
            } else if (a == Architecture.FFNN || a == Architecture.FFNN_C) {
                throw new IllegalArgumentException("--goodness is '" + goodness + "' (" + a.id()
                        + ": norm, with --ff-loss pairwise; sum and mean are for ffcnn)");
            } else {
                cfg = cfg.withSumGoodness(TrainingRun.either("--goodness", goodness, "sum", "mean"));
            }
        }
        if (ffEpochs != null) {
            if (!a.hasFfClassifier()) {
                throw new IllegalArgumentException("--ff-epochs is for ffnn-c and ffcnn-c (" + a + " has no classifier phase)");
            }
            if (ffEpochs < 1) {
                throw new IllegalArgumentException("--ff-epochs must be at least 1, got " + ffEpochs);
            }
            cfg = cfg.withFfEpochs(ffEpochs);
        }
        if (cooldown != null) {
            cfg = cfg.withCooldown(TrainingRun.either("--cooldown", cooldown, "on", "off"));
        }
        cfg = run.apply(cfg);
        run.check(cfg);
        return run.run(cfg, "training " + a + " " + ModelDescription.widths(cfg.widths()), spec.commandLine().getOut(),
                TrainingRun::withTestAccuracy);
    }
}
