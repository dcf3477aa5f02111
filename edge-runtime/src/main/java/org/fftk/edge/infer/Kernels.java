package org.fftk.edge.infer;

/**
 * The few loops inference spends its time in. Weights are stored transposed ("input-major":
 * row i holds input i's weights to every output), so a product accumulates
 * {@code acc[r,:] += x[r,i] · Wt[i,:]} over the non-zero inputs only: FF hidden activations are
 * mostly exact zeros after ReLU, and MNIST pixels are ~80% zero. Inputs are kept input-major too
 * ({@code xT[i·rows + r]}), so one look at a contiguous run tells whether any row uses input i, and
 * each weight row is then read once for all rows (all candidate labels of all images in a block).
 */
final class Kernels {
    /** Output columns per pass: keeps the accumulator block of all rows in the L1/L2 cache. */
    static final int COLUMN_BLOCK = 512;

    private Kernels() {
    }

    /** W (out × in, row-major) transposed into in × out. */
    static float[] transpose(float[] w, int out, int in) {
        float[] t = new float[w.length];
        for (int j = 0; j < out; j++) {
            int src = j * in;
            for (int i = 0; i < in; i++) {
                t[i * out + j] = w[src + i];
            }
        }
        return t;
    }

    /**
     * {@code acc[r·out + j] += Σ_i xT[i·rows + r] · wt[(wtRow + i)·out + j]} for r < rows, i < in,
     * j < out, skipping zero inputs. {@code acc} is not cleared.
     */
    static void multiplyAdd(float[] xT, int rows, int in, float[] wt, int wtRow, int out, float[] acc) {
        multiplyAdd(xT, rows, in, wt, wtRow, out, acc, 0);
    }

    /** As above, with row r's accumulator at {@code acc[accOff + r·out]}. */
    static void multiplyAdd(float[] xT, int rows, int in, float[] wt, int wtRow, int out, float[] acc, int accOff) {
        for (int j0 = 0; j0 < out; j0 += COLUMN_BLOCK) {
            int j1 = Math.min(out, j0 + COLUMN_BLOCK);
            int len = j1 - j0;
            for (int i = 0; i < in; i++) {
                int xb = i * rows;
                int wb = (wtRow + i) * out + j0;
                for (int r = 0; r < rows; r++) {
                    float v = xT[xb + r];
                    if (v != 0f) {
                        axpy(v, wt, wb, acc, accOff + r * out + j0, len);
                    }
                }
            }
        }
    }

    /** y[yo..yo+n) += a · x[xo..xo+n). */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int k = 0; k < n; k++) {
            y[yo + k] += a * x[xo + k];
        }
    }

    /** Stable softplus of SPEC §2: max(u,0) + log1p(e^−|u|). */
    static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    /**
     * Transposes n images (row-major, D wide, from {@code offset}) into xT (D × n) and returns
     * their squared norms in {@code sumSq[0..n)}.
     */
    static void transposeImages(float[] images, int offset, int n, int d, float[] xT, float[] sumSq) {
        for (int s = 0; s < n; s++) {
            int base = offset + s * d;
            float ss = 0;
            for (int i = 0; i < d; i++) {
                float v = images[base + i];
                ss += v * v;
                xT[i * n + s] = v;
            }
            sumSq[s] = ss;
        }
    }
}
