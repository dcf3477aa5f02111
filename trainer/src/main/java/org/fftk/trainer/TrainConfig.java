package org.fftk.trainer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;

/**
 * Everything a training run needs besides the data. Immutable; build with
 * {@link #defaults(Architecture)} (paper 003 Table 1 / docs/algorithms.md "Architectures") and the {@code with*} methods.
 *
 * <p>Defaults: widths 2000,2000; 60 epochs; batch 128; lr 0.02 (FF) or 1e-4 (bpnn); θ 20;
 * objective maximize; seed 1; validation fraction 0.1 (the LAST 10% of the training set);
 * no training limit; device cpu; no history file. ffnn-c: classifier lr 1e-4, FF layers for the
 * first half of the epochs (rounded up), the classifier for the rest; ffrnn: β 0.7, 10 frames
 * per training example.
 */
public final class TrainConfig {
    /** Most hidden layers a network may have (any depth from 1 trains; this only bounds the work). */
    public static final int MAX_LAYERS = 64;
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

    private Architecture architecture;
    private int[] widths;
    private int epochs;
    private int batchSize;
    private float learningRate;
    private float theta;
    private Objective objective;
    private long seed;
    private double validationFraction;
    private int limitTrain;
    private Device device;
    private Path historyPath;
    private Path checkpointPath;
    private boolean sequentialLayers;
    private boolean endToEnd;
    private float peerNorm;
    private org.fftk.trainer.tf.Optimizer.Kind optimizerKind = org.fftk.trainer.tf.Optimizer.Kind.ADAM;
    private float momentum = 0.9f;
    private float weightDecay;
    private boolean resume;
    private int evaluateEvery;
    private org.fftk.edge.model.Model start;
    /** ffnn-c: FF epochs before the classifier's; −1: the first half, rounded up. */
    private int ffEpochs = -1;
    private float classifierLearningRate;
    private int trainFrames;
    private float beta;
    /** ffcnn (docs/algorithms.md "FF-CNN"): per layer kernel, stride, padding (null: 5, 1, kernel/2). */
    private int[] kernels;
    private int[] strides;
    private int[] pads;
    private float labelIntensity = 0.35f;
    private int scoreFrom = 1;
    private boolean softmaxScore;
    private boolean overwriteLabel;
    private boolean normGoodness;
    private int lossFrom;
    private boolean cooldown;
    private boolean sumGoodness = true;
    /** ffcnn: morphological labels (a rotation per label) instead of Fourier patterns. */
    private boolean morphology;
    /** 0: the threshold loss; β > 0: paper 000's pairwise loss softplus(β·(z_neg − z_pos)). */
    private float pairScale;

    private TrainConfig(Architecture a) {
        this.architecture = a;
        this.widths = new int[] {2000, 2000};
        this.epochs = 60;
        this.batchSize = 128;
        this.learningRate = a == Architecture.BPNN ? 1e-4f : 0.02f;
        this.theta = 20f;
        this.objective = Objective.MAXIMIZE;
        this.seed = 1L;
        this.validationFraction = 0.1;
        this.limitTrain = 0;
        this.device = Device.CPU;
        this.historyPath = null;
        this.evaluateEvery = 1;
        this.classifierLearningRate = 1e-4f;
        this.trainFrames = 10;
        this.beta = 0.7f;
    }

    private TrainConfig(TrainConfig o) {
        this.architecture = o.architecture;
        this.widths = o.widths.clone();
        this.epochs = o.epochs;
        this.batchSize = o.batchSize;
        this.learningRate = o.learningRate;
        this.theta = o.theta;
        this.objective = o.objective;
        this.seed = o.seed;
        this.validationFraction = o.validationFraction;
        this.limitTrain = o.limitTrain;
        this.device = o.device;
        this.historyPath = o.historyPath;
        this.checkpointPath = o.checkpointPath;
        this.sequentialLayers = o.sequentialLayers;
        this.endToEnd = o.endToEnd;
        this.peerNorm = o.peerNorm;
        this.optimizerKind = o.optimizerKind;
        this.momentum = o.momentum;
        this.weightDecay = o.weightDecay;
        this.resume = o.resume;
        this.evaluateEvery = o.evaluateEvery;
        this.start = o.start;
        this.ffEpochs = o.ffEpochs;
        this.classifierLearningRate = o.classifierLearningRate;
        this.trainFrames = o.trainFrames;
        this.beta = o.beta;
        this.kernels = o.kernels;
        this.strides = o.strides;
        this.pads = o.pads;
        this.labelIntensity = o.labelIntensity;
        this.scoreFrom = o.scoreFrom;
        this.softmaxScore = o.softmaxScore;
        this.overwriteLabel = o.overwriteLabel;
        this.normGoodness = o.normGoodness;
        this.lossFrom = o.lossFrom;
        this.cooldown = o.cooldown;
        this.sumGoodness = o.sumGoodness;
        this.pairScale = o.pairScale;
        this.morphology = o.morphology;
    }

    /**
     * Paper 003 Table 1 settings for an architecture; for ffcnn paper 002's best MNIST network
     * (3 conv layers of 128 filters 7×7, padding 3, batch 50, lr 5e-5, 200 epochs with the linear
     * cooldown over the second half, θ = 1 per unit, label intensity 0.35, maximize). Every layer's
     * loss is trained ({@code --loss-from 0}): paper 002 leaves the first layer's out, which with
     * local training would freeze that layer at its initialisation (docs/algorithms.md "FF-CNN").
     */
    public static TrainConfig defaults(Architecture a) {
        TrainConfig c = new TrainConfig(a);
        if (a.isFfConv()) {
            c.widths = new int[] {128, 128, 128};
            c.kernels = new int[] {7, 7, 7};
            c.batchSize = 50;
            c.learningRate = 5e-5f;
            c.epochs = 200;
            c.theta = 1f;
            c.cooldown = true;
            if (a == Architecture.FFCNN_C) {
                c.epochs = 400; // paper 002's 200 FF epochs, then as many of the classifier alone (first half: FF)
            }
        } else if (a == Architecture.BPCNN) {
            // paper 002's backprop CNN: 3 layers of 16 filters 5×5 (padding 2), Adam lr 1e-3, batch 50, 200 epochs
            c.widths = new int[] {16, 16, 16};
            c.kernels = new int[] {5, 5, 5};
            c.batchSize = 50;
            c.learningRate = 1e-3f;
            c.epochs = 200;
        }
        return c;
    }

    /**
     * Paper 003's settings as it reports them: Table 1's hyperparameters (the {@link #defaults})
     * with objective {@code minimize} for the FF architectures, the L− runs behind its Table 2 and
     * Figure 19 (its Table 5 compares L+ and L−; maximize is one option away), trained in FFLib's
     * layer order (ffnn, ffnn-c: {@link #withSequentialLayers}); ffrnn validates every 10th epoch.
     */
    public static TrainConfig paper(Architecture a) {
        if (a == Architecture.BPNN || a.isConv()) {
            return defaults(a);
        }
        TrainConfig c = defaults(a).withObjective(Objective.MINIMIZE);
        if (a == Architecture.FFNN || a == Architecture.FFNN_C) {
            // FFLib's layer order: with it the second layer's weight sparsity matches paper 003's
            // Table 3 (Hoyer 0.442 vs 0.442 ± 0.004); the simultaneous order gives 0.382 ± 0.005
            c = c.withSequentialLayers(true);
        }
        // ffrnn validation predicts every label over 8 frames on the edge runtime: 213 s for the 6,000
        // validation images of a 2×2000 net here, 0.65× the epoch's training pass (327 s); every 10th
        // epoch (and the last) it costs 6.5% (benchmarks/src/.../FfrnnProfile, README "Training speed")
        return a == Architecture.FFRNN ? c.withEvaluateEvery(10) : c;
    }

    /**
     * A quick MNIST configuration for demos and the README's main job (not the paper's settings):
     * ffnn 2×200, objective minimize, lr 0.1, θ 2, batch 128, 12 epochs. Measured on 2 shared CPU
     * cores (load 4–9): MNIST test accuracy 96.64 / 96.78 / 96.74% for seeds 1 / 2 / 3 after
     * 61–97 s of training. With maximize it reaches only ~95.0%; θ 20 / lr 0.02 start far more
     * slowly; lr 0.2 diverges. For bpnn: 2×200, lr 1e-3, 5 epochs (97.70% in 17 s).
     * For ffnn-c the same FF settings (6 FF + 6 classifier epochs) with classifier lr 1e-3; for
     * ffrnn 2×200, minimize, θ 5, lr 0.03, batch 64, 4 epochs (each batch runs 10 frames, about 10×
     * the work of an ffnn batch). The ffnn-c and ffrnn presets were chosen from small runs (3000
     * images, 2×100: lr 0.1 diverges for ffrnn, θ 5 beats θ 1, 2 and 10), not measured on full MNIST.
     */
    public static TrainConfig quickstart(Architecture a) {
        if (a.isFfConv()) {
            // paper 000's pairwise loss on the mean form of goodness: with paper 002's threshold loss
            // this net stays near chance for epochs (README "FF-CNN")
            return defaults(a).withWidths(QUICK_CNN_FILTERS).withConv(new int[] {5, 5, 5}, QUICK_CNN_STRIDES, null)
                    .withLearningRate(QUICK_CNN_LR).withEpochs(QUICK_CNN_EPOCHS).withBatchSize(QUICK_CNN_BATCH)
                    .withPairwiseLoss(QUICK_CNN_PAIR_SCALE).withSumGoodness(false)
                    .withEvaluateEvery(0) // validation predicts 10 labels per image: more work than an epoch here
                    // ffcnn-c: the classifier at the paper preset's 1e-4 (on the quickstart's layers 98.13%
                    // after 3 epochs, 1e-3 97.96%; on 4×48 layers 98.41% against 97.58%: README "FF-CNN")
                    .withEpochs(a == Architecture.FFCNN_C ? 2 * QUICK_CNN_EPOCHS : QUICK_CNN_EPOCHS);
        }
        if (a == Architecture.BPCNN) {
            // ffcnn's quickstart geometry, trained by backprop
            return defaults(a).withWidths(QUICK_CNN_FILTERS).withConv(new int[] {5, 5, 5}, QUICK_CNN_STRIDES, null)
                    .withEpochs(QUICK_CNN_EPOCHS).withEvaluateEvery(0);
        }
        if (a == Architecture.BPNN) {
            return defaults(a).withWidths(200, 200).withLearningRate(1e-3f).withEpochs(5);
        }
        TrainConfig c = defaults(a).withWidths(200, 200).withObjective(Objective.MINIMIZE).withLearningRate(0.1f)
                .withTheta(2f).withEpochs(12);
        if (a == Architecture.FFNN_C) {
            c = c.withClassifierLearningRate(1e-3f);
        } else if (a == Architecture.FFRNN) {
            c = c.withLearningRate(0.03f).withTheta(5f).withBatchSize(64).withEpochs(4);
        }
        return c;
    }

    /** ffcnn quickstart (measured: README "FF-CNN"). */
    static final int[] QUICK_CNN_FILTERS = {32, 32, 32};
    static final int[] QUICK_CNN_STRIDES = {1, 2, 2};
    static final float QUICK_CNN_LR = 3e-3f;
    static final float QUICK_CNN_PAIR_SCALE = 10f;
    static final int QUICK_CNN_EPOCHS = 3;
    static final int QUICK_CNN_BATCH = 50;

    /**
     * ffcnn: per conv layer the square kernel side, the stride and the zero padding on every side;
     * null strides mean 1, null pads mean kernel/2 (same size output for odd kernels).
     */
    public TrainConfig withConv(int[] kernels, int[] strides, int[] pads) {
        TrainConfig c = new TrainConfig(this);
        c.kernels = kernels == null ? null : kernels.clone();
        c.strides = strides == null ? null : strides.clone();
        c.pads = pads == null ? null : pads.clone();
        return c;
    }

    /** ffcnn: the label pattern's share K of the input (1 − K)·x + K·p_c (paper 002's MNIST: 0.35). */
    public TrainConfig withLabelIntensity(float k) {
        TrainConfig c = new TrainConfig(this);
        c.labelIntensity = k;
        return c;
    }

    /**
     * ffnn, ffcnn: predict with paper 000's rule, Σ over the scored layers of softmax over the labels of
     * ‖h_l‖, instead of the sum of the layers' goodness (docs/algorithms.md "Prediction"); training is
     * the same either way.
     */
    public TrainConfig withSoftmaxScore(boolean on) {
        TrainConfig c = new TrainConfig(this);
        c.softmaxScore = on;
        return c;
    }

    /** ffnn, ffcnn: true for the softmax score rule. */
    public boolean softmaxScore() { return softmaxScore; }

    /**
     * ffnn, ffnn-c: paper 000's label encoding, the label overwriting the image's first L values (the
     * value c set to the image's largest other value) instead of following the image
     * (docs/algorithms.md "Label encoding").
     */
    public TrainConfig withOverwriteLabel(boolean on) {
        TrainConfig c = new TrainConfig(this);
        c.overwriteLabel = on;
        return c;
    }

    /** ffnn, ffnn-c: true when the label overwrites the image's first values. */
    public boolean overwriteLabel() { return overwriteLabel; }

    /**
     * ffnn, ffnn-c with the pairwise loss: paper 000's goodness G = ‖h‖ in the loss softplus(s·β·(G_neg − G_pos))
     * instead of z = mean h² − θ (docs/algorithms.md "FF layer"); prediction is unchanged.
     */
    public TrainConfig withNormGoodness(boolean on) {
        TrainConfig c = new TrainConfig(this);
        c.normGoodness = on;
        return c;
    }

    /** ffnn, ffnn-c: true for paper 000's ‖h‖ goodness in the pairwise loss. */
    public boolean normGoodness() { return normGoodness; }

    /** The model file's label encoding for ffnn and ffnn-c. */
    public String denseLabelEncoding() {
        return org.fftk.edge.model.Model.denseLabelEncoding(overwriteLabel);
    }

    /** ffcnn: the first layer (0-based) whose goodness counts in the prediction score (paper 002: 1). */
    public TrainConfig withScoreFrom(int layer) {
        TrainConfig c = new TrainConfig(this);
        c.scoreFrom = layer;
        return c;
    }

    /**
     * ffcnn: the first layer (0-based) whose FF loss is trained (0: all; paper 002 leaves the first
     * out, which with local training keeps that layer at its initialisation).
     */
    public TrainConfig withLossFrom(int layer) {
        TrainConfig c = new TrainConfig(this);
        c.lossFrom = layer;
        return c;
    }

    /**
     * ffcnn: the layer loss's z as paper 002 has it, Σ h² − θ·N = N·(mean h² − θ) (true, the default),
     * or the mean form mean h² − θ (false; 1/N the scale, so the sigmoid saturates far less).
     */
    public TrainConfig withSumGoodness(boolean sum) {
        TrainConfig c = new TrainConfig(this);
        c.sumGoodness = sum;
        return c;
    }

    public boolean sumGoodness() { return sumGoodness; }

    /** ffcnn, bpcnn: the per-layer kernels, strides and paddings as set (null: the defaults). */
    public int[] kernels() { return kernels == null ? null : kernels.clone(); }
    public int[] strides() { return strides == null ? null : strides.clone(); }
    public int[] pads() { return pads == null ? null : pads.clone(); }

    /**
     * FF layers (ffnn, ffnn-c's FF phase, ffcnn): the layer loss. β = 0 is the threshold loss
     * softplus(∓z) per row (Hinton, papers 002/003); β > 0 is paper 000's pairwise loss, the mean over
     * a batch's (positive, negative) pairs of the same image of softplus(β·(z_neg − z_pos)), which
     * needs no θ and ignores how much goodness varies from image to image (docs/algorithms.md
     * "Training").
     */
    public TrainConfig withPairwiseLoss(float beta) {
        if (!(beta >= 0 && beta < 1e6)) {
            throw new IllegalArgumentException("pairwise loss scale must be >= 0, got " + beta);
        }
        TrainConfig c = new TrainConfig(this);
        c.pairScale = beta;
        return c;
    }

    /**
     * ffcnn: the label kind, morphological (true: label c rotates the image, docs/algorithms.md
     * "FF-CNN") or Fourier patterns mixed in (false, the default).
     */
    public TrainConfig withMorphologyLabels(boolean on) {
        TrainConfig c = new TrainConfig(this);
        c.morphology = on;
        return c;
    }

    public boolean morphologyLabels() { return morphology; }

    /** The pairwise loss's β (0: the threshold loss). */
    public float pairScale() { return pairScale; }

    /** Paper 002's linear learning-rate cooldown: lr(e) = lr for e ≤ E/2, then 2·lr·(1 + E − e)/E. */
    public TrainConfig withCooldown(boolean on) {
        TrainConfig c = new TrainConfig(this);
        c.cooldown = on;
        return c;
    }

    /**
     * The learning-rate factor of 1-based epoch e (1 without the cooldown); E counts the FF layers'
     * epochs (ffnn-c, ffcnn-c: their FF phase).
     */
    public float learningRateFactor(int epoch) {
        int e = ffEpochs();
        if (!cooldown || 2 * epoch <= e) {
            return 1f;
        }
        return 2f * (1 + e - epoch) / e;
    }

    /**
     * ffcnn: the conv geometry for images of {@code inputSize} values: 784 → 1×28×28 (MNIST,
     * Fashion-MNIST), 3072 → 3×32×32 (CIFAR-10), another square s² → 1×s×s.
     */
    public org.fftk.edge.model.ConvShape convShape(int inputSize) {
        if (start != null && start.conv() != null && kernels == null && strides == null && pads == null) {
            return start.conv();
        }
        int ch;
        int side;
        if (inputSize == 3072) {
            ch = 3;
            side = 32;
        } else {
            ch = 1;
            side = (int) Math.round(Math.sqrt(inputSize));
            if (side * side != inputSize) {
                throw new IllegalArgumentException("ffcnn needs square images: " + inputSize + " values are not s x s");
            }
        }
        int n = widths.length;
        int[] k = kernels != null ? kernels : filled(n, 5);
        int[] s = strides != null ? strides : filled(n, 1);
        int[] p = pads;
        if (p == null) {
            p = new int[k.length];
            for (int i = 0; i < k.length; i++) {
                p[i] = k[i] / 2;
            }
        }
        if (k.length != n || s.length != n || p.length != n) {
            throw new IllegalArgumentException("ffcnn has " + n + " conv layers but " + k.length + " kernels, " + s.length
                    + " strides and " + p.length + " paddings were given");
        }
        return new org.fftk.edge.model.ConvShape(ch, side, side, k, s, p);
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    public float labelIntensity() { return labelIntensity; }
    public int scoreFrom() { return scoreFrom; }
    public int lossFrom() { return lossFrom; }
    public boolean cooldown() { return cooldown; }

    public TrainConfig withWidths(int... w) {
        TrainConfig c = new TrainConfig(this);
        c.widths = w.clone();
        return c;
    }

    public TrainConfig withEpochs(int e) {
        TrainConfig c = new TrainConfig(this);
        c.epochs = e;
        return c;
    }

    public TrainConfig withBatchSize(int b) {
        TrainConfig c = new TrainConfig(this);
        c.batchSize = b;
        return c;
    }

    /** Adam learning rate of the FF layers (ffnn, ffnn-c, ffrnn) or of the whole network (bpnn). */
    public TrainConfig withLearningRate(float lr) {
        TrainConfig c = new TrainConfig(this);
        c.learningRate = lr;
        return c;
    }

    public TrainConfig withTheta(float t) {
        TrainConfig c = new TrainConfig(this);
        c.theta = t;
        return c;
    }

    public TrainConfig withObjective(Objective o) {
        TrainConfig c = new TrainConfig(this);
        c.objective = o;
        return c;
    }

    public TrainConfig withSeed(long s) {
        TrainConfig c = new TrainConfig(this);
        c.seed = s;
        return c;
    }

    /** Fraction of the (limited) training set, taken from its END, used for validation; 0 disables it. */
    public TrainConfig withValidationFraction(double f) {
        TrainConfig c = new TrainConfig(this);
        c.validationFraction = f;
        return c;
    }

    /** Use only the first n training examples (before the validation split); 0 = all. */
    public TrainConfig withLimitTrain(int n) {
        TrainConfig c = new TrainConfig(this);
        c.limitTrain = n;
        return c;
    }

    public TrainConfig withDevice(Device d) {
        TrainConfig c = new TrainConfig(this);
        c.device = d;
        return c;
    }

    /** Write the history JSON (atomically) after every epoch to this file; null = don't. */
    /**
     * Where to write the run's checkpoint after every epoch (docs/algorithms.md "Checkpoints"); with
     * {@code resume}, an existing checkpoint there is continued instead of starting afresh.
     */
    public TrainConfig withCheckpoint(Path p, boolean resume) {
        TrainConfig c = new TrainConfig(this);
        c.checkpointPath = p;
        c.resume = resume;
        return c;
    }

    /**
     * ffnn (and ffnn-c's FF phase): FFLib's layer order, where each layer's output is recomputed with
     * its updated weights before the next layer learns from it on the same batch (docs/algorithms.md "FFNN").
     */
    public TrainConfig withSequentialLayers(boolean on) {
        TrainConfig c = new TrainConfig(this);
        c.sequentialLayers = on;
        return c;
    }

    /**
     * ffnn (and ffnn-c's FF phase): paper 000's BP/FF, the same goodness losses summed and optimised
     * end to end by backpropagation through all layers (docs/algorithms.md "FFNN").
     */
    public TrainConfig withEndToEnd(boolean on) {
        TrainConfig c = new TrainConfig(this);
        c.endToEnd = on;
        return c;
    }

    /** ffnn (and ffnn-c's FF phase): Hinton's peer normalisation with weight λ (0: off; paper 004 uses 0.03). */
    public TrainConfig withPeerNorm(float lambda) {
        if (!(lambda >= 0 && lambda < 1e6)) {
            throw new IllegalArgumentException("peer normalisation weight must be >= 0");
        }
        TrainConfig c = new TrainConfig(this);
        c.peerNorm = lambda;
        return c;
    }

    /**
     * The update rule (docs/algorithms.md "Training"): Adam (default) or SGD with {@code momentum};
     * {@code weightDecay} adds wd·w to every gradient (paper 004: SGD, momentum 0.9, wd 3e-4).
     */
    public TrainConfig withOptimizer(org.fftk.trainer.tf.Optimizer.Kind kind, float momentum, float weightDecay) {
        TrainConfig c = new TrainConfig(this);
        c.optimizerKind = kind;
        c.momentum = momentum;
        c.weightDecay = weightDecay;
        c.optimizer(1f); // range checks now, not at the first epoch
        return c;
    }

    /** The optimizer of this run at learning rate {@code lr} (the FF/bpnn rate or ffnn-c's classifier rate). */
    public org.fftk.trainer.tf.Optimizer optimizer(float lr) {
        return new org.fftk.trainer.tf.Optimizer(optimizerKind, lr,
                optimizerKind == org.fftk.trainer.tf.Optimizer.Kind.SGD ? momentum : 0f, weightDecay);
    }

    public TrainConfig withHistoryPath(Path p) {
        TrainConfig c = new TrainConfig(this);
        c.historyPath = p;
        return c;
    }

    /**
     * Validation metrics after every n-th epoch and after the last one (default n = 1: every epoch;
     * 0: only the last). The other epochs record only losses, weight metrics and speed; this saves
     * time where validation is slow next to training (ffrnn on a GPU, whose validation runs on the CPU).
     */
    /**
     * Starts training from this model's parameters instead of a random initialisation (fine-tuning;
     * the model must have this configuration's architecture and widths, and the data's image width
     * and labels). ffnn-c: the FF phase starts from its FF layers, the classifier phase from its
     * classifier. Null: random initialisation.
     */
    public TrainConfig withStart(org.fftk.edge.model.Model m) {
        TrainConfig c = new TrainConfig(this);
        c.start = m;
        return c;
    }

    /** The model training starts from, or null for a random initialisation. */
    public org.fftk.edge.model.Model start() {
        return start;
    }

    public TrainConfig withEvaluateEvery(int n) {
        TrainConfig c = new TrainConfig(this);
        c.evaluateEvery = n;
        return c;
    }

    /** ffnn-c: Adam learning rate of the linear classifier (paper 003 / docs/algorithms.md "Architectures": 1e-4). */
    public TrainConfig withClassifierLearningRate(float lr) {
        TrainConfig c = new TrainConfig(this);
        c.classifierLearningRate = lr;
        return c;
    }

    /** ffrnn: frames per training example, K_train (paper 003 Table 1: 10). */
    public TrainConfig withTrainFrames(int k) {
        TrainConfig c = new TrainConfig(this);
        c.trainFrames = k;
        return c;
    }

    /** ffrnn: momentum β, the weight of the new state (docs/algorithms.md "Architectures": 0.7). */
    public TrainConfig withBeta(float b) {
        TrainConfig c = new TrainConfig(this);
        c.beta = b;
        return c;
    }

    /** ffnn-c: epochs of the FF phase (the first half, rounded up); the classifier gets the rest. */
    public int ffEpochs() {
        if (!architecture.hasFfClassifier()) {
            return epochs;
        }
        return ffEpochs >= 0 ? ffEpochs : (epochs + 1) / 2;
    }

    /**
     * ffnn-c: train the FF layers for the first {@code k} epochs and the classifier for the rest
     * (0: the classifier only, on the FF layers as they are, e.g. when fine-tuning a pruned model).
     */
    public TrainConfig withFfEpochs(int k) {
        TrainConfig c = new TrainConfig(this);
        c.ffEpochs = k;
        return c;
    }

    /** Throws IllegalArgumentException with a one-line message naming the first impossible setting. */
    public TrainConfig validate() {
        if (architecture == null) {
            throw new IllegalArgumentException("no architecture given (ffnn, ffnn-c, ffrnn, bpnn)");
        }
        if (widths.length < 1 || widths.length > MAX_LAYERS) {
            throw new IllegalArgumentException("expected 1 to " + MAX_LAYERS + " hidden layers, got " + widths.length);
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("hidden widths must be positive, got " + Arrays.toString(widths));
            }
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        boolean cnn = architecture.isFfConv();
        if (cnn) {
            if (!(labelIntensity >= 0 && labelIntensity <= 1)) {
                throw new IllegalArgumentException("label intensity must be in [0, 1], got " + labelIntensity);
            }
            if (scoreFrom < 0 || scoreFrom >= widths.length || lossFrom < 0 || lossFrom >= widths.length) {
                throw new IllegalArgumentException("--score-from and --loss-from must name a layer 0.." + (widths.length - 1)
                        + ", got " + scoreFrom + " and " + lossFrom);
            }
            if (sequentialLayers || peerNorm > 0) {
                throw new IllegalArgumentException("sequential layer updates and peer normalisation are for ffnn, not ffcnn");
            }
            convShape(784); // kernel, stride and padding counts and ranges (the image size is checked again with the data)
        } else if (architecture == Architecture.BPCNN) {
            if (lossFrom != 0 || !sumGoodness) {
                throw new IllegalArgumentException("--loss-from and --goodness are for ffcnn (bpcnn has no goodness)");
            }
            convShape(784);
        } else if (kernels != null || strides != null || pads != null || lossFrom != 0 || !sumGoodness) {
            throw new IllegalArgumentException("kernels, strides, paddings, --loss-from and --goodness are for ffcnn and bpcnn");
        }
        boolean ffLayers = architecture == Architecture.FFNN || architecture == Architecture.FFNN_C || cnn;
        if (sequentialLayers && !ffLayers) {
            throw new IllegalArgumentException("sequential layer updates are for ffnn and ffnn-c (" + architecture.id()
                    + " trains its layers " + (architecture == Architecture.BPNN ? "end to end)" : "frame by frame)"));
        }
        if (endToEnd && !ffLayers) {
            throw new IllegalArgumentException("end-to-end (backprop) training of the goodness objective is for ffnn and "
                    + "ffnn-c (bpnn already trains end to end; ffrnn's frames would need backprop through time)");
        }
        if (endToEnd && sequentialLayers) {
            throw new IllegalArgumentException("--layer-updates sequential is for local FF training, not --training backprop");
        }
        if (softmaxScore && (!(cnn || architecture == Architecture.FFNN) || objective != Objective.MAXIMIZE)) {
            throw new IllegalArgumentException("--score-rule softmax is for ffnn, ffcnn and ffcnn-c trained with maximize");
        }
        if (normGoodness && (!(architecture == Architecture.FFNN || architecture == Architecture.FFNN_C) || !(pairScale > 0))) {
            throw new IllegalArgumentException("--goodness norm (paper 000's ||h||) is for ffnn and ffnn-c with --ff-loss pairwise");
        }
        if (overwriteLabel && architecture != Architecture.FFNN && architecture != Architecture.FFNN_C) {
            throw new IllegalArgumentException("--label-encoding overwrite is for ffnn and ffnn-c (" + architecture.id()
                    + (architecture == Architecture.FFRNN ? " reads the label at its top layer)" : " has no label in its input)"));
        }
        if (morphology && !cnn) {
            throw new IllegalArgumentException("label patterns (fourier, morphology) are for ffcnn and ffcnn-c");
        }
        if (pairScale > 0 && !ffLayers) {
            throw new IllegalArgumentException("the pairwise loss is for FF layers (ffnn, ffnn-c, ffcnn)");
        }
        if (peerNorm > 0 && !ffLayers) {
            throw new IllegalArgumentException("peer normalisation is for ffnn and ffnn-c");
        }
        if (architecture.hasFfClassifier() && ffEpochs < 0 && epochs < 2) {
            throw new IllegalArgumentException(architecture + " needs at least 2 epochs (half FF layers, half classifier), got "
                    + epochs);
        }
        if (architecture.hasFfClassifier() && ffEpochs >= 0 && ffEpochs >= epochs) {
            throw new IllegalArgumentException(architecture + " needs at least one classifier epoch: " + ffEpochs
                    + " FF epochs of " + epochs);
        }
        if (architecture == Architecture.FFCNN_C && widths.length < 2) {
            throw new IllegalArgumentException("ffcnn-c needs at least 2 conv layers (its classifier reads every layer but the first)");
        }
        if (architecture.hasFfClassifier()
                && (!(classifierLearningRate > 0) || !Float.isFinite(classifierLearningRate))) {
            throw new IllegalArgumentException("classifier learning rate must be positive, got " + classifierLearningRate);
        }
        if (architecture == Architecture.FFRNN && trainFrames < 1) {
            throw new IllegalArgumentException("ffrnn needs at least 1 training frame, got " + trainFrames);
        }
        if (trainFrames > org.fftk.edge.model.Model.MAX_FRAMES) {
            throw new IllegalArgumentException("ffrnn trains with at most " + org.fftk.edge.model.Model.MAX_FRAMES
                    + " frames, got " + trainFrames);
        }
        if (architecture == Architecture.FFRNN && !(beta > 0 && beta <= 1)) {
            throw new IllegalArgumentException("ffrnn beta must be in (0, 1], got " + beta);
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
        if (start != null && start.conv() != null && start.conv().depth() == widths.length
                && !start.conv().equals(convShape(start.inputSize()))) {
            throw new IllegalArgumentException("the starting model's conv geometry is " + start.conv() + ", the configuration's "
                    + convShape(start.inputSize()));
        }
        // a model may also start its -c form: its layers frozen under a new classifier (ffEpochs 0)
        boolean addsClassifier = start != null && architecture.hasFfClassifier() && ffEpochs == 0
                && start.architecture() == architecture.ffLayers();
        if (start != null && ((start.architecture() != architecture && !addsClassifier) || !Arrays.equals(start.widths(), widths))) {
            throw new IllegalArgumentException("the starting model is " + start.architecture() + " "
                    + Arrays.toString(start.widths()) + ", but the configuration trains " + architecture + " "
                    + Arrays.toString(widths));
        }
        if (evaluateEvery < 0) {
            throw new IllegalArgumentException("validation interval must be 0 (last epoch only) or positive, got " + evaluateEvery);
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
    public Path checkpointPath() { return checkpointPath; }
    public boolean sequentialLayers() { return sequentialLayers; }
    public boolean endToEnd() { return endToEnd; }
    public float peerNorm() { return peerNorm; }
    public boolean resume() { return resume; }
    /** Validation every n-th epoch and after the last (0: only after the last). */
    public int evaluateEvery() { return evaluateEvery; }
    public float classifierLearningRate() { return classifierLearningRate; }
    public int trainFrames() { return trainFrames; }
    public float beta() { return beta; }

    @Override
    public String toString() {
        return architecture + " widths=" + Arrays.toString(widths) + " epochs=" + epochs + " batch=" + batchSize
                + " lr=" + learningRate + (architecture == Architecture.BPNN ? "" : " theta=" + theta + " objective=" + objective)
                + (architecture.hasFfClassifier() ? " classifierLr=" + classifierLearningRate : "")
                + (architecture == Architecture.FFRNN ? " beta=" + beta + " trainFrames=" + trainFrames : "")
                + " seed=" + seed + " val=" + validationFraction + (limitTrain > 0 ? " limit=" + limitTrain : "")
                + " device=" + device.id();
    }
}
