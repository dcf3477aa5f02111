package org.fftk.edge.model;

import java.util.Arrays;

/**
 * One dense layer: weight W (out × in, row-major, PyTorch layout: row j holds neuron j's incoming
 * weights) and bias b (out). FFRNN hidden layers also carry backward weights (out × backIn) that
 * read the layer above. Immutable: the arrays are copied in and never handed out for writing.
 *
 * <p>A layer may hold its weights as int8 (docs/algorithms.md, "int8 weights"): symmetric, one
 * scale per output neuron, W[j][i] = scale[j] · q[j][i] with q in −127..127; the bias stays float.
 * Such a layer keeps only the int8 values and the scales (a quarter of the memory);
 * {@link #weights()} then gives their float values.
 *
 * <p>A layer may also be <em>factored</em> (docs/algorithms.md, "Low-rank layers"): W = U·V with U
 * (out × r) and V (r × in), r the layer's rank, stored as the two factors (float32, or int8 with one
 * scale per rank component: per row of V and per column of U, so U is kept as Uᵀ), r·(out + in)
 * weights instead of out·in. The forward pass computes V·x first,
 * then U·(V·x); {@link #weights()} gives the product.
 */
public final class DenseLayer {
    private final int out;
    private final int in;
    private final float[] weight;
    private final float[] bias;
    private final int backIn;
    private final float[] backWeight;
    private final Int8 q;
    private final Int8 backQ;
    /** The rank of a factored layer, 0 for a full one. */
    private final int rank;
    private final float[] u;
    private final float[] v;
    private final Int8 uQ;
    private final Int8 vQ;

    /** Int8 weights of a rows × cols matrix: values row-major and one scale per row. */
    public static final class Int8 {
        private final byte[] values;
        private final float[] scales;

        public Int8(byte[] values, float[] scales) {
            if (scales.length == 0 || values.length % scales.length != 0) {
                throw new IllegalArgumentException("int8 weights: " + values.length + " values for " + scales.length
                        + " rows");
            }
            for (float s : scales) {
                if (!(s >= 0) || !Float.isFinite(s)) {
                    throw new IllegalArgumentException("int8 weight scales must be finite and not negative, got " + s);
                }
            }
            for (byte v : values) {
                if (v == Byte.MIN_VALUE) {
                    throw new IllegalArgumentException("symmetric int8 weights lie in -127..127, got -128");
                }
            }
            this.values = values.clone();
            this.scales = scales.clone();
        }

        /**
         * Quantises a rows × cols float matrix: per row, scale = max|w| / 127 and
         * q = round(w / scale), so the largest weight of each row is exactly ±127·scale. An all-zero
         * row gets scale 0.
         */
        public static Int8 of(float[] w, int rows, int cols) {
            byte[] q = new byte[w.length];
            float[] s = new float[rows];
            for (int j = 0; j < rows; j++) {
                float max = 0;
                for (int i = 0; i < cols; i++) {
                    max = Math.max(max, Math.abs(w[j * cols + i]));
                }
                float scale = max / 127f;
                s[j] = scale;
                for (int i = 0; i < cols && scale > 0; i++) {
                    q[j * cols + i] = (byte) Math.max(-127, Math.min(127, Math.round(w[j * cols + i] / scale)));
                }
            }
            return new Int8(q, s);
        }

        /** A copy of the int8 values, row-major. */
        public byte[] values() {
            return values.clone();
        }

        /** A copy of the per-row scales. */
        public float[] scales() {
            return scales.clone();
        }

        /** The float values scale[j] · q[j][i], row-major. */
        float[] dequantized() {
            int cols = values.length / scales.length;
            float[] w = new float[values.length];
            for (int j = 0; j < scales.length; j++) {
                for (int i = 0; i < cols; i++) {
                    w[j * cols + i] = scales[j] * values[j * cols + i];
                }
            }
            return w;
        }

        float get(int row, int col, int cols) {
            return scales[row] * values[row * cols + col];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Int8 && Arrays.equals(values, ((Int8) o).values) && Arrays.equals(scales, ((Int8) o).scales);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + Arrays.hashCode(scales);
        }
    }

    public DenseLayer(int out, int in, float[] weight, float[] bias) {
        this(out, in, weight, bias, 0, null);
    }

    public DenseLayer(int out, int in, float[] weight, float[] bias, int backIn, float[] backWeight) {
        if (out <= 0 || in <= 0) {
            throw new IllegalArgumentException("layer shape must be positive, got " + out + "x" + in);
        }
        if (weight.length != (long) out * in) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + out + "x" + in);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
        }
        if ((backWeight == null) != (backIn == 0)) {
            throw new IllegalArgumentException("backward weights and their width must be given together");
        }
        if (backWeight != null && backWeight.length != (long) out * backIn) {
            throw new IllegalArgumentException("backward weight has " + backWeight.length + " values, expected " + out + "x" + backIn);
        }
        this.out = out;
        this.in = in;
        this.weight = weight.clone();
        this.bias = bias.clone();
        this.backIn = backIn;
        this.backWeight = backWeight == null ? null : backWeight.clone();
        this.q = null;
        this.backQ = null;
        this.rank = 0;
        this.u = null;
        this.v = null;
        this.uQ = null;
        this.vQ = null;
    }

    /** A layer with int8 weights (and, for ffrnn, int8 backward weights; null otherwise). */
    public DenseLayer(int out, int in, Int8 weight, float[] bias, int backIn, Int8 backWeight) {
        if (out <= 0 || in <= 0) {
            throw new IllegalArgumentException("layer shape must be positive, got " + out + "x" + in);
        }
        if (weight.values.length != (long) out * in || weight.scales.length != out) {
            throw new IllegalArgumentException("int8 weight has " + weight.values.length + " values and "
                    + weight.scales.length + " scales, expected " + out + "x" + in + " and " + out);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
        }
        if ((backWeight == null) != (backIn == 0)) {
            throw new IllegalArgumentException("backward weights and their width must be given together");
        }
        if (backWeight != null && (backWeight.values.length != (long) out * backIn || backWeight.scales.length != out)) {
            throw new IllegalArgumentException("int8 backward weight has " + backWeight.values.length + " values, expected "
                    + out + "x" + backIn);
        }
        this.out = out;
        this.in = in;
        this.weight = null;
        this.bias = bias.clone();
        this.backIn = backIn;
        this.backWeight = null;
        this.q = weight;
        this.backQ = backWeight;
        this.rank = 0;
        this.u = null;
        this.v = null;
        this.uQ = null;
        this.vQ = null;
    }

    /**
     * A factored layer W = U·V: {@code u} is out × rank and {@code v} rank × in, row-major, both
     * float32 (then {@code uQ}, {@code vQ} are null) or both int8 (then {@code u}, {@code v} are null;
     * {@code uQ} holds Uᵀ, rank × out, so that its per-row scales are U's per-column ones).
     */
    private DenseLayer(int out, int in, int rank, float[] u, float[] v, Int8 uQ, Int8 vQ, float[] bias) {
        if (out <= 0 || in <= 0 || rank <= 0) {
            throw new IllegalArgumentException("factored layer shape must be positive, got " + out + "x" + in + " rank " + rank);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
        }
        long uSize = u != null ? u.length : uQ.values.length;
        long vSize = v != null ? v.length : vQ.values.length;
        if (uSize != (long) out * rank || vSize != (long) rank * in) {
            throw new IllegalArgumentException("factors have " + uSize + " and " + vSize + " values, expected " + out + "x"
                    + rank + " and " + rank + "x" + in);
        }
        if (uQ != null && (uQ.scales.length != rank || vQ.scales.length != rank)) {
            throw new IllegalArgumentException("int8 factors need one scale per rank component (" + rank + "), got "
                    + uQ.scales.length + " and " + vQ.scales.length);
        }
        this.out = out;
        this.in = in;
        this.weight = null;
        this.bias = bias.clone();
        this.backIn = 0;
        this.backWeight = null;
        this.q = null;
        this.backQ = null;
        this.rank = rank;
        this.u = u == null ? null : u.clone();
        this.v = v == null ? null : v.clone();
        this.uQ = uQ;
        this.vQ = vQ;
    }

    /** A factored float32 layer W = U·V, U out × rank and V rank × in, row-major. */
    public static DenseLayer factored(int out, int in, int rank, float[] u, float[] v, float[] bias) {
        return new DenseLayer(out, in, rank, java.util.Objects.requireNonNull(u), java.util.Objects.requireNonNull(v),
                null, null, bias);
    }

    /**
     * A factored layer with int8 factors, one scale per rank component: {@code uT} is Uᵀ (rank × out,
     * each row one column of U with its scale), {@code v} is V (rank × in, a scale per row).
     */
    public static DenseLayer factored(int out, int in, int rank, Int8 uT, Int8 v, float[] bias) {
        return new DenseLayer(out, in, rank, null, null, java.util.Objects.requireNonNull(uT),
                java.util.Objects.requireNonNull(v), bias);
    }

    /** This layer with its weights (and backward weights) quantised to int8 ({@link Int8#of}). */
    public DenseLayer quantized() {
        if (isInt8()) {
            return this;
        }
        if (rank > 0) {
            // U per column: its columns have the norms √σ_k, its rows (neurons) about equal ones, and a
            // scale per neuron would cost 4 bytes per r weights (10% of U at r = 40)
            return factored(out, in, rank, Int8.of(transpose(u, out, rank), rank, out), Int8.of(v, rank, in), bias);
        }
        return new DenseLayer(out, in, Int8.of(weight, out, in), bias, backIn,
                backWeight == null ? null : Int8.of(backWeight, out, backIn));
    }

    /** True when the weights are stored as int8. */
    public boolean isInt8() {
        return q != null || uQ != null;
    }

    /** The rank r of a factored layer (W = U·V), or 0 for a full weight matrix. */
    public int rank() {
        return rank;
    }

    /** A copy of factor U (out × rank, row-major; int8 layers: its float values), or null for a full layer. */
    public float[] factorU() {
        return rank == 0 ? null : uQ != null ? transpose(uQ.dequantized(), rank, out) : u.clone();
    }

    /** The transpose of a rows × cols row-major matrix. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    /**
     * The transpose of a rows × cols row-major int8 matrix: the file keeps a factored layer's U as
     * [out, r], the layer keeps Uᵀ ({@link #int8FactorU()}).
     */
    public static byte[] transpose(byte[] a, int rows, int cols) {
        byte[] t = new byte[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    /** A copy of factor V (rank × in, row-major; int8 layers: its float values), or null for a full layer. */
    public float[] factorV() {
        return rank == 0 ? null : vQ != null ? vQ.dequantized() : v.clone();
    }

    /** The int8 factor Uᵀ (rank × out, one scale per row, i.e. per column of U) of a factored int8 layer, or null. */
    public Int8 int8FactorU() {
        return uQ;
    }

    /** The int8 factor V (rank × in, one scale per row) of a factored int8 layer, or null. */
    public Int8 int8FactorV() {
        return vQ;
    }

    /** The int8 weights, or null for a float layer. */
    public Int8 int8Weights() {
        return q;
    }

    /** The int8 backward weights, or null. */
    public Int8 int8BackWeights() {
        return backQ;
    }

    /** Number of neurons (rows). */
    public int out() {
        return out;
    }

    /** Number of inputs (columns). */
    public int in() {
        return in;
    }

    /** W[j][i], neuron j's weight from input i. */
    public float weight(int j, int i) {
        if (rank > 0) {
            float s = 0;
            for (int k = 0; k < rank; k++) {
                s += (uQ != null ? uQ.get(k, j, out) : u[j * rank + k]) * (vQ != null ? vQ.get(k, i, in) : v[k * in + i]);
            }
            return s;
        }
        return q != null ? q.get(j, i, in) : weight[j * in + i];
    }

    public float bias(int j) {
        return bias[j];
    }

    /**
     * A copy of the row-major weight (int8 layers: its float values; factored layers: the product
     * U·V, each value summed over k = 0..r−1 in float as {@link #weight(int, int)} does).
     */
    public float[] weights() {
        if (rank > 0) {
            float[] uf = factorU();
            float[] vf = factorV();
            float[] w = new float[Math.multiplyExact(out, in)];
            for (int j = 0; j < out; j++) {
                for (int k = 0; k < rank; k++) {
                    float a = uf[j * rank + k];
                    for (int i = 0; i < in; i++) {
                        w[j * in + i] += a * vf[k * in + i];
                    }
                }
            }
            return w;
        }
        return q != null ? q.dequantized() : weight.clone();
    }

    /** A copy of the bias. */
    public float[] biases() {
        return bias.clone();
    }

    public boolean hasBackward() {
        return backWeight != null || backQ != null;
    }

    /** Width of the layer above that the backward weights read (0 when there are none). */
    public int backIn() {
        return backIn;
    }

    /** A copy of the row-major backward weight (out × backIn), or null. */
    public float[] backWeights() {
        if (backQ != null) {
            return backQ.dequantized();
        }
        return backWeight == null ? null : backWeight.clone();
    }

    /** Trainable parameters of this layer. */
    public long parameterCount() {
        if (rank > 0) {
            return (long) rank * (out + in) + out;
        }
        return (long) out * in + out + (long) out * backIn;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DenseLayer)) {
            return false;
        }
        DenseLayer l = (DenseLayer) o;
        return out == l.out && in == l.in && backIn == l.backIn && rank == l.rank && Arrays.equals(weight, l.weight)
                && Arrays.equals(u, l.u) && Arrays.equals(v, l.v) && java.util.Objects.equals(uQ, l.uQ)
                && java.util.Objects.equals(vQ, l.vQ)
                && Arrays.equals(bias, l.bias) && Arrays.equals(backWeight, l.backWeight)
                && java.util.Objects.equals(q, l.q) && java.util.Objects.equals(backQ, l.backQ);
    }

    @Override
    public int hashCode() {
        return 31 * (q != null ? q.hashCode() : rank > 0 ? Arrays.hashCode(u) + (uQ == null ? 0 : uQ.hashCode())
                : Arrays.hashCode(weight)) + Arrays.hashCode(bias);
    }
}
