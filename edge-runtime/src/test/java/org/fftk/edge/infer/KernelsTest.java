package org.fftk.edge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.fftk.edge.model.DenseLayer;
import org.junit.jupiter.api.Test;

/** The int8 product against the float32 product over the dequantised weights. */
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
}
