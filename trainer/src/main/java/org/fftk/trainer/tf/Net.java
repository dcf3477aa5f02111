package org.fftk.trainer.tf;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig.Device;
import org.fftk.trainer.TrainData;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A TensorFlow graph (graph mode) for one ffnn or bpnn network: the weights as variables, the
 * training set preloaded into a variable on the graph side (a step feeds only batch indices and
 * labels), one training op per batch, and an evaluation op on fed images.
 *
 * <p>FF training step (SPEC §2): the batch's positive rows (image ⊕ true one-hot) and negative rows
 * (image ⊕ fed wrong one-hot) go through every layer; layer l+1 reads layer l's activations with the
 * gradient stopped; one {@code Session.run} computes all layers' forward passes from the CURRENT
 * weights and then applies every layer's Adam update, so layer l+1 sees h_l from BEFORE layer l's
 * update on the same batch. The gradient of the sum of the layer losses is taken with
 * {@code Ops.gradients} w.r.t. exactly this network's weights; thanks to the stop-gradients each
 * layer's weights receive only their own layer's loss gradient.
 *
 * <p>Adam: TensorFlow's fused ApplyAdam (β1 0.9, β2 0.999, ε 1e-8). It differs from PyTorch's Adam
 * only in where ε enters (TF adds ε to √v̂·√(1−β2ᵗ) instead of √v̂), negligible at ε = 1e-8.
 *
 * <p>Variable names contain no '/' (layer0_weight, layer0_bias, ...).
 */
public final class Net extends GraphNet {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPSILON = 1e-8f;

    private final Architecture arch;
    private final Objective objective;
    private final int[] widths;
    private final int[] ins;
    private final float theta;
    private final float normEps;

    // training (parameters, inputs, Adam state and loss sums live in GraphNet; parameters in order:
    // layer weights and biases, then (bpnn) the output layer)
    private final List<Op> trainTargets = new ArrayList<>();
    private final List<Operand<TFloat32>> layerLosses = new ArrayList<>();
    private Gradients grads;

    // evaluation
    private Placeholder<TFloat32> evalImages;
    private Operand<TFloat32> evalOut;

    /**
     * @param trainCount number of training examples the net will be loaded with via {@link #loadTrainingImages};
     *                   0 builds an evaluation-only graph
     */
    public Net(Architecture arch, Objective objective, int dim, int labels, int[] widths, float theta, float lr,
               float normEps, int trainCount, Device device) {
        super(dim, labels, trainCount, device);
        if (arch != Architecture.FFNN && arch != Architecture.BPNN) {
            close();
            throw new IllegalArgumentException("no TensorFlow graph for " + arch + " yet");
        }
        this.arch = arch;
        this.objective = objective;
        this.widths = widths.clone();
        this.theta = theta;
        this.normEps = normEps;
        this.ins = new int[widths.length];
        int in = arch == Architecture.FFNN ? dim + labels : dim;
        for (int i = 0; i < widths.length; i++) {
            ins[i] = in;
            addParam("layer" + i + "_weight", widths[i], in);
            addParam("layer" + i + "_bias", widths[i]);
            in = widths[i];
        }
        if (arch == Architecture.BPNN) {
            addParam("classifier_weight", labels, in);
            addParam("classifier_bias", labels);
        }
        if (trainCount > 0) {
            buildTraining(lr);
        }
        buildEval();
        open(device);
    }

    private Variable<TFloat32> w(int l) {
        return params.get(2 * l);
    }

    private Variable<TFloat32> b(int l) {
        return params.get(2 * l + 1);
    }

    private Operand<TFloat32> softplus(Operand<TFloat32> u) {
        // stable: max(u,0) + log1p(exp(-|u|))
        return tf.math.add(tf.nn.relu(u), tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(u)))));
    }

    /** x / (‖x‖₂ + eps), row-wise. */
    private Operand<TFloat32> normalize(Operand<TFloat32> x) {
        Operand<TFloat32> norm = tf.math.sqrt(tf.reduceSum(tf.math.square(x), tf.constant(1), ReduceSum.keepDims(true)));
        return tf.math.div(x, tf.math.add(norm, tf.constant(normEps)));
    }

    private Operand<TFloat32> dense(Operand<TFloat32> x, int l) {
        return tf.nn.biasAdd(tf.linalg.matMul(x, w(l), MatMul.transposeB(true)), b(l));
    }

    private Operand<TFloat32> dense(Operand<TFloat32> x, Variable<TFloat32> w, Variable<TFloat32> b) {
        return tf.nn.biasAdd(tf.linalg.matMul(x, w, MatMul.transposeB(true)), b);
    }

    /** z = mean_j h_j² − θ per row. */
    private Operand<TFloat32> goodness(Operand<TFloat32> h) {
        return tf.math.sub(tf.math.mean(tf.math.square(h), tf.constant(1)), tf.constant(theta));
    }

    private void buildTraining(float lr) {
        buildInputs();
        Operand<TFloat32> x = tf.gather(data, idx, tf.constant(0));
        Operand<TFloat32> total;
        if (arch == Architecture.FFNN) {
            Operand<TFloat32> pos = tf.concat(List.of(x, oneHot(posLabel)), tf.constant(1));
            Operand<TFloat32> neg = tf.concat(List.of(x, oneHot(negLabel)), tf.constant(1));
            Operand<TFloat32> in = tf.concat(List.of(pos, neg), tf.constant(0));
            // maximize: pos → softplus(−z), neg → softplus(z); minimize: the opposite
            float s = objective == Objective.MAXIMIZE ? 1f : -1f;
            Operand<TFloat32> sign = tf.concat(List.of(
                    tf.fill(tf.shape(idx), tf.constant(-s)), tf.fill(tf.shape(idx), tf.constant(s))), tf.constant(0));
            total = null;
            for (int l = 0; l < widths.length; l++) {
                Operand<TFloat32> h = tf.nn.relu(dense(normalize(in), l));
                Operand<TFloat32> loss = tf.math.mean(softplus(tf.math.mul(sign, goodness(h))), tf.constant(0));
                layerLosses.add(loss);
                total = total == null ? loss : tf.math.add(total, loss);
                in = tf.stopGradient(h);
            }
        } else {
            Operand<TFloat32> h = x;
            for (int l = 0; l < widths.length; l++) {
                h = tf.nn.relu(dense(h, l));
            }
            Operand<TFloat32> logits = dense(h, params.get(params.size() - 2), params.get(params.size() - 1));
            // cross-entropy: mean(logsumexp(logits) − logits[y]), with the max shift (gradient-free) for stability
            // (TF's SparseSoftmaxCrossEntropyWithLogits has no C++ gradient, so it is spelled out here)
            Operand<TFloat32> m = tf.stopGradient(tf.max(logits, tf.constant(1), Max.keepDims(true)));
            Operand<TFloat32> lse = tf.math.add(tf.math.log(tf.reduceSum(tf.math.exp(tf.math.sub(logits, m)),
                    tf.constant(1), ReduceSum.keepDims(true))), m);
            Operand<TFloat32> picked = tf.reduceSum(tf.math.mul(logits, oneHot(posLabel)), tf.constant(1),
                    ReduceSum.keepDims(true));
            total = tf.math.mean(tf.reshape(tf.math.sub(lse, picked), tf.constant(new int[] {-1})), tf.constant(0));
            layerLosses.add(total);
        }
        buildLossSums(layerLosses.size());
        grads = tf.gradients(total, params);
        Operand<TFloat32> lrC = tf.constant(lr);
        Operand<TFloat32> b1 = tf.constant(BETA1);
        Operand<TFloat32> b2 = tf.constant(BETA2);
        Operand<TFloat32> eps = tf.constant(EPSILON);
        // The weights are reference variables, read in place: every update must wait until ALL
        // gradients are computed, or a backprop matmul (bpnn: dX = dY·W) could read a weight that
        // another layer's ApplyAdam has already changed (a race that made runs non-repeatable).
        List<Operand<TFloat32>> g = new ArrayList<>();
        List<Op> gOps = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            var id = tf.identity(grads.<TFloat32>dy(i));
            g.add(id);
            gOps.add(id);
        }
        Ops after = tf.withControlDependencies(gOps);
        for (int i = 0; i < params.size(); i++) {
            Variable<TFloat32> v = params.get(i);
            long[] shape = paramShapes.get(i);
            String name = v.op().name();
            Variable<TFloat32> m = tf.withName(name + "_adam_m").variable(Shape.of(shape), TFloat32.class);
            Variable<TFloat32> vv = tf.withName(name + "_adam_v").variable(Shape.of(shape), TFloat32.class);
            adamResetOps.add(tf.assign(m, tf.zeros(tf.constant(shape), TFloat32.class)));
            adamResetOps.add(tf.assign(vv, tf.zeros(tf.constant(shape), TFloat32.class)));
            trainTargets.add(after.train.applyAdam(v, m, vv, beta1Power, beta2Power, lrC, b1, b2, eps, g.get(i)));
        }
        trainTargets.add(after.assignAdd(lossAcc, tf.stack(layerLosses)));
    }

    private Operand<TFloat32> oneHot(Operand<TInt32> lab) {
        return tf.oneHot(lab, tf.constant(labels), tf.constant(1f), tf.constant(0f));
    }

    private void buildEval() {
        evalImages = tf.withName("eval_images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dim)));
        if (arch == Architecture.BPNN) {
            Operand<TFloat32> h = evalImages;
            for (int l = 0; l < widths.length; l++) {
                h = tf.nn.relu(dense(h, l));
            }
            evalOut = dense(h, params.get(params.size() - 2), params.get(params.size() - 1));
            return;
        }
        // Every label at once. Layer 0 shares the image part: ‖x ⊕ e_c‖ = √(‖x‖² + 1) for all c, so
        // pre_c = (x·W_imgᵀ + W_lab[:,c]) / (√(‖x‖²+1) + ε) + b. Rows of later layers: (sample, label).
        int h0 = widths[0];
        Operand<TFloat32> sq = tf.reduceSum(tf.math.square(evalImages), tf.constant(1), ReduceSum.keepDims(true));
        Operand<TFloat32> n = tf.math.add(tf.math.sqrt(tf.math.add(sq, tf.constant(1f))), tf.constant(normEps));
        Operand<TFloat32> wImg = tf.slice(w(0), tf.constant(new int[] {0, 0}), tf.constant(new int[] {h0, dim}));
        Operand<TFloat32> wLab = tf.slice(w(0), tf.constant(new int[] {0, dim}), tf.constant(new int[] {h0, labels}));
        Operand<TFloat32> a = tf.linalg.matMul(evalImages, wImg, MatMul.transposeB(true));
        Operand<TFloat32> comb = tf.math.add(tf.expandDims(a, tf.constant(1)),
                tf.expandDims(tf.linalg.transpose(wLab, tf.constant(new int[] {1, 0})), tf.constant(0)));
        Operand<TFloat32> pre = tf.nn.biasAdd(tf.math.div(comb, tf.expandDims(n, tf.constant(2))), b(0));
        Operand<TFloat32> h = tf.nn.relu(tf.reshape(pre, tf.constant(new int[] {-1, h0})));
        List<Operand<TFloat32>> zs = new ArrayList<>();
        zs.add(tf.reshape(goodness(h), tf.constant(new int[] {-1, labels})));
        for (int l = 1; l < widths.length; l++) {
            h = tf.nn.relu(dense(normalize(h), l));
            zs.add(tf.reshape(goodness(h), tf.constant(new int[] {-1, labels})));
        }
        evalOut = tf.stack(zs);
    }

    public int layerLossCount() {
        return layerLosses.size();
    }

    /** One training step on the batch held by {@code f}; {@code step} is Adam's 1-based step count. */
    public void trainStep(BatchFeed f, long step) {
        f.sync();
        adamPowers(step);
        Session.Runner r = session.runner().feed(idx, f.idxT).feed(posLabel, f.posT)
                .feed(beta1Power, b1pT).feed(beta2Power, b2pT);
        if (arch == Architecture.FFNN) {
            r.feed(negLabel, f.negT);
        }
        for (Op t : trainTargets) {
            r.addTarget(t);
        }
        r.run().close();
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
        List<float[]> out = new ArrayList<>();
        try (Result res = r.run()) {
            for (int i = 0; i < params.size(); i++) {
                long[] s = paramShapes.get(i);
                float[] a = new float[(int) (s.length == 2 ? s[0] * s[1] : s[0])];
                ((TFloat32) res.get(i)).copyTo(DataBuffers.of(a, false, false));
                out.add(a);
            }
            for (int l = 0; l < layerLosses.size(); l++) {
                lossesOut[l] = ((TFloat32) res.get(params.size() + l)).getFloat();
            }
        }
        return out;
    }

    /**
     * Evaluation outputs for images [from, from+n) of {@code d}: for ffnn, z per layer, sample and
     * label ({@code out[(l*n + s)*L + c]}); for bpnn the logits ({@code out[s*L + c]}).
     */
    public void evaluate(TrainData d, int from, int n, float[] out) {
        FloatDataBuffer buf = DataBuffers.of(d.pixels(), true, false).slice(d.pixelOffset(from), (long) n * dim);
        try (TFloat32 t = TFloat32.tensorOf(Shape.of(n, dim), buf);
             Result r = session.runner().feed(evalImages, t).fetch(evalOut).run()) {
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false).slice(0, evalOutSize(n)));
        }
    }

    public int evalOutSize(int n) {
        return arch == Architecture.FFNN ? widths.length * n * labels : n * labels;
    }

    /** The graph, for tests that add their own ops (e.g. gradients). */
    Graph graph() {
        return graph;
    }
}
