package org.fftk.pruner.lowrank;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.infer.LayerSink;
import org.fftk.edge.infer.Trace;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * Low-rank factorisation of an ffnn's (or bpnn's) hidden layers (docs/algorithms.md "Low-rank layers"): each weight
 * W (out × in) is replaced by its truncated singular value decomposition, the best rank-r
 * approximation in the Frobenius norm (Eckart–Young), stored as two factors
 * U_r·√Σ_r (out × r) and √Σ_r·V_rᵀ (r × in): r·(out + in) weights instead of out·in. Every neuron
 * stays, so the sparse, class-specific ensembles FF training grows are kept whole; what goes is the
 * redundancy between the neurons' weight vectors. The singular values are split evenly between the
 * factors, so U's column k and V's row k both have the norm √σ_k (int8 then takes one scale per
 * rank component in each).
 *
 * <p><b>Data-aware</b> ({@link #of(Model, Dataset, int, long)}): the rank-r Ŵ that minimises the
 * error of the layer's pre-activations on its own inputs, ‖(W − Ŵ)·X‖_F over a sample X of the
 * inputs the layer sees at prediction (every image with every label; layer l &gt; 0: n(h_{l−1}) of
 * the unfactored model), instead of ‖W − Ŵ‖_F. With C = X·Xᵀ/N + λI = S·Sᵀ (S = Q·√Λ from C's
 * eigendecomposition, λ = 10⁻⁶·tr(C)/in keeping S invertible where the inputs never go), the
 * minimiser is Ŵ = (W·S)_r·S⁻¹, so the factors are U_r·√Σ_r and √Σ_r·V_rᵀ·S⁻¹ from the SVD of W·S.
 *
 * <p>The decomposition (EJML, in double) is computed once per layer; {@link #truncate} then gives
 * any ranks.
 */
public final class LowRank {
    /** Per hidden layer: U·√Σ (out × k) and √Σ·Vᵀ (k × in), columns/rows in descending σ, k = min(out, in). */
    private final Model model;
    private final double[][] u;
    private final double[][] v;
    private final double[][] sigma;

    private LowRank(Model model, double[][] u, double[][] v, double[][] sigma) {
        this.model = model;
        this.u = u;
        this.v = v;
        this.sigma = sigma;
    }

    /**
     * Decomposes every hidden layer of a float32 ffnn or bpnn whose layers are full, plainly (the SVD
     * of W).
     *
     * @throws IllegalArgumentException naming why the model cannot be factored
     */
    public static LowRank of(Model m) {
        return of(m, null, 0, 0);
    }

    /**
     * Decomposes every hidden layer data-aware (see the class comment) on a seeded sample of
     * {@code sample} training images, or plainly when {@code train} is null.
     *
     * @throws IllegalArgumentException naming why the model cannot be factored
     */
    public static LowRank of(Model m, Dataset train, int sample, long seed) {
        check(m);
        double[][] cov = train == null ? null : covariances(m, train, sample, seed);
        return decompose(m, cov);
    }

    /**
     * Refuses, in one line, a model fftk does not factor: not an ffnn, int8, or factored already.
     *
     * @throws IllegalArgumentException naming why
     */
    public static void check(Model m) {
        if (m.architecture() != Architecture.FFNN && m.architecture() != Architecture.BPNN) {
            throw new IllegalArgumentException("low-rank factorisation is for ffnn and bpnn models, not " + m.architecture()
                    + " (its layers feed a classifier, frames or convolutions that fftk does not factor)");
        }
        if (m.isInt8()) {
            throw new IllegalArgumentException("the model has int8 weights: factor the float32 model, then quantize");
        }
        if (m.isFactored()) {
            throw new IllegalArgumentException("the model is already factored (ranks " + java.util.Arrays.toString(m.ranks()) + ")");
        }
    }

    private static LowRank decompose(Model m, double[][] cov) {
        int n = m.layers().size();
        double[][] us = new double[n][];
        double[][] vs = new double[n][];
        double[][] ss = new double[n][];
        for (int l = 0; l < n; l++) {
            DenseLayer layer = m.layers().get(l);
            int out = layer.out();
            int in = layer.in();
            float[] w = layer.weights();
            DMatrixRMaj a = new DMatrixRMaj(out, in);
            for (int i = 0; i < w.length; i++) {
                a.data[i] = w[i];
            }
            DMatrixRMaj sInv = null;
            if (cov != null) {
                DMatrixRMaj[] root = root(cov[l], in, l);
                DMatrixRMaj ws = new DMatrixRMaj(out, in);
                CommonOps_DDRM.mult(a, root[0], ws);
                a = ws;
                sInv = root[1];
            }
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(out, in, true, true, true);
            if (!svd.decompose(a)) {
                throw new IllegalArgumentException("the singular value decomposition of layer " + l + " did not converge");
            }
            DMatrixRMaj uu = svd.getU(null, false);
            DMatrixRMaj sw = svd.getW(null);
            DMatrixRMaj vt = svd.getV(null, true);
            SingularOps_DDRM.descendingOrder(uu, false, sw, vt, true);
            if (sInv != null) {
                DMatrixRMaj back = new DMatrixRMaj(vt.numRows, in);
                CommonOps_DDRM.mult(vt, sInv, back);
                vt = back;
            }
            int k = Math.min(out, in);
            double[] s = new double[k];
            double[] uf = new double[out * k];
            double[] vf = new double[k * in];
            for (int c = 0; c < k; c++) {
                s[c] = sw.get(c, c);
                double root = Math.sqrt(s[c]);
                for (int j = 0; j < out; j++) {
                    uf[j * k + c] = uu.get(j, c) * root;
                }
                for (int i = 0; i < in; i++) {
                    vf[c * in + i] = vt.get(c, i) * root;
                }
            }
            us[l] = uf;
            vs[l] = vf;
            ss[l] = s;
        }
        return new LowRank(m, us, vs, ss);
    }

    /**
     * Per hidden layer, the second moment of its inputs over the sample and every label, in × in
     * (row-major, double): layer 0 reads n(a + β·e_{p+c}) (concat: a = x ⊕ 0, β = 1, p = D;
     * overwrite: a = the image with its first L values 0, β = its largest other value, p = 0), a layer
     * l &gt; 0 reads n(h_{l−1}) of the unfactored model for every label (the trace), n(v) = v/(‖v‖ + ε).
     * bpnn: layer 0 reads the image x, layer l &gt; 0 h_{l−1}, once per image, not normalised.
     */
    static double[][] covariances(Model m, Dataset train, int sample, long seed) {
        if (train.inputSize() != m.inputSize()) {
            throw new IllegalArgumentException("training images have width " + train.inputSize()
                    + " but the model reads " + m.inputSize());
        }
        int[] idx = train.sampleIndices(sample, seed);
        int d = m.inputSize();
        int labels = m.numLabels();
        int nl = m.layers().size();
        double[][] c = new double[nl][];
        for (int l = 0; l < nl; l++) {
            int in = m.layers().get(l).in();
            c[l] = new double[in * in];
        }
        int in0 = m.layers().get(0).in();
        double[] a = new double[in0];
        float[] px = new float[Math.multiplyExact(idx.length, d)];
        boolean overwrite = m.labelOverwrites();
        boolean ff = m.architecture() == Architecture.FFNN;
        for (int s = 0; s < idx.length; s++) {
            System.arraycopy(train.images(), train.offset(idx[s]), px, s * d, d);
            if (!ff) {
                // bpnn: layer 0 reads the raw image, no label, no normalisation
                for (int i = 0; i < d; i++) {
                    a[i] = px[s * d + i];
                }
                addOuter(c[0], a, in0, 1);
                continue;
            }
            java.util.Arrays.fill(a, 0);
            double beta = overwrite ? 0 : 1;
            for (int i = overwrite ? labels : 0; i < d; i++) {
                a[i] = px[s * d + i];
                if (overwrite) {
                    beta = Math.max(beta, a[i]);
                }
            }
            int p = overwrite ? 0 : d;
            double ss = beta * beta;
            for (double v : a) {
                ss += v * v;
            }
            double norm = Math.sqrt(ss) + m.normEpsilon();
            double w = 1 / (norm * norm * labels);
            // Σ_c (a + β e_{p+c})(a + β e_{p+c})ᵀ = L·a·aᵀ + β·Σ_c (a e_{p+c}ᵀ + e_{p+c} aᵀ) + β²·Σ_c e_{p+c} e_{p+c}ᵀ
            addOuter(c[0], a, in0, labels * w);
            for (int k = 0; k < labels; k++) {
                int col = p + k;
                for (int i = 0; i < in0; i++) {
                    double t = beta * a[i] * w;
                    c[0][i * in0 + col] += t;
                    c[0][col * in0 + i] += t;
                }
                c[0][col * in0 + col] += beta * beta * w;
            }
        }
        double rows = (double) idx.length;
        for (int i = 0; i < c[0].length; i++) {
            c[0][i] /= rows;
        }
        if (nl > 1) {
            double per = 1.0 / (rows * (ff ? labels : 1));
            float eps = m.normEpsilon();
            Trace.run(m, px, 0, idx.length, new LayerSink() {
                final int[] nz = new int[maxWidth(m)];

                @Override
                public void layer(int image, int candidate, int layer, int frame, float[] h, double z) {
                    if (layer + 1 >= nl) {
                        return;
                    }
                    double ss = 0;
                    int k = 0;
                    for (int j = 0; j < h.length; j++) {
                        if (h[j] != 0) {
                            ss += (double) h[j] * h[j];
                            nz[k++] = j;
                        }
                    }
                    double scale = ff ? per / Math.pow(Math.sqrt(ss) + eps, 2) : per; // bpnn: no normalisation
                    double[] cl = c[layer + 1];
                    int in = h.length;
                    for (int x = 0; x < k; x++) {
                        int i = nz[x];
                        double hi = h[i] * scale;
                        for (int y = 0; y < k; y++) {
                            cl[i * in + nz[y]] += hi * h[nz[y]];
                        }
                    }
                }
            }, 1);
        }
        return c;
    }

    private static int maxWidth(Model m) {
        int w = 0;
        for (DenseLayer l : m.layers()) {
            w = Math.max(w, l.out());
        }
        return w;
    }

    private static void addOuter(double[] c, double[] a, int n, double w) {
        for (int i = 0; i < n; i++) {
            double ai = a[i] * w;
            if (ai == 0) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                c[i * n + j] += ai * a[j];
            }
        }
    }

    /**
     * S = Q·√Λ and S⁻¹ = √Λ⁻¹·Qᵀ for C + λI = Q·Λ·Qᵀ (λ = 10⁻⁶·tr(C)/n), so S·Sᵀ = C + λI.
     */
    private static DMatrixRMaj[] root(double[] cov, int n, int layer) {
        DMatrixRMaj c = new DMatrixRMaj(n, n);
        System.arraycopy(cov, 0, c.data, 0, cov.length);
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += c.get(i, i);
        }
        if (!(trace > 0)) {
            throw new IllegalArgumentException("layer " + layer + " never sees a non-zero input on the sample");
        }
        double lambda = 1e-6 * trace / n;
        for (int i = 0; i < n; i++) {
            c.add(i, i, lambda);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(c)) {
            throw new IllegalArgumentException("the eigendecomposition of layer " + layer + "'s input moments did not converge");
        }
        DMatrixRMaj s = new DMatrixRMaj(n, n);
        DMatrixRMaj sInv = new DMatrixRMaj(n, n);
        for (int k = 0; k < n; k++) {
            double ev = Math.max(eig.getEigenvalue(k).getReal(), lambda);
            DMatrixRMaj q = eig.getEigenVector(k);
            double r = Math.sqrt(ev);
            for (int i = 0; i < n; i++) {
                s.set(i, k, q.get(i, 0) * r);
                sInv.set(k, i, q.get(i, 0) / r);
            }
        }
        return new DMatrixRMaj[] {s, sInv};
    }

    /**
     * Ranks that make the model's parameters (biases included) at least {@code ratio} times fewer:
     * {@link #ranksFor} with the weight budget ⌊P / ratio⌋ − Σ_l out_l (the biases stay).
     */
    public int[] ranksForRatio(double ratio) {
        checkRatio(ratio);
        long biases = 0;
        for (DenseLayer l : model.layers()) {
            biases += l.out();
        }
        return ranksFor((long) Math.floor(model.parameterCount() / ratio) - biases);
    }

    /** Refuses a compression ratio outside (1, 1e6] in one line. */
    public static void checkRatio(double ratio) {
        if (!(ratio > 1 && ratio <= 1e6)) {
            throw new IllegalArgumentException("--target-ratio must be in (1, 1e6], got " + ratio);
        }
    }

    /** Layer l's singular values, in descending order. */
    public double[] singularValues(int l) {
        return sigma[l].clone();
    }

    /**
     * The model with hidden layer l replaced by its rank ranks[l] factors (0: kept full). The
     * provenance is left to the caller.
     *
     * @throws IllegalArgumentException when a rank does not fit its layer
     */
    public Model truncate(int[] ranks) {
        List<DenseLayer> ls = model.layers();
        if (ranks.length != ls.size()) {
            throw new IllegalArgumentException(ranks.length + " ranks for " + ls.size() + " hidden layers");
        }
        List<DenseLayer> out = new ArrayList<>();
        for (int l = 0; l < ls.size(); l++) {
            DenseLayer layer = ls.get(l);
            int r = ranks[l];
            int k = sigma[l].length;
            if (r < 0 || r > k) {
                throw new IllegalArgumentException("layer " + l + " rank must be 0 (full) or 1.." + k + ", got " + r);
            }
            if (r == 0) {
                out.add(layer);
                continue;
            }
            float[] uf = new float[layer.out() * r];
            float[] vf = new float[r * layer.in()];
            for (int j = 0; j < layer.out(); j++) {
                for (int c = 0; c < r; c++) {
                    uf[j * r + c] = (float) u[l][j * k + c];
                }
            }
            for (int i = 0; i < vf.length; i++) {
                vf[i] = (float) v[l][i];
            }
            out.add(DenseLayer.factored(layer.out(), layer.in(), r, uf, vf, layer.biases()));
        }
        return model.toBuilder().layers(out).build();
    }

    /**
     * Ranks for a weight budget: starting from rank 1 everywhere, repeatedly raises the rank of the
     * layer whose next singular value keeps the largest share of that layer's squared Frobenius
     * norm per weight it costs (σ²/‖W‖² / (out + in)), while the factored layers' weights stay within
     * {@code maxWeights}. Relative energy, not absolute, since each layer's input is normalised and
     * its goodness is a mean over its own units, so a layer's scale does not say how much it matters.
     *
     * @throws IllegalArgumentException when even rank 1 everywhere exceeds the budget
     */
    public int[] ranksFor(long maxWeights) {
        List<DenseLayer> ls = model.layers();
        int n = ls.size();
        int[] r = new int[n];
        double[] total = new double[n];
        long used = 0;
        for (int l = 0; l < n; l++) {
            r[l] = 1;
            used += ls.get(l).out() + ls.get(l).in();
            for (double s : sigma[l]) {
                total[l] += s * s;
            }
        }
        if (used > maxWeights) {
            throw new IllegalArgumentException("even rank 1 in every layer needs " + used + " weights, more than " + maxWeights);
        }
        while (true) {
            int best = -1;
            double bestGain = -1;
            for (int l = 0; l < n; l++) {
                int cost = ls.get(l).out() + ls.get(l).in();
                if (r[l] >= sigma[l].length || used + cost > maxWeights) {
                    continue;
                }
                double s = sigma[l][r[l]];
                double gain = total[l] > 0 ? s * s / total[l] / cost : 0;
                if (gain > bestGain) {
                    bestGain = gain;
                    best = l;
                }
            }
            if (best < 0) {
                return r;
            }
            used += ls.get(best).out() + ls.get(best).in();
            r[best]++;
        }
    }
}
