package org.fftk.trainer.tf;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Objective;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The graph pieces of every training graph ({@link Net}, {@link ClassifierNet}, {@link RecurrentNet}),
 * written once: the FF math of docs/algorithms.md (normalisation, goodness, stable softplus), the
 * cross-entropy, parameter variables and Adam.
 */
final class TfMath {
    /** Adam's β1, β2 and ε (PyTorch's defaults; paper 003 trains with them). */
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private TfMath() {
    }

    /** x·Wᵀ + b (W out×in): a dense layer's pre-activation. */
    static Operand<TFloat32> dense(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> b) {
        return tf.nn.biasAdd(times(tf, x, w), b);
    }

    /** Stable softplus: max(u,0) + log1p(exp(−|u|)). */
    static Operand<TFloat32> softplus(Ops tf, Operand<TFloat32> u) {
        return tf.math.add(tf.nn.relu(u), tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(u)))));
    }

    /** x / (‖x‖₂ + eps), row-wise. */
    static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> x, float eps) {
        Operand<TFloat32> norm = tf.math.sqrt(tf.reduceSum(tf.math.square(x), tf.constant(1), ReduceSum.keepDims(true)));
        return tf.math.div(x, tf.math.add(norm, tf.constant(eps)));
    }

    /** x·Wᵀ (W out×in). */
    static Operand<TFloat32> times(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
        return tf.linalg.matMul(x, w, MatMul.transposeB(true));
    }

    /** z = mean_j h_j² − θ per row. */
    static Operand<TFloat32> goodness(Ops tf, Operand<TFloat32> h, float theta) {
        return tf.math.sub(tf.math.mean(tf.math.square(h), tf.constant(1)), tf.constant(theta));
    }

    /**
     * Paper 000's goodness, the ℓ2 norm of each row, ‖h‖ = √(Σ h² + 1e-12). The 1e-12 keeps the
     * gradient finite for an all-zero row (it is then 0, as for torch.norm's subgradient); it moves
     * ‖h‖ by at most 1e-6.
     */
    static Operand<TFloat32> norm(Ops tf, Operand<TFloat32> h) {
        return tf.math.sqrt(tf.math.add(tf.reduceSum(tf.math.square(h), tf.constant(1)), tf.constant(1e-12f)));
    }

    /**
     * The sign that turns a batch's z (B positive rows, then B negative rows) into the FF loss terms:
     * maximize: positive rows −1, negative rows +1 (softplus(−z) and softplus(z)); minimize: the opposite.
     */
    static Operand<TFloat32> ffSign(Ops tf, Operand<TInt32> batchIndex, Objective objective) {
        float s = objective == Objective.MAXIMIZE ? 1f : -1f;
        return tf.concat(List.of(tf.fill(tf.shape(batchIndex), tf.constant(-s)),
                tf.fill(tf.shape(batchIndex), tf.constant(s))), tf.constant(0));
    }

    /** A layer's FF loss: the mean over the 2B rows of softplus(sign · z). */
    static Operand<TFloat32> ffLoss(Ops tf, Operand<TFloat32> sign, Operand<TFloat32> z) {
        return tf.math.mean(softplus(tf, tf.math.mul(sign, z)), tf.constant(0));
    }

    /**
     * Paper 000's pairwise loss: z holds the B positive rows then the B negative rows of the same
     * images; the mean over the pairs of softplus(scale·(z_neg − z_pos)) (scale &lt; 0 for minimize).
     */
    static Operand<TFloat32> pairwiseLoss(Ops tf, Operand<TFloat32> z, float scale) {
        Operand<TFloat32> pairs = tf.reshape(z, tf.constant(new long[] {2, -1}));
        Operand<TFloat32> gap = tf.math.sub(tf.gather(pairs, tf.constant(1), tf.constant(0)),
                tf.gather(pairs, tf.constant(0), tf.constant(0)));
        return tf.math.mean(softplus(tf, tf.math.mul(tf.constant(scale), gap)), tf.constant(0));
    }

    /**
     * Layer 0's input rows for ffnn and ffnn-c (docs/algorithms.md "Label encoding"): image ⊕
     * onehot(label), or with {@code overwrite} the image with its first L values replaced by
     * m·onehot(label), m = max(0, the largest of its other values). {@code label} null: the all-zero
     * label (ffnn-c's classifier input). The max is gradient-free: m is data, not a function of the weights.
     */
    static Operand<TFloat32> labelled(Ops tf, Operand<TFloat32> x, Operand<TInt32> label, int labels, boolean overwrite) {
        Operand<TFloat32> pixels = overwrite ? tf.slice(x, tf.constant(new int[] {0, labels}), tf.constant(new int[] {-1, -1})) : x;
        Operand<TFloat32> code;
        if (label == null) {
            code = tf.fill(tf.concat(List.of(tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                    tf.constant(new int[] {labels})), tf.constant(0)), tf.constant(0f));
        } else {
            code = oneHot(tf, label, labels);
            if (overwrite) {
                Operand<TFloat32> max = tf.math.maximum(tf.max(pixels, tf.constant(1), Max.keepDims(true)), tf.constant(0f));
                code = tf.math.mul(code, tf.stopGradient(max));
            }
        }
        return tf.concat(overwrite ? List.of(code, pixels) : List.of(pixels, code), tf.constant(1));
    }

    static Operand<TFloat32> oneHot(Ops tf, Operand<TInt32> lab, int labels) {
        return tf.oneHot(lab, tf.constant(labels), tf.constant(1f), tf.constant(0f));
    }

    /**
     * Mean softmax cross-entropy, spelled out (TF Java has no C++ gradient for the fused
     * SparseSoftmaxCrossEntropyWithLogits): mean(logsumexp(logits) − logits[y]), the max shift
     * gradient-free.
     */
    static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> oneHot) {
        Operand<TFloat32> m = tf.stopGradient(tf.max(logits, tf.constant(1), Max.keepDims(true)));
        Operand<TFloat32> lse = tf.math.add(tf.math.log(tf.reduceSum(tf.math.exp(tf.math.sub(logits, m)),
                tf.constant(1), ReduceSum.keepDims(true))), m);
        Operand<TFloat32> picked = tf.reduceSum(tf.math.mul(logits, oneHot), tf.constant(1), ReduceSum.keepDims(true));
        return tf.math.mean(tf.reshape(tf.math.sub(lse, picked), tf.constant(new int[] {-1})), tf.constant(0));
    }

    /** A variable with a feed placeholder and its assign op (added to the lists). */
    static Variable<TFloat32> param(Ops tf, String name, long[] shape, List<Variable<TFloat32>> vars,
                                    List<long[]> shapes, List<Placeholder<TFloat32>> feeds, List<Op> loads) {
        Variable<TFloat32> v = tf.withName(name).variable(Shape.of(shape), TFloat32.class);
        Placeholder<TFloat32> feed = tf.withName(name + "_feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
        vars.add(v);
        shapes.add(shape);
        feeds.add(feed);
        loads.add(tf.assign(v, feed));
        return v;
    }

    /**
     * Adam updates (TF's fused ApplyAdam, β1 0.9, β2 0.999, ε 1e-8) of {@code vars} with gradients
     * {@code grads}, every update running only after ALL gradients (and {@code alsoAfter}) are
     * computed, since the weights are reference variables read in place. Registers the Adam state
     * (m and v per variable, with their reset, feed and assign ops) in {@code slots}; returns the update ops.
     */
    static List<Op> adam(Ops tf, List<Variable<TFloat32>> vars, List<long[]> shapes, List<Operand<TFloat32>> grads,
                         List<Op> alsoAfter, Operand<TFloat32> beta1Power, Operand<TFloat32> beta2Power, float lr,
                         Slots slots) {
        return update(tf, vars, shapes, grads, alsoAfter, beta1Power, beta2Power, Optimizer.adam(lr), slots);
    }

    /**
     * The optimizer's updates of {@code vars} (TF's fused ApplyAdam, or ApplyMomentum for SGD), with
     * the same ordering guarantee as {@link #adam}; a weight decay adds wd·w to each gradient first.
     * The state (Adam's m and v, SGD's momentum buffer) is registered in {@code slots}.
     */
    static List<Op> update(Ops tf, List<Variable<TFloat32>> vars, List<long[]> shapes, List<Operand<TFloat32>> grads,
                           List<Op> alsoAfter, Operand<TFloat32> beta1Power, Operand<TFloat32> beta2Power,
                           Optimizer opt, Slots slots) {
        List<Operand<TFloat32>> g = new ArrayList<>();
        List<Op> deps = new ArrayList<>(alsoAfter);
        for (int i = 0; i < grads.size(); i++) {
            Operand<TFloat32> gr = grads.get(i);
            if (opt.weightDecay() > 0) {
                gr = tf.math.add(gr, tf.math.mul(tf.constant(opt.weightDecay()), vars.get(i)));
            }
            var id = tf.identity(gr);
            g.add(id);
            deps.add(id);
        }
        Ops after = tf.withControlDependencies(deps);
        // the learning rate times a per-step factor that defaults to 1 (paper 002's cooldown feeds it)
        if (slots.lrFactor == null) {
            slots.lrFactor = tf.withName("learning_rate_factor").placeholderWithDefault(tf.constant(1f), Shape.scalar());
        }
        Operand<TFloat32> lrC = tf.math.mul(tf.constant(opt.learningRate()), slots.lrFactor);
        List<Op> out = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            long[] shape = shapes.get(i);
            String name = v.op().name();
            if (opt.kind() == Optimizer.Kind.SGD) {
                Variable<TFloat32> acc = param(tf, name + "_momentum", shape, slots.vars, slots.shapes, slots.feeds, slots.loads);
                slots.resets.add(tf.assign(acc, tf.zeros(tf.constant(shape), TFloat32.class)));
                out.add(after.train.applyMomentum(v, acc, lrC, g.get(i), tf.constant(opt.momentum())));
                continue;
            }
            Variable<TFloat32> m = param(tf, name + "_adam_m", shape, slots.vars, slots.shapes, slots.feeds, slots.loads);
            Variable<TFloat32> vv = param(tf, name + "_adam_v", shape, slots.vars, slots.shapes, slots.feeds, slots.loads);
            slots.resets.add(tf.assign(m, tf.zeros(tf.constant(shape), TFloat32.class)));
            slots.resets.add(tf.assign(vv, tf.zeros(tf.constant(shape), TFloat32.class)));
            out.add(after.train.applyAdam(v, m, vv, beta1Power, beta2Power, lrC, tf.constant(BETA1), tf.constant(BETA2),
                    tf.constant(EPSILON), g.get(i)));
        }
        return out;
    }

    /** Adam's state variables (m, v per trained variable), settable and readable like the parameters (checkpoints). */
    static final class Slots {
        /** The learning-rate factor fed per step (1 when not fed); created by the first {@link #update}. */
        Operand<TFloat32> lrFactor;
        final List<Variable<TFloat32>> vars = new ArrayList<>();
        final List<long[]> shapes = new ArrayList<>();
        final List<Placeholder<TFloat32>> feeds = new ArrayList<>();
        final List<Op> loads = new ArrayList<>();
        final List<Op> resets = new ArrayList<>();
    }

    static int size(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return (int) n;
    }
}
