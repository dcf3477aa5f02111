package org.fftk.trainer.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig.Device;
import org.fftk.edge.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow's gradient of the FF loss (docs/algorithms.md "FF layer") against a gradient computed independently in
 * Java: a hand-derived analytic gradient (double precision) and central finite differences of a
 * Java re-implementation of the loss, on tiny layers (image 4 + 2 labels → 3 → 2).
 */
class FfGradientTest {
    static final int D = 4;
    static final int L = 2;
    static final int[] W = {3, 2};
    static final float EPS = 1e-4f;

    /** Java reference: loss of layer l for the batch, given all params (double precision). */
    static double[] losses(List<double[]> p, double[][] pos, double[][] neg, double theta, Objective obj) {
        double[] out = new double[W.length];
        double[][][] ins = {pos, neg};
        for (int half = 0; half < 2; half++) {
            for (double[] row : ins[half]) {
                double[] x = row;
                for (int l = 0; l < W.length; l++) {
                    int in = x.length;
                    double nrm = 0;
                    for (double v : x) {
                        nrm += v * v;
                    }
                    nrm = Math.sqrt(nrm) + EPS;
                    double[] h = new double[W[l]];
                    double g = 0;
                    for (int j = 0; j < W[l]; j++) {
                        double a = p.get(2 * l + 1)[j];
                        for (int i = 0; i < in; i++) {
                            a += p.get(2 * l)[j * in + i] * x[i] / nrm;
                        }
                        h[j] = Math.max(a, 0);
                        g += h[j] * h[j];
                    }
                    double z = g / W[l] - theta;
                    boolean positive = half == 0;
                    double u = (obj == Objective.MAXIMIZE) == positive ? -z : z;
                    out[l] += (Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)))) / (2 * pos.length);
                    x = h;
                }
            }
        }
        return out;
    }

    @Test
    void tensorflowGradientMatchesFiniteDifferencesAndHandDerivation() {
        for (Objective obj : Objective.values()) {
            check(obj, 0.3f, false);
        }
    }

    /**
     * Paper 000's overwrite label encoding (docs/algorithms.md "Label encoding"): layer 0 reads the D
     * image values with the first L replaced by max(others)·onehot(label); the losses and gradients
     * against the same Java reference on those rows.
     */
    @Test
    void overwriteLabelEncodingGradientMatchesFiniteDifferences() {
        for (Objective obj : Objective.values()) {
            check(obj, 0.3f, true);
        }
    }

    private void check(Objective obj, float theta, boolean overwrite) {
        Random rng = new Random(7);
        int n = 5;
        float[] px = new float[n * D];
        int[] y = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(L);
        }
        Dataset data = new Dataset("examples", D, L, px, y);
        try (Net net = new Net(Architecture.FFNN, obj, D, L, W, theta, Optimizer.adam(0.01f), EPS, n, Device.CPU,
                new Net.FfOptions(false, false, 0f, 0f, overwrite, false))) {
            List<float[]> params = new ArrayList<>();
            for (long[] s : net.paramShapes()) {
                float[] a = new float[(int) (s.length == 2 ? s[0] * s[1] : s[0])];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (rng.nextGaussian() * 1.5);
                }
                params.add(a);
            }
            net.setParams(params);
            net.loadTrainingImages(data);
            Net.BatchFeed f = net.batchFeed(n);
            int in0 = overwrite ? D : D + L;
            double[][] pos = new double[n][in0];
            double[][] neg = new double[n][in0];
            for (int i = 0; i < n; i++) {
                f.index[i] = i;
                f.label[i] = y[i];
                f.negative[i] = 1 - y[i];
                double max = 0;
                for (int k = overwrite ? L : 0; k < D; k++) {
                    pos[i][k] = px[i * D + k];
                    neg[i][k] = px[i * D + k];
                    max = Math.max(max, px[i * D + k]);
                }
                int labelAt = overwrite ? 0 : D;
                double value = overwrite ? max : 1;
                pos[i][labelAt + y[i]] = value;
                neg[i][labelAt + 1 - y[i]] = value;
            }
            float[] tfLoss = new float[W.length];
            List<float[]> g = net.gradients(f, tfLoss);
            f.close();

            List<double[]> p = doubles(params);
            double[] ref = losses(p, pos, neg, theta, obj);
            for (int l = 0; l < W.length; l++) {
                assertEquals(ref[l], tfLoss[l], 1e-5 * Math.max(1, Math.abs(ref[l])), "loss of layer " + l);
            }
            int checked = 0;
            for (int k = 0; k < p.size(); k++) {
                int layer = k / 2;
                for (int i = 0; i < p.get(k).length; i++) {
                    int fl = layer;
                    double fd = centralDifference(p, k, i, q -> losses(q, pos, neg, theta, obj)[fl]);
                    assertEquals(fd, g.get(k)[i], 1e-4 + 1e-3 * Math.abs(fd),
                            obj + ": d loss_" + layer + " / d param " + k + "[" + i + "]");
                    checked++;
                }
            }
            assertTrue(checked == (3 * in0 + 3) + (2 * 3 + 2));
            // hand derivation for the last layer's bias: dL/db_j = Σ_rows s·σ(s·z)·(2 h_j / n_units)·1[h_j>0] / rows
            // is covered by the finite differences above; the layer-1 gradient must not depend on layer 0's loss:
            double[] lossesBefore = losses(p, pos, neg, theta, obj);
            assertTrue(lossesBefore[1] > 0);
        }
    }

    /**
     * FFLib's layer order ({@code Net(..., sequential = true)}): one training step equals, in double
     * precision, layer 0's Adam step on its own loss, then layer 1's Adam step on its loss computed
     * from layer 0's UPDATED output, with finite-difference gradients of the Java loss. The same
     * reference with layer 0's old weights (the default order) must differ, so the test can tell them apart.
     */
    @Test
    void sequentialLayerUpdatesFollowFflibsOrder() {
        Objective obj = Objective.MINIMIZE;
        float theta = 0.3f;
        float lr = 1f;
        Random rng = new Random(11);
        int n = 6;
        Batch batch = Batch.random(rng, n);
        float[] px = batch.px;
        int[] y = batch.y;
        double[][] pos = batch.pos;
        double[][] neg = batch.neg;
        List<float[]> params = randomParams(rng, 0f);
        List<float[]> tfAfter;
        float[] tfLosses;
        try (Net net = new Net(Architecture.FFNN, obj, D, L, W, theta, lr, EPS, n, Device.CPU,
                new Net.FfOptions(true, false, 0f));
             Net.BatchFeed f = net.batchFeed(n)) {
            net.setParams(params);
            net.loadTrainingImages(new Dataset("examples", D, L, px, y));
            batch.feed(f);
            net.trainStep(f, 1);
            tfAfter = net.getParams();
            tfLosses = net.lossSums();
        }
        List<double[]> p = doubles(params);
        double lossBefore = losses(p, pos, neg, theta, obj)[1]; // layer 1's loss on layer 0's old output
        adamFirstStep(p, 0, pos, neg, theta, obj, lr);
        double lossAfter = losses(p, pos, neg, theta, obj)[1]; // on layer 0's updated output: what FFLib trains on
        adamFirstStep(p, 1, pos, neg, theta, obj, lr); // layer 1 learns from the updated layer 0
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < p.get(k).length; i++) {
                assertEquals(p.get(k)[i], tfAfter.get(k)[i], 2e-4 * lr, "param " + k + "[" + i + "]");
            }
        }
        assertEquals(lossAfter, tfLosses[1], 1e-5 * Math.max(1, lossAfter), "layer 1's loss is on the updated input");
        assertTrue(Math.abs(lossAfter - lossBefore) > 1e-4, "the two orders must differ by far more than the tolerance: " + lossBefore + " vs " + lossAfter);
    }

    /**
     * Factored (low-rank) layers (docs/algorithms.md "Low-rank layers"): the variables are U and V
     * with W = U·V, and TensorFlow's losses and gradients with respect to every entry of U, V and b
     * equal the Java reference's on the product (its losses, central differences), for both objectives.
     * A layer's factors must get only its own loss's gradient.
     */
    @Test
    void factoredLayerGradientsMatchFiniteDifferences() {
        int[] ranks = {2, 1};
        for (Objective obj : Objective.values()) {
            { // the default layer order (gradients() is for it; FFLib's order: factoredLayersFollowFflibsOrder)
                boolean sequential = false;
                Random rng = new Random(13);
                int n = 5;
                Batch batch = Batch.random(rng, n);
                float theta = 0.3f;
                try (Net net = new Net(Architecture.FFNN, obj, D, L, W, theta, Optimizer.adam(0.01f), EPS, n, Device.CPU,
                        new Net.FfOptions(sequential, false, 0f, 0f, false, false).withRanks(ranks));
                     Net.BatchFeed f = net.batchFeed(n)) {
                    List<long[]> shapes = net.paramShapes();
                    long[][] expect = {{3, 2}, {2, D + L}, {3}, {2, 1}, {1, 3}, {2}};
                    assertEquals(expect.length, shapes.size());
                    List<float[]> params = new ArrayList<>();
                    for (int k = 0; k < expect.length; k++) {
                        assertEquals(java.util.Arrays.toString(expect[k]), java.util.Arrays.toString(shapes.get(k)));
                        float[] a = new float[(int) (expect[k].length == 2 ? expect[k][0] * expect[k][1] : expect[k][0])];
                        for (int i = 0; i < a.length; i++) {
                            a[i] = (float) (rng.nextGaussian() * 1.2);
                        }
                        params.add(a);
                    }
                    net.setParams(params);
                    net.loadTrainingImages(new Dataset("examples", D, L, batch.px, batch.y));
                    batch.feed(f);
                    float[] tfLoss = new float[W.length];
                    List<float[]> g = net.gradients(f, tfLoss);
                    List<double[]> p = doubles(params);
                    double[] ref = losses(product(p, ranks), batch.pos, batch.neg, theta, obj);
                    for (int l = 0; l < W.length; l++) {
                        assertEquals(ref[l], tfLoss[l], 1e-5 * Math.max(1, Math.abs(ref[l])), "loss of layer " + l);
                    }
                    for (int k = 0; k < p.size(); k++) {
                        for (int layer = 0; layer < W.length; layer++) {
                            for (int i = 0; i < p.get(k).length; i++) {
                                int fl = layer;
                                double fd = centralDifference(p, k, i, q -> losses(product(q, ranks), batch.pos, batch.neg, theta, obj)[fl]);
                                if (layer == (k < 3 ? 0 : 1)) {
                                    assertEquals(fd, g.get(k)[i], 1e-4 + 1e-3 * Math.abs(fd),
                                            obj + " sequential " + sequential + ": d loss_" + layer + " / d param " + k + "[" + i + "]");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * FFLib's layer order with factored layers: one step equals Adam's first step on layer 0's U, V, b
     * (finite-difference gradients of its loss on the product), then on layer 1's from its loss on
     * layer 0's updated output.
     */
    @Test
    void factoredLayersFollowFflibsOrder() {
        int[] ranks = {2, 1};
        Objective obj = Objective.MINIMIZE;
        float theta = 0.3f;
        float lr = 1f;
        Random rng = new Random(17);
        int n = 6;
        Batch batch = Batch.random(rng, n);
        long[][] shapes = {{3, 2}, {2, D + L}, {3}, {2, 1}, {1, 3}, {2}};
        List<float[]> params = new ArrayList<>();
        for (long[] sh : shapes) {
            float[] a = new float[(int) (sh.length == 2 ? sh[0] * sh[1] : sh[0])];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rng.nextGaussian() * 1.2);
            }
            params.add(a);
        }
        List<float[]> tfAfter;
        try (Net net = new Net(Architecture.FFNN, obj, D, L, W, theta, Optimizer.adam(lr), EPS, n, Device.CPU,
                new Net.FfOptions(true, false, 0f, 0f, false, false).withRanks(ranks));
             Net.BatchFeed f = net.batchFeed(n)) {
            net.setParams(params);
            net.loadTrainingImages(new Dataset("examples", D, L, batch.px, batch.y));
            batch.feed(f);
            net.trainStep(f, 1);
            tfAfter = net.getParams();
        }
        List<double[]> p = doubles(params);
        for (int layer = 0; layer < 2; layer++) {
            List<double[]> next = new ArrayList<>();
            for (int k = 3 * layer; k < 3 * layer + 3; k++) {
                double[] out = p.get(k).clone();
                for (int i = 0; i < out.length; i++) {
                    int fl = layer;
                    double g = centralDifference(p, k, i, q -> losses(product(q, ranks), batch.pos, batch.neg, theta, obj)[fl]);
                    out[i] = p.get(k)[i] - lr * g / (Math.abs(g) + 1e-8 / Math.sqrt(1 - 0.999));
                }
                next.add(out);
            }
            for (int k = 0; k < 3; k++) {
                p.set(3 * layer + k, next.get(k));
            }
        }
        for (int k = 0; k < p.size(); k++) {
            for (int i = 0; i < p.get(k).length; i++) {
                assertEquals(p.get(k)[i], tfAfter.get(k)[i], 2e-4 * lr, "param " + k + "[" + i + "]");
            }
        }
    }

    /** [U0, V0, b0, U1, V1, b1] → [W0 = U0·V0, b0, W1 = U1·V1, b1], in double. */
    private static List<double[]> product(List<double[]> p, int[] ranks) {
        List<double[]> out = new ArrayList<>();
        int in = D + L;
        for (int l = 0; l < W.length; l++) {
            double[] u = p.get(3 * l);
            double[] v = p.get(3 * l + 1);
            double[] w = new double[W[l] * in];
            for (int j = 0; j < W[l]; j++) {
                for (int i = 0; i < in; i++) {
                    for (int k = 0; k < ranks[l]; k++) {
                        w[j * in + i] += u[j * ranks[l] + k] * v[k * in + i];
                    }
                }
            }
            out.add(w);
            out.add(p.get(3 * l + 2));
            in = W[l];
        }
        return out;
    }

    /** Adam's first step (TF's ε placement) on layer {@code l}'s W and b with finite-difference gradients of its loss. */
    private static void adamFirstStep(List<double[]> p, int l, double[][] pos, double[][] neg, double theta,
                                      Objective obj, double lr) {
        double[] w = stepped(p, l, pos, neg, theta, obj, lr);
        double[] b = steppedBias(p, l, pos, neg, theta, obj, lr);
        p.set(2 * l, w);
        p.set(2 * l + 1, b);
    }

    private static double[] stepped(List<double[]> p, int l, double[][] pos, double[][] neg, double theta,
                                    Objective obj, double lr) {
        return step(p, 2 * l, l, pos, neg, theta, obj, lr);
    }

    private static double[] steppedBias(List<double[]> p, int l, double[][] pos, double[][] neg, double theta,
                                        Objective obj, double lr) {
        return step(p, 2 * l + 1, l, pos, neg, theta, obj, lr);
    }

    /**
     * Parameter k after one Adam step of the loss of layer {@code layer}: with t = 1, TF's ApplyAdam moves
     * by lr·√(1−β2)/(1−β1) · (1−β1)g / (√((1−β2)g²) + ε) = lr·g / (|g| + ε/√(1−β2)).
     */
    private static double[] step(List<double[]> p, int k, int layer, double[][] pos, double[][] neg, double theta,
                                 Objective obj, double lr) {
        double[] out = p.get(k).clone();
        for (int i = 0; i < out.length; i++) {
            int fl = layer;
            double g = centralDifference(p, k, i, q -> losses(q, pos, neg, theta, obj)[fl]);
            out[i] = p.get(k)[i] - lr * g / (Math.abs(g) + 1e-8 / Math.sqrt(1 - 0.999));
        }
        return out;
    }

    /**
     * Paper 000's BP/FF ({@code endToEnd}): TensorFlow's gradient is that of the SUM of the layers'
     * losses through all layers, checked by finite differences of the Java reference; layer 0's
     * gradient then differs from its local one (the test asserts it does somewhere).
     */
    @Test
    void endToEndGradientIsTheTotalLossGradient() {
        Objective obj = Objective.MAXIMIZE;
        float theta = 0.3f;
        Random rng = new Random(13);
        int n = 5;
        Batch batch = Batch.random(rng, n);
        float[] px = batch.px;
        int[] y = batch.y;
        double[][] pos = batch.pos;
        double[][] neg = batch.neg;
        List<float[]> params = randomParams(rng, 0f);
        for (int j = 0; j < params.get(3).length; j++) {
            params.get(3)[j] = Math.abs(params.get(3)[j]) + 1f; // layer 1 alive, so its loss depends on layer 0
        }
        List<float[]> g;
        List<float[]> local;
        float[] losses = new float[W.length];
        for (boolean e2e : new boolean[] {true, false}) {
            try (Net net = new Net(Architecture.FFNN, obj, D, L, W, theta, 0.01f, EPS, n, Device.CPU,
                    new Net.FfOptions(false, e2e, 0f));
                 Net.BatchFeed f = net.batchFeed(n)) {
                net.setParams(params);
                net.loadTrainingImages(new Dataset("examples", D, L, px, y));
                batch.feed(f);
                if (e2e) {
                    g = net.gradients(f, losses);
                    local = null;
                    check(g, params, pos, neg, theta, obj);
                } else {
                    local = net.gradients(f, losses);
                    g = null;
                }
            }
            if (!e2e) {
                // the local gradient of layer 0 lacks loss 1's contribution: it must differ from the end-to-end one
                List<double[]> p = doubles(params);
                double most = 0;
                for (int i = 0; i < p.get(0).length; i++) {
                    most = Math.max(most, Math.abs(totalGradient(p, 0, i, pos, neg, theta, obj) - local.get(0)[i]));
                }
                assertTrue(most > 3e-4, "layer 1's loss must reach layer 0's weights end to end (" + most + ")");
            }
        }
    }

    private static void check(List<float[]> g, List<float[]> params, double[][] pos, double[][] neg, double theta,
                              Objective obj) {
        List<double[]> p = doubles(params);
        for (int k = 0; k < p.size(); k++) {
            for (int i = 0; i < p.get(k).length; i++) {
                double fd = totalGradient(p, k, i, pos, neg, theta, obj);
                assertEquals(fd, g.get(k)[i], 1e-4 + 1e-3 * Math.abs(fd), "d (loss 0 + loss 1) / d param " + k + "[" + i + "]");
            }
        }
    }

    /** Central finite difference of the summed layer losses. */
    private static double totalGradient(List<double[]> p, int k, int i, double[][] pos, double[][] neg, double theta,
                                        Objective obj) {
        return centralDifference(p, k, i, q -> {
            double[] l = losses(q, pos, neg, theta, obj);
            return l[0] + l[1];
        });
    }

    /** Central difference (step 1e-6) of {@code loss} with respect to p[k][i]; p is left as it was. */
    static double centralDifference(List<double[]> p, int k, int i, java.util.function.ToDoubleFunction<List<double[]>> loss) {
        double old = p.get(k)[i];
        double h = 1e-6;
        p.get(k)[i] = old + h;
        double up = loss.applyAsDouble(p);
        p.get(k)[i] = old - h;
        double down = loss.applyAsDouble(p);
        p.get(k)[i] = old;
        return (up - down) / (2 * h);
    }

    /** The parameters in double precision, for the Java reference. */
    private static List<double[]> doubles(List<float[]> params) {
        List<double[]> p = new ArrayList<>();
        for (float[] a : params) {
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                d[i] = a[i];
            }
            p.add(d);
        }
        return p;
    }

    /**
     * Peer normalisation: from the reset state (running means 0), layer l's loss is its FF loss plus
     * λ·mean_j (mean_k m_k − m_j)² with m = 0.1 · the mean of h over the positive rows; TensorFlow's
     * per-layer losses and gradients equal that Java reference (finite differences), and after the
     * step the running mean of layer 0 holds m (computed with the weights before the step).
     */
    @Test
    void peerNormalisationAddsItsTermAndKeepsTheRunningMean() {
        Objective obj = Objective.MINIMIZE;
        float theta = 0.3f;
        float lambda = 0.5f;
        Random rng = new Random(17);
        int n = 5;
        Batch batch = Batch.random(rng, n);
        float[] px = batch.px;
        int[] y = batch.y;
        double[][] pos = batch.pos;
        double[][] neg = batch.neg;
        List<float[]> params = randomParams(rng, 1f);
        List<double[]> p = doubles(params);
        float[] tfLoss = new float[W.length];
        List<float[]> g;
        List<float[]> state;
        try (Net net = new Net(Architecture.FFNN, obj, D, L, W, theta, 0.01f, EPS, n, Device.CPU,
                new Net.FfOptions(false, false, lambda)); Net.BatchFeed f = net.batchFeed(n)) {
            net.setParams(params);
            net.loadTrainingImages(new Dataset("examples", D, L, px, y));
            batch.feed(f);
            g = net.gradients(f, tfLoss);
            net.trainStep(f, 1);
            state = net.getOptimizerState();
        }
        double[] ref = peerLosses(p, pos, neg, theta, obj, lambda);
        double[] plain = losses(p, pos, neg, theta, obj);
        for (int l = 0; l < W.length; l++) {
            assertEquals(ref[l], tfLoss[l], 1e-5 * Math.max(1, Math.abs(ref[l])), "loss of layer " + l);
        }
        assertTrue(ref[0] - plain[0] > 1e-3, "the peer term must weigh here: " + (ref[0] - plain[0]));
        for (int k = 0; k < p.size(); k++) {
            for (int i = 0; i < p.get(k).length; i++) {
                int fl = k / 2;
                double fd = centralDifference(p, k, i, q -> peerLosses(q, pos, neg, theta, obj, lambda)[fl]);
                assertEquals(fd, g.get(k)[i], 1e-4 + 1e-3 * Math.abs(fd), "d loss / d param " + k + "[" + i + "]");
            }
        }
        double[] m0 = runningMean(p, pos, 0);
        for (int j = 0; j < W[0]; j++) {
            assertEquals(m0[j], state.get(0)[j], 1e-5, "running mean of layer 0, unit " + j);
        }
    }

    /**
     * --ff-loss pairwise (paper 000): layer l's loss is the mean over the batch's images of
     * softplus(s·β·(z_neg − z_pos)), z = mean h² − θ, s = +1 maximize, −1 minimize; TensorFlow's
     * per-layer losses and gradients equal this double-precision reference (finite differences).
     */
    @Test
    void pairwiseLossAndItsGradients() {
        pairwise(false);
    }

    /** The same with paper 000's goodness G = ‖h‖ ({@code --goodness norm}) in place of z. */
    @Test
    void pairwiseLossOnTheNormAndItsGradients() {
        pairwise(true);
    }

    private void pairwise(boolean norm) {
        for (Objective obj : Objective.values()) {
            float beta = 4f;
            Random rng = new Random(23 + obj.ordinal());
            int n = 5;
            Batch batch = Batch.random(rng, n);
            List<float[]> params = randomParams(rng, 1f);
            List<double[]> p = doubles(params);
            float[] tfLoss = new float[W.length];
            List<float[]> g;
            try (Net net = new Net(Architecture.FFNN, obj, D, L, W, 0.3f, 0.01f, EPS, n, Device.CPU,
                    new Net.FfOptions(false, false, 0f, beta, false, norm)); Net.BatchFeed f = net.batchFeed(n)) {
                net.setParams(params);
                net.loadTrainingImages(new Dataset("examples", D, L, batch.px, batch.y));
                batch.feed(f);
                g = net.gradients(f, tfLoss);
            }
            double s = obj == Objective.MAXIMIZE ? beta : -beta;
            for (int l = 0; l < W.length; l++) {
                double ref = pairwiseLoss(p, batch, l, s, norm);
                assertEquals(ref, tfLoss[l], 1e-5 * Math.max(1, Math.abs(ref)), obj + " pairwise loss of layer " + l);
            }
            for (int k = 0; k < p.size(); k++) {
                for (int i = 0; i < p.get(k).length; i += 3) {
                    int fl = k / 2;
                    double fd = centralDifference(p, k, i, q -> pairwiseLoss(q, batch, fl, s, norm));
                    assertEquals(fd, g.get(k)[i], 1e-4 + 1e-3 * Math.abs(fd), obj + " d loss / d param " + k + "[" + i + "]");
                }
            }
        }
    }

    private static double pairwiseLoss(List<double[]> p, Batch batch, int layer, double s, boolean norm) {
        double[][] hp = positiveActivations(p, batch.pos, layer);
        double[][] hn = positiveActivations(p, batch.neg, layer);
        double total = 0;
        for (int i = 0; i < hp.length; i++) {
            double gn = norm ? Math.sqrt(meanSquare(hn[i]) * hn[i].length) : meanSquare(hn[i]);
            double gp = norm ? Math.sqrt(meanSquare(hp[i]) * hp[i].length) : meanSquare(hp[i]);
            total += softplusD(s * (gn - gp));
        }
        return total / hp.length;
    }

    private static double meanSquare(double[] h) {
        double m = 0;
        for (double v : h) {
            m += v * v;
        }
        return m / h.length;
    }

    private static double softplusD(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    /** Layer l's h on every positive row, with the weights {@code p} (as in {@link #losses}). */
    private static double[][] positiveActivations(List<double[]> p, double[][] pos, int layer) {
        double[][] out = new double[pos.length][];
        for (int r = 0; r < pos.length; r++) {
            double[] x = pos[r];
            for (int l = 0; l <= layer; l++) {
                double nrm = 0;
                for (double v : x) {
                    nrm += v * v;
                }
                nrm = Math.sqrt(nrm) + EPS;
                double[] h = new double[W[l]];
                for (int j = 0; j < W[l]; j++) {
                    double a = p.get(2 * l + 1)[j];
                    for (int i = 0; i < x.length; i++) {
                        a += p.get(2 * l)[j * x.length + i] * x[i] / nrm;
                    }
                    h[j] = Math.max(a, 0);
                }
                x = h;
            }
            out[r] = x;
        }
        return out;
    }

    /** m = 0.1 · mean over the positive rows of layer l's h (the running mean after one step from 0). */
    private static double[] runningMean(List<double[]> p, double[][] pos, int layer) {
        double[][] h = positiveActivations(p, pos, layer);
        double[] m = new double[W[layer]];
        for (double[] row : h) {
            for (int j = 0; j < m.length; j++) {
                m[j] += (1 - Net.PEER_MOMENTUM) * row[j] / h.length;
            }
        }
        return m;
    }

    private static double[] peerLosses(List<double[]> p, double[][] pos, double[][] neg, double theta, Objective obj,
                                       double lambda) {
        double[] out = losses(p, pos, neg, theta, obj);
        for (int l = 0; l < W.length; l++) {
            double[] m = runningMean(p, pos, l);
            double mean = 0;
            for (double v : m) {
                mean += v / m.length;
            }
            double peer = 0;
            for (double v : m) {
                peer += (mean - v) * (mean - v) / m.length;
            }
            out[l] += lambda * peer;
        }
        return out;
    }

    /** n random images with random labels, and the Java reference's positive and negative rows. */
    private static final class Batch {
        final float[] px;
        final int[] y;
        final double[][] pos;
        final double[][] neg;

        private Batch(float[] px, int[] y, double[][] pos, double[][] neg) {
            this.px = px;
            this.y = y;
            this.pos = pos;
            this.neg = neg;
        }

        static Batch random(Random rng, int n) {
            float[] px = new float[n * D];
            int[] y = new int[n];
            for (int i = 0; i < px.length; i++) {
                px[i] = rng.nextFloat();
            }
            for (int i = 0; i < n; i++) {
                y[i] = rng.nextInt(L);
            }
            double[][] pos = new double[n][D + L];
            double[][] neg = new double[n][D + L];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < D; k++) {
                    pos[i][k] = px[i * D + k];
                    neg[i][k] = px[i * D + k];
                }
                pos[i][D + y[i]] = 1;
                neg[i][D + 1 - y[i]] = 1;
            }
            return new Batch(px, y, pos, neg);
        }

        /** Every example once, its wrong label the other one (L = 2). */
        void feed(Net.BatchFeed f) {
            for (int i = 0; i < y.length; i++) {
                f.index[i] = i;
                f.label[i] = y[i];
                f.negative[i] = 1 - y[i];
            }
        }
    }

    /** W0, b0, W1, b1 for image 4 + 2 labels → 3 → 2, N(0, 1.5²), biases shifted by {@code biasShift}. */
    private static List<float[]> randomParams(Random rng, float biasShift) {
        List<float[]> params = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            int len = k == 0 ? 3 * (D + L) : k == 1 ? 3 : k == 2 ? 2 * 3 : 2;
            float[] a = new float[len];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rng.nextGaussian() * 1.5) + (k % 2 == 1 ? biasShift : 0f);
            }
            params.add(a);
        }
        return params;
    }
}
