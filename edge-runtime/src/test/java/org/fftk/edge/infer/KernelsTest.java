package org.fftk.edge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.fftk.edge.model.DenseLayer;
import org.junit.jupiter.api.Test;

/** The int8 product against the float32 product over the dequantised weights; the row kernels against double sums. */
class KernelsTest {

    /**
     * docs/algorithms.md "int8 weights": an int8 layer is the float layer with weights q·scale, and
     * the int8 kernel computes x·(q·scale) in the float kernel's order, so the sums must be equal to
     * the last bit, on sparse inputs where some inputs are zero in every row and some in a few. Both
     * int8 paths are checked (the fused loop for newer JVMs, the dequantised row for older ones),
     * whichever this JVM would pick.
     */
    @Test
    void int8ProductEqualsTheFloatProductOfTheDequantisedWeightsExactly() {
        Random rnd = new Random(11);
        int out = 37;
        int in = 53;
        for (int rows : new int[] {1, 2, 3, 10}) {
            float[] w = new float[out * in];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) rnd.nextGaussian();
            }
            DenseLayer.Int8 q = DenseLayer.Int8.of(w, out, in);
            float[] deq = new float[out * in];
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    deq[j * in + i] = q.values()[j * in + i] * q.scales()[j];
                }
            }
            DenseLayer layer = new DenseLayer(out, in, q, new float[out], 0, null);
            float[] xT = new float[in * rows];
            for (int k = 0; k < xT.length; k++) {
                int i = k / rows;
                boolean zero = i % 3 == 0 || rnd.nextInt(4) == 0;
                xT[k] = zero ? 0f : (float) rnd.nextGaussian();
            }
            float[][] want = new float[rows][out];
            for (int r = 0; r < rows; r++) {
                want[r][0] = 0.5f; // the accumulator is added to, not cleared
            }
            Kernels.multiplyAdd(xT, rows, in, Kernels.inputMajor(deq, out, in), out, want);
            for (boolean fused : new boolean[] {false, true}) {
                float[][] got = new float[rows][out];
                for (int r = 0; r < rows; r++) {
                    got[r][0] = 0.5f;
                }
                Kernels.multiplyAddInt8(xT, rows, in, Kernels.columns(layer), 0, out, got, new float[out], fused);
                for (int r = 0; r < rows; r++) {
                    assertArrayEquals(want[r], got[r], 0f, (fused ? "fused, " : "dequantised row, ") + rows + " rows, row " + r);
                }
            }
        }
    }

    /**
     * The row path's kernels (docs/algorithms.md "Prediction"): the non-zero gather, the product for
     * float32, int8 and factored weights (float32 and int8 factors) at widths that leave every
     * remainder of the four-input and the vector loops, and Σh², each against a double sum over the
     * layer's dequantised (or multiplied-out) weights.
     */
    @Test
    void rowKernelsEqualDoubleSums() {
        Random rnd = new Random(5);
        for (int out : new int[] {1, 7, 16, 37, 130}) {
            for (int in : new int[] {1, 5, 53}) {
                float[] w = new float[out * in];
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) rnd.nextGaussian();
                }
                int rank = Math.min(3, Math.min(out, in));
                float[] u = new float[out * rank];
                float[] v = new float[rank * in];
                for (int k = 0; k < u.length; k++) {
                    u[k] = (float) rnd.nextGaussian();
                }
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) rnd.nextGaussian();
                }
                DenseLayer full = new DenseLayer(out, in, w, new float[out]);
                DenseLayer factored = DenseLayer.factored(out, in, rank, u, v, new float[out]);
                float[] x = new float[in + 2];
                for (int i = 0; i < in; i++) {
                    x[i + 2] = rnd.nextInt(3) == 0 ? 0f : (float) rnd.nextGaussian();
                }
                int[] idx = new int[Math.max(in, rank)];
                float[] val = new float[idx.length];
                for (DenseLayer l : new DenseLayer[] {full, full.quantized(), factored, factored.quantized()}) {
                    int m = Kernels.nonZeros(x, 2, 0, in, idx, val);
                    int zeros = 0;
                    for (int i = 0; i < in; i++) {
                        zeros += x[i + 2] == 0f ? 1 : 0;
                    }
                    assertEquals(in - zeros, m);
                    float[] y = new float[out + 1];
                    y[out] = 42f; // beyond n: untouched
                    Kernels.product(Kernels.columns(l), idx, val, m, y, out, new float[rank]);
                    for (int j = 0; j < out; j++) {
                        double want = 0;
                        double mag = 0;
                        for (int i = 0; i < in; i++) {
                            want += (double) l.weight(j, i) * x[i + 2];
                            mag += Math.abs((double) l.weight(j, i) * x[i + 2]);
                        }
                        String what = (l.rank() > 0 ? "factored " : "") + (l.isInt8() ? "int8 " : "") + out + "x" + in
                                + " output " + j;
                        assertEquals(want, y[j], 1e-5 * mag + 1e-6, what);
                    }
                    assertEquals(42f, y[out]);
                }
                double ss = 0;
                float[] h = new float[out];
                for (int j = 0; j < out; j++) {
                    h[j] = (float) rnd.nextGaussian();
                    ss += (double) h[j] * h[j];
                }
                assertEquals(ss, Kernels.sumSquares(h, out), 1e-5 * ss);
            }
        }
    }
}
