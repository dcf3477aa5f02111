package org.fftk.trainer.tf;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig.Device;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * ffrnn training (docs/algorithms.md "FFRNN", paper 003 §2.4) in TensorFlow graph mode. Hidden layers i = 0..n−1;
 * the image is clamped below layer 0, the one-hot label above layer n−1; n(v) = v / (‖v‖₂ + ε).
 *
 * <p>One batch of B examples runs as 2B rows: the positive rows (true label clamped at the top)
 * and the negative rows (the fed wrong label). Per batch:
 * <ol>
 *   <li>{@link #start}: frame 0, the deterministic bottom-up pass of the edge runtime's inference,
 *       forward weights only from zero state, h_i(0) = ReLU(W_f,i·n(h_{i−1}(0)) + b_i), h_{−1} = image
 *       (the label is not seen, so the positive and negative rows start equal). No update.</li>
 *   <li>{@link #trainFrame}, for t = 1..K_train, one {@code Session.run} each: every layer computes
 *       its new state from the PREVIOUS frame's states (synchronous, as at inference),
 *       h_i(t) = β·ReLU(W_f,i·n(h_{i−1}(t−1)) + W_b,i·n(h_{i+1}(t−1)) + b_i) + (1−β)·h_i(t−1),
 *       with the current weights; its FF loss on h_i(t) (docs/algorithms.md "FF layer": mean over the 2B rows of
 *       softplus(∓z), sign by objective) is differentiated w.r.t. its own W_f,i, W_b,i, b_i only
 *       (the neighbours' states and its own previous state are constants: stop-gradient); then,
 *       after all layers' new states and gradients are computed, every layer takes one Adam step and
 *       the states h(t) (computed with the pre-update weights) replace h(t−1). Frame t+1 therefore
 *       uses the weights updated at frame t. Every frame is one Adam step (the step count runs over
 *       frames).</li>
 * </ol>
 * The states live in graph-side variables (shape set by the batch, so the last, smaller batch
 * works too); a frame feeds only the batch indices, labels and Adam's β powers.
 *
 * <p>Parameters in {@link #setParams} order, per layer: W_f (out × in, in = D for layer 0), b (out),
 * W_b (out × width above, L for the top layer).
 */
public final class RecurrentNet extends GraphNet {
    private final int depth;
    private final List<Op> startTargets = new ArrayList<>();
    private final List<Op> trainTargets = new ArrayList<>();
    private final List<Op> advanceTargets = new ArrayList<>();
    private final List<Operand<TFloat32>> layerLosses = new ArrayList<>();
    private Operand<TFloat32> zs;
    private Gradients grads;

    public RecurrentNet(Objective objective, int dim, int labels, int[] widths, float theta, float beta, float lr,
                        float normEps, int trainCount, Device device) {
        this(objective, dim, labels, widths, theta, beta, Optimizer.adam(lr), normEps, trainCount, device);
    }

    public RecurrentNet(Objective objective, int dim, int labels, int[] widths, float theta, float beta, Optimizer optimizer,
                        float normEps, int trainCount, Device device) {
        super(dim, labels, trainCount, device);
        depth = widths.length;
        addParams(Architecture.FFRNN, widths);
        buildInputs();
        List<Variable<TFloat32>> state = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            state.add(tf.withName("state" + i).variable(Shape.unknown(), TFloat32.class));
        }
        Operand<TFloat32> x = tf.gather(data, idx, tf.constant(0));
        Operand<TFloat32> nx = TfMath.normalize(tf, x, normEps);

        // frame 0: bottom-up pass on the B images, duplicated for the positive and negative rows
        Operand<TFloat32> h = nx;
        for (int i = 0; i < depth; i++) {
            h = tf.nn.relu(tf.nn.biasAdd(TfMath.times(tf, h, wf(i)), b(i)));
            startTargets.add(tf.assign(state.get(i), tf.concat(List.of(h, h), tf.constant(0)), Assign.validateShape(false)));
            h = TfMath.normalize(tf, h, normEps);
        }

        // a frame
        Operand<TFloat32> nxx = tf.concat(List.of(nx, nx), tf.constant(0));
        Operand<TFloat32> top = TfMath.normalize(tf, tf.concat(List.of(TfMath.oneHot(tf, posLabel, labels),
                TfMath.oneHot(tf, negLabel, labels)), tf.constant(0)), normEps);
        List<Operand<TFloat32>> prev = new ArrayList<>();
        List<Operand<TFloat32>> prevN = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            Operand<TFloat32> p = tf.stopGradient(state.get(i));
            prev.add(p);
            prevN.add(TfMath.normalize(tf, p, normEps));
        }
        Operand<TFloat32> sign = TfMath.ffSign(tf, idx, objective);
        List<Operand<TFloat32>> next = new ArrayList<>();
        List<Operand<TFloat32>> zList = new ArrayList<>();
        Operand<TFloat32> total = null;
        for (int i = 0; i < depth; i++) {
            Operand<TFloat32> below = i == 0 ? nxx : prevN.get(i - 1);
            Operand<TFloat32> above = i == depth - 1 ? top : prevN.get(i + 1);
            Operand<TFloat32> pre = tf.nn.biasAdd(tf.math.add(TfMath.times(tf, below, wf(i)), TfMath.times(tf, above, wb(i))), b(i));
            Operand<TFloat32> nh = tf.math.add(tf.math.mul(tf.constant(beta), tf.nn.relu(pre)),
                    tf.math.mul(tf.constant(1f - beta), prev.get(i)));
            next.add(nh);
            Operand<TFloat32> z = TfMath.goodness(tf, nh, theta);
            zList.add(z);
            Operand<TFloat32> loss = TfMath.ffLoss(tf, sign, z);
            layerLosses.add(loss);
            total = total == null ? loss : tf.math.add(total, loss);
        }
        zs = tf.stack(zList);
        buildLossSums(depth);
        grads = tf.gradients(total, params);
        List<Operand<TFloat32>> g = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) {
            g.add(grads.dy(k));
        }
        // materialise the new states first: the state and weight updates wait for them and all gradients
        List<Op> newStates = new ArrayList<>();
        List<Operand<TFloat32>> nextId = new ArrayList<>();
        for (Operand<TFloat32> nh : next) {
            var id = tf.identity(nh);
            newStates.add(id);
            nextId.add(id);
        }
        List<Op> updates = TfMath.update(tf, params, paramShapes, g, newStates, beta1Power, beta2Power, optimizer, adamSlots);
        trainTargets.addAll(updates);
        // the Adam ops already wait for every gradient and new state: the state update waits for them
        Ops afterTrain = tf.withControlDependencies(updates);
        Ops afterAdvance = tf.withControlDependencies(newStates);
        for (int i = 0; i < depth; i++) {
            trainTargets.add(afterTrain.assign(state.get(i), nextId.get(i), Assign.validateShape(false)));
            advanceTargets.add(afterAdvance.assign(state.get(i), nextId.get(i), Assign.validateShape(false)));
        }
        trainTargets.add(afterTrain.assignAdd(lossAcc, tf.stack(layerLosses)));
        open(device);
    }

    private Variable<TFloat32> wf(int i) {
        return params.get(3 * i);
    }

    private Variable<TFloat32> b(int i) {
        return params.get(3 * i + 1);
    }

    private Variable<TFloat32> wb(int i) {
        return params.get(3 * i + 2);
    }

    public int depth() {
        return depth;
    }

    /** Frame 0 for the batch in {@code f} (also copies the feed arrays into the feed tensors). */
    public void start(BatchFeed f) {
        f.sync();
        Session.Runner r = session.runner().feed(idx, f.idxT);
        startTargets.forEach(r::addTarget);
        r.run().close();
    }

    /** One training frame (after {@link #start} on the same feed); {@code step} is Adam's 1-based step count. */
    public void trainFrame(BatchFeed f, long step) {
        frameRunner(f, step).run().close();
    }

    /**
     * One training frame as {@link #trainFrame}, traced: TensorFlow's per-op timings of that
     * {@code Session.run} (for profiling; benchmarks/.../FfrnnProfile).
     */
    public org.tensorflow.proto.RunMetadata profileFrame(BatchFeed f, long step) {
        return traced(frameRunner(f, step));
    }

    private Session.Runner frameRunner(BatchFeed f, long step) {
        adamPowers(step);
        Session.Runner r = session.runner().feed(idx, f.idxT).feed(posLabel, f.posT).feed(negLabel, f.negT)
                .feed(beta1Power, b1pT).feed(beta2Power, b2pT);
        trainTargets.forEach(r::addTarget);
        return r;
    }

    /**
     * Runs frames 1..{@code frames} WITHOUT updating the weights (after {@link #start}) and returns
     * z per frame, layer and row: {@code out[t-1][i][r]}, rows 0..B−1 positive, B..2B−1 negative.
     * For tests: the dynamics must be the edge runtime's.
     */
    public float[][][] goodness(BatchFeed f, int frames) {
        float[][][] out = new float[frames][depth][2 * f.size];
        for (int t = 0; t < frames; t++) {
            Session.Runner r = session.runner().feed(idx, f.idxT).feed(posLabel, f.posT).feed(negLabel, f.negT)
                    .fetch(zs);
            advanceTargets.forEach(r::addTarget);
            try (Result res = r.run()) {
                float[] flat = new float[depth * 2 * f.size];
                ((TFloat32) res.get(0)).copyTo(DataBuffers.of(flat, false, false));
                for (int i = 0; i < depth; i++) {
                    System.arraycopy(flat, i * 2 * f.size, out[t][i], 0, 2 * f.size);
                }
            }
        }
        return out;
    }
}
