package org.fftk.trainer.tf;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.ConvShape;
import org.fftk.edge.model.Layout;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig.Device;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow graph (graph mode) for one ffnn or bpnn network: the weights as variables, the
 * training set preloaded into a variable on the graph side (a step feeds only batch indices and
 * labels), and one training op per batch. Evaluation is not done here but with the edge runtime
 * (the shipped model's own forward pass).
 *
 * <p>FF training step (docs/algorithms.md, "FFNN"): the batch's positive rows (image ⊕ true one-hot)
 * and negative rows (image ⊕ fed wrong one-hot) go through every layer; layer l+1 reads layer l's
 * activations with the gradient stopped; one {@code Session.run} computes all layers' forward
 * passes from the CURRENT weights and then applies every layer's Adam update, so layer l+1 sees
 * h_l from BEFORE layer l's update on the same batch. The gradient of the sum of the layer losses is
 * taken with {@code Ops.gradients} w.r.t. exactly this network's weights; thanks to the
 * stop-gradients each layer's weights receive only their own layer's loss gradient.
 *
 * <p>bpnn: ReLU hidden layers, a linear output layer, softmax cross-entropy, one Adam step.
 *
 * <p>Adam: TensorFlow's fused ApplyAdam (β1 0.9, β2 0.999, ε 1e-8). It differs from PyTorch's Adam
 * only in where ε enters (TF adds ε to √v̂·√(1−β2ᵗ) instead of √v̂), negligible at ε = 1e-8.
 *
 * <p>Parameters: {@link org.fftk.edge.model.Layout}'s order for the architecture; variable names
 * contain no '/' (layer0_weight, layer0_bias, ...).
 */
public final class Net extends GraphNet {
    private final Architecture arch;
    /** ffcnn's conv layers, or null for dense ones. */
    private final Conv conv;
    private final List<Op> trainTargets = new ArrayList<>();
    private final List<Operand<TFloat32>> layerLosses = new ArrayList<>();
    /** Peer normalisation: (running-mean variable, its next value), assigned after the step. */
    private final List<Object[]> peerUpdates = new ArrayList<>();
    private Gradients grads;
    /** Per hidden layer, its rank (0: full); all 0 unless the options factor it. */
    private int[] ranks;

    /**
     * @param trainCount number of training examples the net will be loaded with via {@link #loadTrainingImages}
     */
    public Net(Architecture arch, Objective objective, int dim, int labels, int[] widths, float theta, float lr,
               float normEps, int trainCount, Device device) {
        this(arch, objective, dim, labels, widths, theta, Optimizer.adam(lr), normEps, trainCount, device, FfOptions.DEFAULT);
    }

    public Net(Architecture arch, Objective objective, int dim, int labels, int[] widths, float theta, float lr,
               float normEps, int trainCount, Device device, FfOptions opts) {
        this(arch, objective, dim, labels, widths, theta, Optimizer.adam(lr), normEps, trainCount, device, opts);
    }

    /**
     * How an ffnn trains (docs/algorithms.md "FFNN"); bpnn takes only {@link #DEFAULT}.
     *
     * @param sequential FFLib's order: layer l takes its Adam step, then its output is recomputed
     *                   with the updated weights and becomes layer l+1's input for the same batch.
     *                   False: every layer learns from the pre-update activations and all steps wait
     *                   for all gradients.
     * @param endToEnd   paper 000's BP/FF: the sum of the layers' FF losses optimised by
     *                   backpropagation through all layers (no stop-gradient between them)
     * @param peerNorm   λ of Hinton's peer normalisation (0: off): each layer's loss adds
     *                   λ · mean_j (mean_k m_k − m_j)², m the running mean (momentum 0.9) of each
     *                   unit's activity on the batch's positive rows
     * @param pairScale  0: the threshold loss, softplus(∓z) per row; β > 0: paper 000's pairwise loss,
     *                   the mean over the B pairs of softplus(s·β·(z_neg − z_pos)) (s = +1 maximize,
     *                   −1 minimize; θ cancels)
     * @param overwriteLabel ffnn: paper 000's label encoding, the label overwriting the image's first L
     *                   values ({@link TfMath#labelled}); layer 0 then reads D values, not D + L
     * @param normGoodness ffnn with the pairwise loss: paper 000's goodness G = ‖h‖ ({@link TfMath#norm})
     *                   in place of z = mean h² − θ
     */
    public record FfOptions(boolean sequential, boolean endToEnd, float peerNorm, float pairScale, boolean overwriteLabel,
                            boolean normGoodness, java.util.List<Integer> ranks) {
        public static final FfOptions DEFAULT = new FfOptions(false, false, 0f, 0f, false, false);

        public FfOptions {
            if (normGoodness && !(pairScale > 0)) {
                throw new IllegalArgumentException("the norm goodness is for the pairwise loss");
            }
            ranks = ranks == null ? null : java.util.List.copyOf(ranks);
        }

        public FfOptions(boolean sequential, boolean endToEnd, float peerNorm, float pairScale, boolean overwriteLabel,
                         boolean normGoodness) {
            this(sequential, endToEnd, peerNorm, pairScale, overwriteLabel, normGoodness, null);
        }

        /**
         * These options for an ffnn or bpnn whose hidden layer l is factored to rank r_l (0: full; null: all
         * full; docs/algorithms.md "Low-rank layers"): its variables are then U (out × r) and V (r × in)
         * and its pre-activation (x·Vᵀ)·Uᵀ + b, so training moves the factors, never the product.
         */
        public FfOptions withRanks(int[] r) {
            java.util.List<Integer> l = null;
            if (r != null) {
                l = new ArrayList<>();
                for (int v : r) {
                    l.add(v);
                }
            }
            return new FfOptions(sequential, endToEnd, peerNorm, pairScale, overwriteLabel, normGoodness, l);
        }

        /** The ranks as an array, or null when no layer is factored. */
        public int[] rankArray() {
            return ranks == null ? null : ranks.stream().mapToInt(Integer::intValue).toArray();
        }

        public FfOptions(boolean sequential, boolean endToEnd, float peerNorm) {
            this(sequential, endToEnd, peerNorm, 0f, false, false);
        }

        public FfOptions(boolean sequential, boolean endToEnd, float peerNorm, float pairScale) {
            this(sequential, endToEnd, peerNorm, pairScale, false, false);
        }

        /** The model file's label encoding for these options. */
        public String labelEncoding() {
            return Model.denseLabelEncoding(overwriteLabel);
        }
    }

    /**
     * ffcnn's conv layers (docs/algorithms.md "FF-CNN"): the geometry, the label patterns
     * (L × C·H·W in [0, 1]), the label's share K of the mixed input (1 − K)·x + K·p_c, the first
     * layer whose loss is trained, whether z is paper 002's sum N·(mean h² − θ) or the mean, and
     * for morphological labels (instead of patterns) every label's map of source indices (C·H·W: zero).
     */
    public record Conv(ConvShape shape, float[] patterns, float intensity, int lossFrom, boolean sumGoodness, int[] maps) {
        public Conv(ConvShape shape, float[] patterns, float intensity, int lossFrom, boolean sumGoodness) {
            this(shape, patterns, intensity, lossFrom, sumGoodness, null);
        }
    }

    /** Running-mean momentum of peer normalisation (Hinton's and Loewe's 0.9). */
    public static final float PEER_MOMENTUM = 0.9f;

    public Net(Architecture arch, Objective objective, int dim, int labels, int[] widths, float theta, Optimizer optimizer,
               float normEps, int trainCount, Device device, FfOptions opts) {
        this(arch, objective, dim, labels, widths, theta, optimizer, normEps, trainCount, device, opts, null);
    }

    /**
     * With {@code conv} given (architecture ffcnn), the FF layers are conv layers on the image mixed
     * with the label's pattern; everything else (losses, stop-gradients, layer order, Adam) is the
     * ffnn step's. Layer l's z is N_l·(mean h² − θ) (paper 002's Σ h² − θ·N_l).
     */
    public Net(Architecture arch, Objective objective, int dim, int labels, int[] widths, float theta, Optimizer optimizer,
               float normEps, int trainCount, Device device, FfOptions opts, Conv conv) {
        super(dim, labels, trainCount, device);
        if (arch.isConv() != (conv != null)) {
            close();
            throw new IllegalArgumentException("conv layers are for ffcnn and bpcnn, and those need them");
        }
        Architecture declared = arch;
        if (arch == Architecture.FFCNN) {
            arch = Architecture.FFNN; // the same FF step, with conv layers
        } else if (arch == Architecture.BPCNN) {
            arch = Architecture.BPNN; // the same backprop step, with conv layers
        }
        this.conv = conv;
        if (conv != null && opts.peerNorm() > 0) {
            close();
            throw new IllegalArgumentException("peer normalisation is for ffnn's dense layers");
        }
        if (arch != Architecture.FFNN && arch != Architecture.BPNN) {
            close();
            throw new IllegalArgumentException("no TensorFlow graph for " + arch + " here (see ClassifierNet, RecurrentNet)");
        }
        this.arch = arch;
        boolean sequential = opts.sequential();
        boolean endToEnd = opts.endToEnd();
        if (sequential && endToEnd) {
            close();
            throw new IllegalArgumentException("sequential layer updates are for local FF training, not end-to-end backprop");
        }
        if ((opts.overwriteLabel() || opts.normGoodness()) && (conv != null || arch != Architecture.FFNN)) {
            close();
            throw new IllegalArgumentException("the overwrite label encoding and the norm goodness are for ffnn's dense layers");
        }
        ranks = opts.rankArray() != null ? opts.rankArray() : new int[widths.length];
        if (opts.rankArray() != null && conv != null) {
            close();
            throw new IllegalArgumentException("low-rank (factored) layers are for ffnn's and bpnn's dense layers");
        }
        addParams(conv != null ? declared : arch, widths, conv != null ? conv.shape() : null, opts.labelEncoding(),
                opts.rankArray());
        buildInputs();
        Operand<TFloat32> x = tf.gather(data, idx, tf.constant(0));
        Operand<TFloat32> total;
        if (arch == Architecture.FFNN) {
            Operand<TFloat32> in;
            if (conv != null) {
                in = ConvLayers.mixedInput(tf, x, posLabel, negLabel, conv, labels);
            } else {
                Operand<TFloat32> pos = TfMath.labelled(tf, x, posLabel, labels, opts.overwriteLabel());
                Operand<TFloat32> neg = TfMath.labelled(tf, x, negLabel, labels, opts.overwriteLabel());
                in = tf.concat(List.of(pos, neg), tf.constant(0));
            }
            Operand<TFloat32> sign = TfMath.ffSign(tf, idx, objective);
            total = null;
            List<Op> sequentialUpdates = new ArrayList<>();
            for (int l = 0; l < widths.length; l++) {
                Operand<TFloat32> normalized = conv != null ? ConvLayers.normalize(tf, in, normEps) : TfMath.normalize(tf, in, normEps);
                Operand<TFloat32> h = tf.nn.relu(layer(normalized, own(l), l));
                Operand<TFloat32> z = conv != null
                        ? ConvLayers.goodness(tf, h, theta, conv.sumGoodness() ? conv.shape().units(l, widths) : 1)
                        : opts.normGoodness() ? TfMath.norm(tf, h) : TfMath.goodness(tf, h, theta);
                Operand<TFloat32> loss = opts.pairScale() > 0
                        ? TfMath.pairwiseLoss(tf, z, opts.pairScale() * (objective == Objective.MAXIMIZE ? 1f : -1f))
                        : TfMath.ffLoss(tf, sign, z);
                if (opts.peerNorm() > 0) {
                    loss = tf.math.add(loss, tf.math.mul(tf.constant(opts.peerNorm()), peerLoss(h, l, widths[l])));
                }
                layerLosses.add(loss);
                // ffcnn --loss-from: an earlier layer's loss enters with weight 0 (its weights then get
                // an exact zero gradient, so Adam leaves them where they are)
                Operand<TFloat32> counted = conv != null && l < conv.lossFrom() ? tf.math.mul(tf.constant(0f), loss) : loss;
                total = total == null ? counted : tf.math.add(total, counted);
                if (sequential) {
                    // this layer's own gradient and Adam step, then its output with the updated weights
                    List<Variable<TFloat32>> own = own(l);
                    Gradients gl = tf.gradients(loss, own);
                    List<Operand<TFloat32>> dy = new ArrayList<>();
                    for (int i = 0; i < own.size(); i++) {
                        dy.add(gl.dy(i));
                    }
                    int f = first(l);
                    List<Op> step = TfMath.update(tf, own, paramShapes.subList(f, f + own.size()),
                            dy, List.of(), beta1Power, beta2Power, optimizer, adamSlots);
                    sequentialUpdates.addAll(step);
                    Ops after = tf.withControlDependencies(step);
                    List<Operand<TFloat32>> updated = new ArrayList<>();
                    for (Variable<TFloat32> v : own) {
                        updated.add(after.identity(v));
                    }
                    h = tf.nn.relu(layer(normalized, updated, l));
                }
                in = endToEnd ? h : tf.stopGradient(h);
            }
            if (sequential) {
                buildLossSums(layerLosses.size());
                trainTargets.addAll(sequentialUpdates);
                peerAssigns(sequentialUpdates);
                trainTargets.add(tf.withControlDependencies(sequentialUpdates).assignAdd(lossAcc, tf.stack(layerLosses)));
                grads = tf.gradients(total, params);
                open(device);
                return;
            }
        } else {
            if (!opts.withRanks(null).equals(FfOptions.DEFAULT)) {
                close();
                throw new IllegalArgumentException("sequential, end-to-end or peer-normalised FF training is for ffnn");
            }
            Operand<TFloat32> h = conv != null ? ConvLayers.image(tf, x, conv.shape()) : x;
            for (int l = 0; l < widths.length; l++) {
                h = tf.nn.relu(layer(h, own(l), l));
            }
            if (conv != null) {
                h = ConvLayers.flatten(tf, h, conv.shape().units(widths.length - 1, widths));
            }
            Operand<TFloat32> logits = TfMath.dense(tf, h, params.get(params.size() - 2), params.get(params.size() - 1));
            total = TfMath.crossEntropy(tf, logits, TfMath.oneHot(tf, posLabel, labels));
            layerLosses.add(total);
        }
        buildLossSums(layerLosses.size());
        grads = tf.gradients(total, params);
        List<Operand<TFloat32>> g = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            g.add(grads.dy(i));
        }
        // The weights are reference variables, read in place: every update waits until ALL gradients
        // are computed, or a backprop matmul (bpnn: dX = dY·W) could read a weight that another
        // layer's ApplyAdam has already changed (a race that made runs non-repeatable).
        List<Op> updates = TfMath.update(tf, params, paramShapes, g, List.of(), beta1Power, beta2Power, optimizer, adamSlots);
        trainTargets.addAll(updates);
        peerAssigns(updates);
        trainTargets.add(tf.withControlDependencies(updates).assignAdd(lossAcc, tf.stack(layerLosses)));
        open(device);
    }

    /** The running means take their new values once every update (hence every gradient) is done. */
    @SuppressWarnings("unchecked")
    private void peerAssigns(List<Op> after) {
        Ops done = tf.withControlDependencies(after);
        for (Object[] u : peerUpdates) {
            trainTargets.add(done.assign((Variable<TFloat32>) u[0], (Operand<TFloat32>) u[1]));
        }
    }

    /**
     * Peer normalisation of layer l's activations h (B positive rows, then B negative): the new
     * running mean m' = 0.9·m + 0.1·mean over the positive rows of h (the gradient flows through the
     * batch mean only), stored in a state variable after the step; returns mean_j (mean_k m'_k − m'_j)².
     */
    private Operand<TFloat32> peerLoss(Operand<TFloat32> h, int l, int width) {
        long[] shape = {width};
        Variable<TFloat32> m = TfMath.param(tf, "peer_mean" + l, shape, adamSlots.vars, adamSlots.shapes, adamSlots.feeds,
                adamSlots.loads);
        adamSlots.resets.add(tf.assign(m, tf.zeros(tf.constant(shape), TFloat32.class)));
        Operand<TFloat32> posRows = tf.gather(h, tf.range(tf.constant(0), tf.size(idx), tf.constant(1)), tf.constant(0));
        Operand<TFloat32> batchMean = tf.math.mean(posRows, tf.constant(0));
        Operand<TFloat32> next = tf.math.add(tf.math.mul(tf.constant(PEER_MOMENTUM), tf.stopGradient(m)),
                tf.math.mul(tf.constant(1f - PEER_MOMENTUM), batchMean));
        peerUpdates.add(new Object[] {m, next});
        Operand<TFloat32> dev = tf.math.sub(tf.math.mean(next, tf.constant(0)), next);
        return tf.math.mean(tf.math.square(dev), tf.constant(0));
    }

    /** Layer l's pre-activation: its convolution (ffcnn) or x·Wᵀ + b. */
    private Operand<TFloat32> affine(Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> b, int l) {
        return conv != null ? ConvLayers.conv(tf, x, w, b, conv.shape(), l) : TfMath.dense(tf, x, w, b);
    }

    /**
     * Hidden layer l's pre-activation from its own parameters {@code p}: W, b ({@link #affine}) or,
     * factored, U, V, b: (x·Vᵀ)·Uᵀ + b.
     */
    private Operand<TFloat32> layer(Operand<TFloat32> x, List<? extends Operand<TFloat32>> p, int l) {
        if (ranks[l] == 0) {
            return affine(x, p.get(0), p.get(1), l);
        }
        return tf.nn.biasAdd(TfMath.times(tf, TfMath.times(tf, x, p.get(1)), p.get(0)), p.get(2));
    }

    /** Index in {@code params} of hidden layer l's first parameter (Layout's order). */
    private int first(int l) {
        int k = 0;
        for (int i = 0; i < l; i++) {
            k += ranks[i] > 0 ? 3 : 2;
        }
        return k;
    }

    /** Hidden layer l's parameters: W, b, or for a factored layer U, V, b. */
    private List<Variable<TFloat32>> own(int l) {
        int f = first(l);
        return params.subList(f, f + (ranks[l] > 0 ? 3 : 2));
    }

    public int layerLossCount() {
        return layerLosses.size();
    }

    /** One training step on the batch held by {@code f}; {@code step} is Adam's 1-based step count. */
    public void trainStep(BatchFeed f, long step) {
        stepRunner(f, step).run().close();
    }

    /** As {@link #trainStep(BatchFeed, long)} with the learning rate scaled by {@code lrFactor} for this step. */
    public void trainStep(BatchFeed f, long step, float lrFactor) {
        Session.Runner r = stepRunner(f, step);
        if (lrFactor == 1f) {
            r.run().close();
            return;
        }
        try (TFloat32 t = TFloat32.scalarOf(lrFactor)) {
            r.feed(adamSlots.lrFactor, t).run().close();
        }
    }

    /** One training step as {@link #trainStep}, traced: TensorFlow's per-op timings (profiling only). */
    public org.tensorflow.proto.RunMetadata profileStep(BatchFeed f, long step) {
        return traced(stepRunner(f, step));
    }

    /** A runner of one training step: the batch's feeds, Adam's β powers for {@code step}, the update targets. */
    private Session.Runner stepRunner(BatchFeed f, long step) {
        f.sync();
        adamPowers(step);
        Session.Runner r = session.runner().feed(idx, f.idxT).feed(posLabel, f.posT)
                .feed(beta1Power, b1pT).feed(beta2Power, b2pT);
        if (arch == Architecture.FFNN) {
            r.feed(negLabel, f.negT);
        }
        trainTargets.forEach(r::addTarget);
        return r;
    }

    /**
     * The gradients of the summed loss w.r.t. every parameter (order of {@link #setParams}) and the
     * per-layer losses for one batch, without updating anything. For tests and diagnostics.
     */
    public List<float[]> gradients(BatchFeed f, float[] lossesOut) {
        f.sync();
        Session.Runner r = session.runner().feed(idx, f.idxT).feed(posLabel, f.posT);
        if (arch == Architecture.FFNN) {
            r.feed(negLabel, f.negT);
        }
        for (int i = 0; i < params.size(); i++) {
            r.fetch(grads.dy(i));
        }
        layerLosses.forEach(r::fetch);
        try (Result res = r.run()) {
            for (int l = 0; l < layerLosses.size(); l++) {
                lossesOut[l] = ((TFloat32) res.get(params.size() + l)).getFloat();
            }
            return floats(res, 0);
        }
    }

    /** The graph, for tests that add their own ops (e.g. gradients). */
    Graph graph() {
        return graph;
    }
}
