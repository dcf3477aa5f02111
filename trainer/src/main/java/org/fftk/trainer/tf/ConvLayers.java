package org.fftk.trainer.tf;

import java.util.List;
import org.fftk.edge.model.ConvShape;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ffcnn's pieces of the FF training graph (docs/algorithms.md "FF-CNN"). TensorFlow's CPU
 * convolution wants NHWC, so activations are [rows, H, W, C] here and the model's ONNX-layout
 * weights [out, in, k, k] are transposed to TF's [k, k, in, out] inside the graph (the variables
 * keep the model's layout, so parameters move between TF and the model unchanged).
 */
final class ConvLayers {
    private ConvLayers() {
    }

    /**
     * The B positive rows (image mixed with its label's pattern) then the B negative rows (with the
     * fed wrong label's), [2B, H, W, C]: x' = (1 − K)·x + K·p_c.
     */
    static Operand<TFloat32> mixedInput(Ops tf, Operand<TFloat32> x, Operand<TInt32> pos, Operand<TInt32> neg, Net.Conv conv,
                                        int labels) {
        ConvShape s = conv.shape();
        if (conv.maps() != null) {
            // morphological labels: x'[i] = x[map_c[i]], index D reading an appended zero
            int d = s.inputSize();
            int[][] m = new int[labels][d];
            for (int c = 0; c < labels; c++) {
                System.arraycopy(conv.maps(), c * d, m[c], 0, d);
            }
            Operand<TInt32> maps = tf.constant(m);
            Operand<TFloat32> padded = tf.pad(x, tf.constant(new int[][] {{0, 0}, {0, 1}}), tf.constant(0f));
            Operand<TFloat32> p = tf.gather(padded, tf.gather(maps, pos, tf.constant(0)), tf.constant(1),
                    org.tensorflow.op.core.Gather.batchDims(1L));
            Operand<TFloat32> n = tf.gather(padded, tf.gather(maps, neg, tf.constant(0)), tf.constant(1),
                    org.tensorflow.op.core.Gather.batchDims(1L));
            Operand<TFloat32> both = tf.concat(List.of(p, n), tf.constant(0));
            return nhwc(tf, tf.reshape(both, tf.constant(new long[] {-1, s.channels(), s.height(), s.width()})));
        }
        Operand<TFloat32> img = nhwc(tf, tf.reshape(x, tf.constant(new long[] {-1, s.channels(), s.height(), s.width()})));
        Operand<TFloat32> pat = nhwc(tf, tf.constant(Shape.of(labels, s.channels(), s.height(), s.width()),
                org.tensorflow.ndarray.buffer.DataBuffers.of(conv.patterns(), true, false)));
        Operand<TFloat32> keep = tf.math.mul(img, tf.constant(1f - conv.intensity()));
        Operand<TFloat32> k = tf.constant(conv.intensity());
        Operand<TFloat32> p = tf.math.add(keep, tf.math.mul(k, tf.gather(pat, pos, tf.constant(0))));
        Operand<TFloat32> n = tf.math.add(keep, tf.math.mul(k, tf.gather(pat, neg, tf.constant(0))));
        return tf.concat(List.of(p, n), tf.constant(0));
    }

    /**
     * ffcnn-c's classifier input (docs/algorithms.md "Linear classifier"): the unlabelled input,
     * [B, H, W, C]: (1 − K)·x + K·p̄ with p̄ the mean pattern, or with morphological labels x itself.
     */
    static Operand<TFloat32> unlabelledInput(Ops tf, Operand<TFloat32> x, Net.Conv conv, int labels) {
        ConvShape s = conv.shape();
        if (conv.maps() != null) {
            return image(tf, x, s);
        }
        int d = s.inputSize();
        float[] mean = org.fftk.edge.model.Model.meanPattern(conv.patterns(), labels);
        Operand<TFloat32> keep = tf.math.mul(x, tf.constant(1f - conv.intensity()));
        Operand<TFloat32> pat = tf.constant(Shape.of(1, d), org.tensorflow.ndarray.buffer.DataBuffers.of(mean, true, false));
        return image(tf, tf.math.add(keep, tf.math.mul(tf.constant(conv.intensity()), pat)), s);
    }

    /** bpcnn: the batch's images as [B, H, W, C]. */
    static Operand<TFloat32> image(Ops tf, Operand<TFloat32> x, ConvShape s) {
        return nhwc(tf, tf.reshape(x, tf.constant(new long[] {-1, s.channels(), s.height(), s.width()})));
    }

    /** [B, H, W, C] → [B, C·H·W] in the model's channel-major order (ONNX Flatten of NCHW). */
    static Operand<TFloat32> flatten(Ops tf, Operand<TFloat32> h, long units) {
        Operand<TFloat32> nchw = tf.linalg.transpose(h, tf.constant(new int[] {0, 3, 1, 2}));
        return tf.reshape(nchw, tf.constant(new long[] {-1, units}));
    }

    private static Operand<TFloat32> nhwc(Ops tf, Operand<TFloat32> nchw) {
        return tf.linalg.transpose(nchw, tf.constant(new int[] {0, 2, 3, 1}));
    }

    /** v / (√(mean v²) + ε) per row, over H, W, C. */
    static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> v, float eps) {
        Operand<TFloat32> ms = tf.math.mean(tf.math.square(v), tf.constant(new int[] {1, 2, 3}), Mean.keepDims(true));
        return tf.math.div(v, tf.math.add(tf.math.sqrt(ms), tf.constant(eps)));
    }

    /** ONNX Conv (zero padding p on every side, stride s) of layer l, plus bias; weight [out, in, k, k]. */
    static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> v, Operand<TFloat32> w, Operand<TFloat32> b, ConvShape s, int l) {
        int p = s.pad(l);
        Operand<TFloat32> in = p == 0 ? v : tf.pad(v, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
        Operand<TFloat32> filter = tf.linalg.transpose(w, tf.constant(new int[] {2, 3, 1, 0}));
        long st = s.stride(l);
        return tf.nn.biasAdd(tf.nn.conv2d(in, filter, List.of(1L, st, st, 1L), "VALID"), b);
    }

    /** z = N·(mean h² − θ) per row ({@code units} = N: paper 002's Σ h² − θ·N; 1: the mean form), [rows]. */
    static Operand<TFloat32> goodness(Ops tf, Operand<TFloat32> h, float theta, long units) {
        Operand<TFloat32> ms = tf.math.mean(tf.math.square(h), tf.constant(new int[] {1, 2, 3}));
        return tf.math.mul(tf.math.sub(ms, tf.constant(theta)), tf.constant((float) units));
    }
}
