package org.fftk.trainer.tf;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Architecture;
import org.fftk.trainer.TrainConfig.Device;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * ffnn-c's and ffcnn-c's second phase (docs/algorithms.md "FFNN+C", "Linear classifier"): the linear
 * classifier alone, trained with softmax
 * cross-entropy and Adam on the features of the FROZEN FF layers. Features: the FF layers run on
 * image ⊕ all-zero label (so layer 0's normalisation sees only the image: ‖x ⊕ 0‖ = ‖x‖), every
 * layer's h (ReLU output, not normalised) concatenated in layer order, exactly as the edge
 * runtime's ffnn-c predictor computes them. logits = features · Wcᵀ + bc.
 *
 * <p>ffcnn-c: the conv layers on the unlabelled input ({@link ConvLayers#unlabelledInput}), layers
 * 1..n−1 flattened channel-major and concatenated, as the edge runtime's ffcnn-c predictor.
 *
 * <p>Parameters ({@link #setParams} order): the FF layers' W, b (fixed: no optimiser touches them)
 * and then the classifier's W (L × Σwidths) and b. Only the last two are trained.
 */
public final class ClassifierNet extends GraphNet {
    private final int ffParams;
    private final List<Op> trainTargets = new ArrayList<>();
    private Gradients grads;
    private Operand<TFloat32> loss;

    /** @param widths the FF layers' widths (layer 0 reads D + L values) */
    public ClassifierNet(int dim, int labels, int[] widths, float normEps, float lr, int trainCount, Device device) {
        this(dim, labels, widths, normEps, Optimizer.adam(lr), trainCount, device);
    }

    public ClassifierNet(int dim, int labels, int[] widths, float normEps, Optimizer optimizer, int trainCount, Device device) {
        this(dim, labels, widths, normEps, optimizer, trainCount, device, null);
    }

    /** With {@code conv} (ffcnn-c): the conv layers' geometry and labels; null for ffnn-c. */
    public ClassifierNet(int dim, int labels, int[] widths, float normEps, Optimizer optimizer, int trainCount, Device device,
                         Net.Conv conv) {
        this(dim, labels, widths, normEps, optimizer, trainCount, device, conv, false);
    }

    /** As above; {@code overwriteLabel} (ffnn-c): the FF layers read the image with its first L values zeroed (D values). */
    public ClassifierNet(int dim, int labels, int[] widths, float normEps, Optimizer optimizer, int trainCount, Device device,
                         Net.Conv conv, boolean overwriteLabel) {
        super(dim, labels, trainCount, device);
        if (overwriteLabel && conv != null) {
            close();
            throw new IllegalArgumentException("the overwrite label encoding is for ffnn-c's dense layers");
        }
        addParams(conv != null ? Architecture.FFCNN_C : Architecture.FFNN_C, widths, conv != null ? conv.shape() : null,
                org.fftk.edge.model.Model.denseLabelEncoding(overwriteLabel));
        ffParams = params.size() - 2;
        Variable<TFloat32> cw = params.get(ffParams);
        Variable<TFloat32> cb = params.get(ffParams + 1);
        buildInputs();
        Operand<TFloat32> x = tf.gather(data, idx, tf.constant(0));
        List<Operand<TFloat32>> feats = new ArrayList<>();
        if (conv != null) {
            Operand<TFloat32> h = ConvLayers.unlabelledInput(tf, x, conv, labels);
            for (int l = 0; l < widths.length; l++) {
                h = tf.nn.relu(ConvLayers.conv(tf, ConvLayers.normalize(tf, h, normEps), params.get(2 * l),
                        params.get(2 * l + 1), conv.shape(), l));
                if (l >= 1) {
                    feats.add(ConvLayers.flatten(tf, h, conv.shape().units(l, widths)));
                }
            }
        } else {
            Operand<TFloat32> h = TfMath.labelled(tf, x, null, labels, overwriteLabel);
            for (int l = 0; l < widths.length; l++) {
                h = tf.nn.relu(TfMath.dense(tf, TfMath.normalize(tf, h, normEps), params.get(2 * l), params.get(2 * l + 1)));
                feats.add(h);
            }
        }
        Operand<TFloat32> f = tf.stopGradient(feats.size() == 1 ? feats.get(0) : tf.concat(feats, tf.constant(1)));
        Operand<TFloat32> logits = TfMath.dense(tf, f, cw, cb);
        loss = TfMath.crossEntropy(tf, logits, TfMath.oneHot(tf, posLabel, labels));
        buildLossSums(1);
        List<Variable<TFloat32>> trained = List.of(cw, cb);
        grads = tf.gradients(loss, trained);
        List<Operand<TFloat32>> g = List.of(grads.<TFloat32>dy(0), grads.<TFloat32>dy(1));
        List<Op> updates = TfMath.update(tf, trained, paramShapes.subList(ffParams, ffParams + 2), g, List.of(),
                beta1Power, beta2Power, optimizer, adamSlots);
        trainTargets.addAll(updates);
        trainTargets.add(tf.withControlDependencies(updates).assignAdd(lossAcc,
                tf.reshape(loss, tf.constant(new int[] {1}))));
        open(device);
    }

    /** One Adam step of the classifier on the batch ({@code f.index}, {@code f.label}); {@code step} is 1-based. */
    public void trainStep(BatchFeed f, long step) {
        f.sync();
        adamPowers(step);
        Session.Runner r = session.runner().feed(idx, f.idxT).feed(posLabel, f.posT)
                .feed(beta1Power, b1pT).feed(beta2Power, b2pT);
        trainTargets.forEach(r::addTarget);
        r.run().close();
    }

    /** Gradients of the batch's mean cross-entropy w.r.t. the classifier W and b, without updating; the loss in {@code lossOut[0]}. */
    public List<float[]> gradients(BatchFeed f, float[] lossOut) {
        f.sync();
        Session.Runner r = session.runner().feed(idx, f.idxT).feed(posLabel, f.posT)
                .fetch(grads.dy(0)).fetch(grads.dy(1)).fetch(loss);
        List<float[]> out = new ArrayList<>();
        try (Result res = r.run()) {
            for (int i = 0; i < 2; i++) {
                float[] a = new float[TfMath.size(paramShapes.get(ffParams + i))];
                ((TFloat32) res.get(i)).copyTo(DataBuffers.of(a, false, false));
                out.add(a);
            }
            lossOut[0] = ((TFloat32) res.get(2)).getFloat();
        }
        return out;
    }

    /** Number of FF parameter arrays (2 per layer) before the classifier's W and b. */
    public int ffParamCount() {
        return ffParams;
    }
}
