package org.fftk.trainer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;

/**
 * Everything a training run needs besides the data. Immutable; build with
 * {@link #defaults(Architecture)} (paper 003 Table 1 / SPEC §3) and the {@code with*} methods.
 *
 * <p>Defaults: widths 2000,2000; 60 epochs; batch 128; lr 0.02 (FF) or 1e-4 (bpnn); θ 20;
 * objective maximize; seed 1; validation fraction 0.1 (the LAST 10% of the training set);
 * no training limit; device cpu; no history file.
 */
public final class TrainConfig {
    /** Where TensorFlow runs the graph. */
    public enum Device {
        CPU, GPU;

        public static Device fromId(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "cpu": return CPU;
                case "gpu": return GPU;
                default: throw new IllegalArgumentException("unknown device '" + s + "' (expected cpu or gpu)");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Architecture architecture;
    private final int[] widths;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final float theta;
    private final Objective objective;
    private final long seed;
    private final double validationFraction;
    private final int limitTrain;
    private final Device device;
    private final Path historyPath;
    private final boolean evaluateEveryEpoch;

    private TrainConfig(Architecture architecture, int[] widths, int epochs, int batchSize, float learningRate,
                        float theta, Objective objective, long seed, double validationFraction, int limitTrain,
                        Device device, Path historyPath, boolean evaluateEveryEpoch) {
        this.architecture = architecture;
        this.widths = widths.clone();
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.theta = theta;
        this.objective = objective;
        this.seed = seed;
        this.validationFraction = validationFraction;
        this.limitTrain = limitTrain;
        this.device = device;
        this.historyPath = historyPath;
        this.evaluateEveryEpoch = evaluateEveryEpoch;
    }

    /** Paper 003 Table 1 settings for an architecture. */
    public static TrainConfig defaults(Architecture a) {
        float lr = a == Architecture.BPNN ? 1e-4f : 0.02f;
        return new TrainConfig(a, new int[] {2000, 2000}, 60, 128, lr, 20f, Objective.MAXIMIZE, 1L, 0.1, 0,
                Device.CPU, null, true);
    }

    /**
     * A quick MNIST configuration for demos and the README's main job (not the paper's settings):
     * ffnn 2×200, objective minimize, lr 0.1, θ 2, batch 128, 12 epochs. Measured on 2 shared CPU
     * cores (load 4–9): MNIST test accuracy 96.64 / 96.78 / 96.74% for seeds 1 / 2 / 3 after
     * 61–97 s of training. With maximize it reaches only ~95.0%; θ 20 / lr 0.02 start far more
     * slowly; lr 0.2 diverges. For bpnn: 2×200, lr 1e-3, 5 epochs (97.70% in 17 s).
     */
    public static TrainConfig quickstart(Architecture a) {
        if (a == Architecture.BPNN) {
            return defaults(a).withWidths(200, 200).withLearningRate(1e-3f).withEpochs(5);
        }
        return defaults(a).withWidths(200, 200).withObjective(Objective.MINIMIZE).withLearningRate(0.1f)
                .withTheta(2f).withEpochs(12);
    }

    private TrainConfig copy(Architecture a, int[] w, int e, int b, float lr, float t, Objective o, long s,
                             double vf, int lim, Device d, Path hp, boolean ev) {
        return new TrainConfig(a, w, e, b, lr, t, o, s, vf, lim, d, hp, ev);
    }

    public TrainConfig withWidths(int... w) {
        return copy(architecture, w, epochs, batchSize, learningRate, theta, objective, seed, validationFraction,
                limitTrain, device, historyPath, evaluateEveryEpoch);
    }

    public TrainConfig withEpochs(int e) {
        return copy(architecture, widths, e, batchSize, learningRate, theta, objective, seed, validationFraction,
                limitTrain, device, historyPath, evaluateEveryEpoch);
    }

    public TrainConfig withBatchSize(int b) {
        return copy(architecture, widths, epochs, b, learningRate, theta, objective, seed, validationFraction,
                limitTrain, device, historyPath, evaluateEveryEpoch);
    }

    public TrainConfig withLearningRate(float lr) {
        return copy(architecture, widths, epochs, batchSize, lr, theta, objective, seed, validationFraction,
                limitTrain, device, historyPath, evaluateEveryEpoch);
    }

    public TrainConfig withTheta(float t) {
        return copy(architecture, widths, epochs, batchSize, learningRate, t, objective, seed, validationFraction,
                limitTrain, device, historyPath, evaluateEveryEpoch);
    }

    public TrainConfig withObjective(Objective o) {
        return copy(architecture, widths, epochs, batchSize, learningRate, theta, o, seed, validationFraction,
                limitTrain, device, historyPath, evaluateEveryEpoch);
    }

    public TrainConfig withSeed(long s) {
        return copy(architecture, widths, epochs, batchSize, learningRate, theta, objective, s, validationFraction,
                limitTrain, device, historyPath, evaluateEveryEpoch);
    }

    /** Fraction of the (limited) training set, taken from its END, used for validation; 0 disables it. */
    public TrainConfig withValidationFraction(double f) {
        return copy(architecture, widths, epochs, batchSize, learningRate, theta, objective, seed, f,
                limitTrain, device, historyPath, evaluateEveryEpoch);
    }

    /** Use only the first n training examples (before the validation split); 0 = all. */
    public TrainConfig withLimitTrain(int n) {
        return copy(architecture, widths, epochs, batchSize, learningRate, theta, objective, seed, validationFraction,
                n, device, historyPath, evaluateEveryEpoch);
    }

    public TrainConfig withDevice(Device d) {
        return copy(architecture, widths, epochs, batchSize, learningRate, theta, objective, seed, validationFraction,
                limitTrain, d, historyPath, evaluateEveryEpoch);
    }

    /** Write the history JSON (atomically) after every epoch to this file; null = don't. */
    public TrainConfig withHistoryPath(Path p) {
        return copy(architecture, widths, epochs, batchSize, learningRate, theta, objective, seed, validationFraction,
                limitTrain, device, p, evaluateEveryEpoch);
    }

    /**
     * Whether validation metrics are computed after every epoch (default) or only after the last one
     * (saves time in quick runs; the other epochs then record only losses, weights metrics and speed).
     */
    public TrainConfig withEvaluateEveryEpoch(boolean b) {
        return copy(architecture, widths, epochs, batchSize, learningRate, theta, objective, seed, validationFraction,
                limitTrain, device, historyPath, b);
    }

    /** Throws IllegalArgumentException with a one-line message naming the first impossible setting. */
    public TrainConfig validate() {
        if (architecture != Architecture.FFNN && architecture != Architecture.BPNN) {
            throw new IllegalArgumentException("training " + architecture + " is not supported yet (ffnn, bpnn)");
        }
        if (widths.length < 1 || widths.length > 3) {
            throw new IllegalArgumentException("expected 1 to 3 hidden layers, got " + widths.length);
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("hidden widths must be positive, got " + Arrays.toString(widths));
            }
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!Float.isFinite(theta)) {
            throw new IllegalArgumentException("theta must be finite, got " + theta);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        if (limitTrain < 0) {
            throw new IllegalArgumentException("training limit must be 0 (all) or positive, got " + limitTrain);
        }
        return this;
    }

    public Architecture architecture() { return architecture; }
    public int[] widths() { return widths.clone(); }
    public int epochs() { return epochs; }
    public int batchSize() { return batchSize; }
    public float learningRate() { return learningRate; }
    public float theta() { return theta; }
    public Objective objective() { return objective; }
    public long seed() { return seed; }
    public double validationFraction() { return validationFraction; }
    public int limitTrain() { return limitTrain; }
    public Device device() { return device; }
    public Path historyPath() { return historyPath; }
    public boolean evaluateEveryEpoch() { return evaluateEveryEpoch; }

    @Override
    public String toString() {
        return architecture + " widths=" + Arrays.toString(widths) + " epochs=" + epochs + " batch=" + batchSize
                + " lr=" + learningRate + (architecture == Architecture.BPNN ? "" : " theta=" + theta + " objective=" + objective)
                + " seed=" + seed + " val=" + validationFraction + (limitTrain > 0 ? " limit=" + limitTrain : "")
                + " device=" + device.id();
    }
}
