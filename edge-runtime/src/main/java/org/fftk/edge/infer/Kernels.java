package org.fftk.edge.infer;


import org.fftk.edge.model.DenseLayer;

/**
 * The few loops inference spends its time in. Weights are stored transposed ("input-major"): one
 * array per input i holding its weights to every output, so a product accumulates
 * {@code acc[r][:] += x[r,i] · wt[i][:]} over the non-zero inputs only (FF hidden activations
 * are mostly exact zeros after ReLU; MNIST pixels are ~80% zero). Inputs are kept input-major
 * ({@code xT[i·rows + r]}), so one look at a contiguous run tells whether any row uses input i,
 * and each weight row is then read once for all rows (all candidate labels of all images in a
 * block).
 *
 * <p>Why one array per weight row and per accumulator row: HotSpot's C2 (Java 11–21) vectorises
 * {@code y[k] += a·x[k]} only when it can rule out that x and y overlap with a shift, i.e. when both
 * are indexed from the same offset. With separate arrays indexed from 0 the loop runs on AVX
 * registers; the same loop over one flat array with two different offsets ran about 3× slower
 * (measured 3 vs 9–10 GFLOP/s on 2000 × 2000).
 */
final class Kernels {
    private Kernels() {
    }

    /**
     * A weight matrix in input-major layout, as the kernels read it: one array per input i holding
     * its weights to every output, float32 or int8 with one scale per output (then
     * W[j][i] = scale[j] · q[i][j], docs/algorithms.md "int8 weights"; the int8 form takes a
     * quarter of the memory and is dequantised on the fly inside the product).
     */
    static final class Cols {
        final float[][] f;
        final byte[][] q;
        final float[] scale;
        /**
         * A factored layer (W = U·V, docs/algorithms.md "Low-rank layers"): {@code v} holds V's
         * columns (rank outputs), {@code u} holds U (rank inputs, out outputs); f and q are null.
         */
        final Cols v;
        final Cols u;
        final int rank;
        /**
         * int8 factored layers: U's scale per input (per rank component), applied to V·x before U's
         * product (whose {@link #scale} is then all ones); null otherwise.
         */
        final float[] inScale;

        private Cols(float[][] f, byte[][] q, float[] scale) {
            this.f = f;
            this.q = q;
            this.scale = scale;
            this.v = null;
            this.u = null;
            this.rank = 0;
            this.inScale = null;
        }

        private Cols(Cols v, Cols u, int rank, float[] inScale) {
            this.f = null;
            this.q = null;
            this.scale = null;
            this.v = v;
            this.u = u;
            this.rank = rank;
            this.inScale = inScale;
        }
    }

    /** Columns [from, to) of a layer's forward weights, in the layer's own precision. */
    static Cols columns(DenseLayer l, int from, int to) {
        int r = l.rank();
        if (r > 0) {
            DenseLayer.Int8 uq = l.int8FactorU();
            DenseLayer.Int8 vq = l.int8FactorV();
            if (uq == null) {
                return new Cols(new Cols(inputMajor(l.factorV(), r, l.in(), from, to), null, null),
                        new Cols(inputMajor(l.factorU(), l.out(), r), null, null), r, null);
            }
            // Uᵀ's rows are U's input-major columns; their scales go onto V·x (per input), U's own are ones
            byte[] ut = uq.values();
            byte[][] rows = new byte[r][];
            for (int k = 0; k < r; k++) {
                rows[k] = java.util.Arrays.copyOfRange(ut, k * l.out(), (k + 1) * l.out());
            }
            float[] ones = new float[l.out()];
            java.util.Arrays.fill(ones, 1f);
            return new Cols(new Cols(null, inputMajor(vq.values(), r, l.in(), from, to), vq.scales()),
                    new Cols(null, rows, ones), r, uq.scales());
        }
        DenseLayer.Int8 q = l.int8Weights();
        if (q == null) {
            return new Cols(inputMajor(l.weights(), l.out(), l.in(), from, to), null, null);
        }
        return new Cols(null, inputMajor(q.values(), l.out(), l.in(), from, to), q.scales());
    }

    /** A layer's forward weights, in its own precision. */
    static Cols columns(DenseLayer l) {
        return columns(l, 0, l.in());
    }

    /** A layer's backward weights (ffrnn), in its own precision. */
    static Cols backColumns(DenseLayer l) {
        DenseLayer.Int8 q = l.int8BackWeights();
        if (q == null) {
            return new Cols(inputMajor(l.backWeights(), l.out(), l.backIn()), null, null);
        }
        return new Cols(null, inputMajor(q.values(), l.out(), l.backIn(), 0, l.backIn()), q.scales());
    }

    /** Columns [from, to) of an int8 matrix (out × in, row-major) as (to − from) arrays of out values. */
    static byte[][] inputMajor(byte[] w, int out, int in, int from, int to) {
        byte[][] t = new byte[to - from][out];
        for (int j = 0; j < out; j++) {
            int src = j * in;
            for (int i = from; i < to; i++) {
                t[i - from][j] = w[src + i];
            }
        }
        return t;
    }

    /**
     * {@link #multiplyAdd(float[], int, int, float[][], int, int, float[][])} for either precision;
     * {@code row} (at least {@code out} values, the caller's scratch) receives dequantised int8 rows.
     */
    static void multiplyAdd(float[] xT, int rows, int in, Cols w, int out, float[][] acc, float[] row) {
        multiplyAdd(xT, rows, in, w, 0, out, acc, row);
    }

    /**
     * As above, for full or factored weights. A factored layer (W = U·V) computes t = V·x for every
     * row into {@code mid} (rows × rank, cleared here), transposes t into {@code midT} (rank × rows;
     * int8: times U's per-column scale, so U's product reads its int8 values with scale 1)
     * and adds U·t to acc: r·(in + out) multiply-adds per row instead of in·out. Each t_k sums the
     * non-zero inputs in index order, each output then t_0..t_{r−1} in order.
     */
    static void multiplyAdd(float[] xT, int rows, int in, Cols w, int out, float[][] acc, float[] row, float[][] mid,
                            float[] midT) {
        if (w.v == null) {
            multiplyAdd(xT, rows, in, w, 0, out, acc, row);
            return;
        }
        int r = w.rank;
        clear(mid, rows, r);
        multiplyAdd(xT, rows, in, w.v, 0, r, mid, row);
        float[] sc = w.inScale;
        for (int s = 0; s < rows; s++) {
            float[] m = mid[s];
            for (int k = 0; k < r; k++) {
                midT[k * rows + s] = sc == null ? m[k] : m[k] * sc[k];
            }
        }
        multiplyAdd(midT, rows, r, w.u, 0, out, acc, row);
    }

    /** As above, reading weight rows {@code w[wtRow + i]}. */
    static void multiplyAdd(float[] xT, int rows, int in, Cols w, int wtRow, int out, float[][] acc, float[] row) {
        if (w.v != null) {
            throw new IllegalStateException("a factored layer needs the scratch of the factored product");
        }
        if (w.f != null) {
            multiplyAdd(xT, rows, in, w.f, wtRow, out, acc);
            return;
        }
        multiplyAddInt8(xT, rows, in, w, wtRow, out, acc, row, FUSED_INT8);
    }

    /**
     * Whether this JVM's C2 vectorises a loop that converts int8 to float inside the product
     * (HotSpot's SLP learned conversions between element sizes in JDK-8283091, 2022; measured here:
     * not on JDK 17, yes on Temurin 25). Decided once from the running JVM's version; the two int8
     * paths give bit-identical sums, so only the speed depends on it (docs/algorithms.md "int8 weights").
     */
    static final boolean FUSED_INT8 = Runtime.version().feature() >= 21;

    /**
     * The int8 product, either path. Both compute every term as x·(q·scale), in the same order, so
     * the sums are bit-identical. {@code fused}: convert and scale inside the product loop, reading
     * a quarter of the weight bytes. Otherwise dequantise a weight row (into {@code row}) only when
     * some row of the block uses input i, once for all of them, then run the float32 loop on it
     * (for JVMs whose C2 leaves a converting loop scalar: 6× slower than float32 on the paper's
     * 2×2000 net under JDK 17).
     */
    static void multiplyAddInt8(float[] xT, int rows, int in, Cols w, int wtRow, int out, float[][] acc, float[] row,
                                boolean fused) {
        float[] s = w.scale;
        for (int i = 0; i < in; i++) {
            int xb = i * rows;
            boolean used = false;
            for (int r = 0; r < rows && !used; r++) {
                used = xT[xb + r] != 0f;
            }
            if (!used) {
                continue;
            }
            byte[] q = w.q[wtRow + i];
            if (fused) {
                addInput(xT, xb, rows, q, s, out, acc);
                continue;
            }
            for (int k = 0; k < out; k++) {
                row[k] = q[k] * s[k];
            }
            addInput(xT, xb, rows, row, out, acc);
        }
    }

    /**
     * {@link #addInput(float[], int, int, float[], int, float[][])} over an int8 row and its scales: the
     * same pairing of rows, kept as a second copy because C2 vectorises only a loop whose array types
     * it sees directly (a shared loop behind an interface call would leave both paths scalar).
     */
    private static void addInput(float[] xT, int xb, int rows, byte[] q, float[] s, int out, float[][] acc) {
        int pending = -1;
        float pv = 0f;
        for (int r = 0; r < rows; r++) {
            float v = xT[xb + r];
            if (v != 0f) {
                if (pending < 0) {
                    pending = r;
                    pv = v;
                } else {
                    axpy2(pv, v, q, s, acc[pending], acc[r], out);
                    pending = -1;
                }
            }
        }
        if (pending >= 0) {
            float[] y = acc[pending];
            for (int k = 0; k < out; k++) {
                y[k] += pv * (q[k] * s[k]);
            }
        }
    }

    /** {@link #axpy2(float, float, float[], float[], float[], int)} with w[k] = q[k]·s[k]. */
    private static void axpy2(float a0, float a1, byte[] q, float[] s, float[] y0, float[] y1, int n) {
        for (int k = 0; k < n; k++) {
            float w = q[k] * s[k];
            y0[k] += a0 * w;
            y1[k] += a1 * w;
        }
    }

    /** W (out × in, row-major) as in arrays of out values: wt[i][j] = W[j][i]. */
    static float[][] inputMajor(float[] w, int out, int in) {
        return inputMajor(w, out, in, 0, in);
    }

    /** Columns [from, to) of W (out × in, row-major) as (to − from) arrays of out values. */
    static float[][] inputMajor(float[] w, int out, int in, int from, int to) {
        float[][] t = new float[to - from][out];
        for (int j = 0; j < out; j++) {
            int src = j * in;
            for (int i = from; i < to; i++) {
                t[i - from][j] = w[src + i];
            }
        }
        return t;
    }

    /**
     * {@code acc[r][j] += Σ_i xT[i·rows + r] · wt[i][j]} for r < rows, i < in, j < out, skipping
     * zero inputs. {@code acc} is not cleared.
     */
    static void multiplyAdd(float[] xT, int rows, int in, float[][] wt, int out, float[][] acc) {
        multiplyAdd(xT, rows, in, wt, 0, out, acc);
    }

    /** As above, reading weight rows {@code wt[wtRow + i]}. */
    static void multiplyAdd(float[] xT, int rows, int in, float[][] wt, int wtRow, int out, float[][] acc) {
        for (int i = 0; i < in; i++) {
            addInput(xT, i * rows, rows, wt[wtRow + i], out, acc);
        }
    }

    /** {@code acc[r][:] += xT[xb + r] · w[:]} for every row r whose input is not zero, two rows at a time. */
    private static void addInput(float[] xT, int xb, int rows, float[] w, int out, float[][] acc) {
        int pending = -1;
        float pv = 0f;
        for (int r = 0; r < rows; r++) {
            float v = xT[xb + r];
            if (v != 0f) {
                if (pending < 0) {
                    pending = r;
                    pv = v;
                } else {
                    axpy2(pv, v, w, acc[pending], acc[r], out);
                    pending = -1;
                }
            }
        }
        if (pending >= 0) {
            axpy(pv, w, acc[pending], out);
        }
    }

    /** Two rows at once, sharing each weight load (measured ~12% faster than two axpy calls). */
    static void axpy2(float a0, float a1, float[] x, float[] y0, float[] y1, int n) {
        for (int k = 0; k < n; k++) {
            float w = x[k];
            y0[k] += a0 * w;
            y1[k] += a1 * w;
        }
    }

    /** y[0..n) += a · x[0..n): both from index 0, so C2 vectorises it. */
    static void axpy(float a, float[] x, float[] y, int n) {
        for (int k = 0; k < n; k++) {
            y[k] += a * x[k];
        }
    }

    /**
     * {@code y[0..n) += Σ_{t<m} val[t] · w[idx[t]][0..n)}: a row's product over its non-zero inputs
     * (from {@link #nonZeros}), four inputs per pass over y. Each pass adds
     * ((v0·w0 + v1·w1) + v2·w2) + v3·w3 to y, then the last m mod 4 inputs one at a time. One store per
     * four multiply-adds instead of one per input: an axpy per input is store-bound, and this ran 2×
     * as fast per input at n = 128 and 512 in a microbenchmark here (docs/algorithms.md "Prediction").
     */
    static void addRows(float[][] w, int[] idx, float[] val, int m, float[] y, int n) {
        int t = 0;
        for (; t + 4 <= m; t += 4) {
            add4(val[t], val[t + 1], val[t + 2], val[t + 3], w[idx[t]], w[idx[t + 1]], w[idx[t + 2]], w[idx[t + 3]], y, n);
        }
        for (; t < m; t++) {
            axpy(val[t], w[idx[t]], y, n);
        }
    }

    private static void add4(float a0, float a1, float a2, float a3, float[] x0, float[] x1, float[] x2, float[] x3,
                             float[] y, int n) {
        for (int k = 0; k < n; k++) {
            y[k] += a0 * x0[k] + a1 * x1[k] + a2 * x2[k] + a3 * x3[k];
        }
    }

    /**
     * {@code y[0..n) = W·x} for a row whose non-zero inputs are (idx, val)[0..m), W float32 or int8.
     * int8 sums val·q over the inputs as {@link #addRows} does and applies each output's scale once at
     * the end (W[j][i] = s_j·q_ij, so Σ_i x_i W[j][i] = s_j·Σ_i x_i q_ij): it reads a quarter of the
     * weight bytes and converts inside the loop, which C2 vectorises from JDK 21 on ({@link #FUSED_INT8}).
     * A factored layer computes t = V·x into {@code mid} (rank values; int8: times U's per-column
     * scales), then y = U·t over t's non-zero values, reusing idx and val.
     */
    static void product(Cols w, int[] idx, float[] val, int m, float[] y, int n, float[] mid) {
        if (w.v != null) {
            int r = w.rank;
            product(w.v, idx, val, m, mid, r, null);
            float[] sc = w.inScale;
            if (sc != null) {
                for (int k = 0; k < r; k++) {
                    mid[k] *= sc[k];
                }
            }
            product(w.u, idx, val, nonZeros(mid, 0, 0, r, idx, val), y, n, null);
            return;
        }
        java.util.Arrays.fill(y, 0, n, 0f);
        if (w.f != null) {
            addRows(w.f, idx, val, m, y, n);
            return;
        }
        byte[][] q = w.q;
        int t = 0;
        for (; t + 4 <= m; t += 4) {
            add4(val[t], val[t + 1], val[t + 2], val[t + 3], q[idx[t]], q[idx[t + 1]], q[idx[t + 2]], q[idx[t + 3]], y, n);
        }
        for (; t < m; t++) {
            float a = val[t];
            byte[] x = q[idx[t]];
            for (int k = 0; k < n; k++) {
                y[k] += a * x[k];
            }
        }
        float[] s = w.scale;
        for (int k = 0; k < n; k++) {
            y[k] *= s[k];
        }
    }

    /** {@link #add4(float, float, float, float, float[], float[], float[], float[], float[], int)} over int8 rows. */
    private static void add4(float a0, float a1, float a2, float a3, byte[] x0, byte[] x1, byte[] x2, byte[] x3,
                             float[] y, int n) {
        for (int k = 0; k < n; k++) {
            y[k] += a0 * x0[k] + a1 * x1[k] + a2 * x2[k] + a3 * x3[k];
        }
    }

    /**
     * The indices and values of the non-zero entries of {@code x[off + from .. off + to)}, as
     * indices relative to off, into idx and val; returns their count. Branch-free (the index and value
     * are always written, the count advances only for a non-zero), because which of an image's pixels
     * or a layer's units are zero is too irregular for the branch predictor.
     */
    static int nonZeros(float[] x, int off, int from, int to, int[] idx, float[] val) {
        int m = 0;
        for (int i = from; i < to; i++) {
            float v = x[off + i];
            idx[m] = i;
            val[m] = v;
            m += v != 0f ? 1 : 0;
        }
        return m;
    }

    /**
     * Σ_j h[j]² for j < n, in eight interleaved partial sums (j mod 8) added pairwise at the end: one
     * running sum is a chain of dependent additions that takes the adder's latency per element.
     */
    static float sumSquares(float[] h, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            s0 += h[j] * h[j];
            s1 += h[j + 1] * h[j + 1];
            s2 += h[j + 2] * h[j + 2];
            s3 += h[j + 3] * h[j + 3];
            s4 += h[j + 4] * h[j + 4];
            s5 += h[j + 5] * h[j + 5];
            s6 += h[j + 6] * h[j + 6];
            s7 += h[j + 7] * h[j + 7];
        }
        for (; j < n; j++) {
            s0 += h[j] * h[j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    static void clear(float[][] acc, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            java.util.Arrays.fill(acc[r], 0, n, 0f);
        }
    }

    /**
     * Transposes n images (row-major, D wide, from {@code offset}) into xT (D × n) and returns
     * their squared norms in {@code sumSq[0..n)}.
     */
    static void transposeImages(float[] images, int offset, int n, int d, float[] xT, float[] sumSq) {
        transposeImages(images, offset, n, d, 0, xT, sumSq, null);
    }

    /**
     * As above, reading each image's first {@code blank} values as 0 (the overwrite label encoding's
     * corner, docs/algorithms.md "Label encoding"); with {@code max} given, also returns each image's
     * largest value after that (0 for an image with no positive value) in {@code max[0..n)}.
     */
    static void transposeImages(float[] images, int offset, int n, int d, int blank, float[] xT, float[] sumSq, float[] max) {
        for (int s = 0; s < n; s++) {
            int base = offset + s * d;
            float ss = 0;
            float mx = 0;
            for (int i = 0; i < blank; i++) {
                xT[i * n + s] = 0f;
            }
            for (int i = blank; i < d; i++) {
                float v = images[base + i];
                ss += v * v;
                mx = v > mx ? v : mx;
                xT[i * n + s] = v;
            }
            sumSq[s] = ss;
            if (max != null) {
                max[s] = mx;
            }
        }
    }

    /**
     * One convolution in ONNX Conv's layout (docs/algorithms.md "FF-CNN"): input ci planes of h × w,
     * output co planes of ho × wo, both channel-major (CHW), weights row-major [co][ci][k][k], zero
     * padding p, stride s. im2col, then weight-stationary rows: {@code cols[r]}, r = (c·k + ky)·k + kx,
     * holds for every output pixel (ho·wo of them, row-major) the input value that kernel tap
     * (c, ky, kx) reads there, and {@code usedTaps} lists the taps where any of them is non-zero (blank
     * borders and channels ReLU switched off are skipped); then for every output channel o,
     * {@code rows[o] = Σ_r w[o][r] · cols[r]} over the used taps with non-zero weights
     * ({@link #addRows}: four taps per pass over the whole output plane, from index 0, the form C2
     * vectorises; a plane is 49 to 784 values where an output row was 7 to 28). Each output sums its
     * terms in (c, ky, kx) order, four at a time, whatever the batch. {@code tapIndex} and
     * {@code tapWeight} are scratch of at least ci·k·k entries.
     */
    static void conv(float[] in, int ci, int h, int w, float[] wts, int k, int s, int p, float[] out, int co, int ho, int wo,
                     float[][] cols, int[] usedTaps, int[] tapIndex, float[] tapWeight, float[][] rows) {
        int plane = ho * wo;
        int kk = k * k;
        int nUsed = 0;
        for (int c = 0; c < ci; c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                    int r = (c * k + ky) * k + kx;
                    float[] col = cols[r];
                    boolean any = false;
                    for (int oy = 0, i = 0; oy < ho; oy++) {
                        int y = oy * s + ky - p;
                        if (y < 0 || y >= h) {
                            java.util.Arrays.fill(col, i, i + wo, 0f);
                            i += wo;
                            continue;
                        }
                        int rowBase = (c * h + y) * w;
                        for (int ox = 0; ox < wo; ox++, i++) {
                            int x = ox * s + kx - p;
                            float v = x >= 0 && x < w ? in[rowBase + x] : 0f;
                            col[i] = v;
                            any |= v != 0f;
                        }
                    }
                    if (any) {
                        usedTaps[nUsed++] = r;
                    }
                }
            }
        }
        for (int o = 0; o < co; o++) {
            java.util.Arrays.fill(rows[o], 0, plane, 0f);
        }
        int taps = ci * kk;
        for (int o = 0; o < co; o++) {
            int m = 0;
            int wb = o * taps;
            for (int t = 0; t < nUsed; t++) {
                int r = usedTaps[t];
                float wv = wts[wb + r];
                tapIndex[m] = r;
                tapWeight[m] = wv;
                m += wv != 0f ? 1 : 0;
            }
            addRows(cols, tapIndex, tapWeight, m, rows[o], plane);
        }
        for (int o = 0; o < co; o++) {
            System.arraycopy(rows[o], 0, out, o * plane, plane);
        }
    }

}
