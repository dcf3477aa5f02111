package org.fftk.pruner.lowrank;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/**
 * Low-rank factorisation of an ffnn's hidden layers (docs/algorithms.md "Low-rank layers"): each weight
 * W (out × in) is replaced by its truncated singular value decomposition, the best rank-r
 * approximation in the Frobenius norm (Eckart–Young), stored as two factors
 * U_r·√Σ_r (out × r) and √Σ_r·V_rᵀ (r × in): r·(out + in) weights instead of out·in. Every neuron
 * stays, so the sparse, class-specific ensembles FF training grows are kept whole; what goes is the
 * redundancy between the neurons' weight vectors. The singular values are split evenly between the
 * factors so that both have rows of similar size (one int8 scale per row then fits both).
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
     * Decomposes every hidden layer of a float32 ffnn whose layers are full.
     *
     * @throws IllegalArgumentException naming why the model cannot be factored
     */
    public static LowRank of(Model m) {
        if (m.architecture() != Architecture.FFNN) {
            throw new IllegalArgumentException("low-rank factorisation is for ffnn models, not " + m.architecture()
                    + " (its layers feed a classifier, frames or convolutions that fftk does not factor)");
        }
        if (m.isInt8()) {
            throw new IllegalArgumentException("the model has int8 weights: factor the float32 model, then quantize");
        }
        if (m.isFactored()) {
            throw new IllegalArgumentException("the model is already factored (ranks " + java.util.Arrays.toString(m.ranks()) + ")");
        }
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
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(out, in, true, true, true);
            if (!svd.decompose(a)) {
                throw new IllegalArgumentException("the singular value decomposition of layer " + l + " did not converge");
            }
            DMatrixRMaj uu = svd.getU(null, false);
            DMatrixRMaj sw = svd.getW(null);
            DMatrixRMaj vt = svd.getV(null, true);
            SingularOps_DDRM.descendingOrder(uu, false, sw, vt, true);
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
