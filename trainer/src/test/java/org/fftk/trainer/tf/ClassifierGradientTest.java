package org.fftk.trainer.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fftk.edge.model.Model;
import org.fftk.trainer.TrainConfig.Device;
import org.fftk.edge.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * ffnn-c's classifier phase: TensorFlow's gradient of the mean softmax cross-entropy w.r.t. the
 * classifier's W and b against central finite differences of an independent double-precision Java
 * implementation (features from image ⊕ zero label through the frozen FF layers), on a tiny problem
 * (image 4 + 3 labels → 3 → 2, classifier 3 × 5). The loss values must agree too.
 */
class ClassifierGradientTest {
    static final int D = 4;
    static final int L = 3;
    static final int[] W = {3, 2};
    static final double EPS = Model.DEFAULT_NORM_EPSILON;

    static double loss(List<double[]> p, double[][] x, int[] y) {
        double total = 0;
        int nf = W[0] + W[1];
        for (int s = 0; s < x.length; s++) {
            double[] in = new double[D + L];
            System.arraycopy(x[s], 0, in, 0, D);
            double[] feats = new double[nf];
            int at = 0;
            for (int l = 0; l < W.length; l++) {
                double nrm = 0;
                for (double v : in) {
                    nrm += v * v;
                }
                nrm = Math.sqrt(nrm) + EPS;
                double[] h = new double[W[l]];
                for (int j = 0; j < W[l]; j++) {
                    double a = p.get(2 * l + 1)[j];
                    for (int i = 0; i < in.length; i++) {
                        a += p.get(2 * l)[j * in.length + i] * in[i] / nrm;
                    }
                    h[j] = Math.max(a, 0);
                    feats[at++] = h[j];
                }
                in = h;
            }
            double[] logit = new double[L];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < L; c++) {
                logit[c] = p.get(5)[c];
                for (int k = 0; k < nf; k++) {
                    logit[c] += p.get(4)[c * nf + k] * feats[k];
                }
                max = Math.max(max, logit[c]);
            }
            double se = 0;
            for (int c = 0; c < L; c++) {
                se += Math.exp(logit[c] - max);
            }
            total += Math.log(se) + max - logit[y[s]];
        }
        return total / x.length;
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Random rng = new Random(3);
        int n = 5;
        float[] px = new float[n * D];
        double[][] x = new double[n][D];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < D; i++) {
                px[s * D + i] = rng.nextFloat();
                x[s][i] = px[s * D + i];
            }
            y[s] = rng.nextInt(L);
        }
        int[][] shapes = {{W[0], D + L}, {W[0]}, {W[1], W[0]}, {W[1]}, {L, W[0] + W[1]}, {L}};
        List<float[]> pf = new ArrayList<>();
        List<double[]> pd = new ArrayList<>();
        for (int[] sh : shapes) {
            int sz = sh.length == 2 ? sh[0] * sh[1] : sh[0];
            float[] a = new float[sz];
            double[] d = new double[sz];
            // FF biases positive, so that most features are active (non-zero) and carry a gradient
            boolean ffBias = sh.length == 1 && pf.size() < 4;
            for (int i = 0; i < sz; i++) {
                a[i] = (float) (ffBias ? 0.2 + rng.nextDouble() : rng.nextDouble() * 2 - 1);
                d[i] = a[i];
            }
            pf.add(a);
            pd.add(d);
        }
        try (ClassifierNet net = new ClassifierNet(D, L, W, Model.DEFAULT_NORM_EPSILON, 1e-3f, n, Device.CPU);
             GraphNet.BatchFeed f = net.batchFeed(n)) {
            net.setParams(pf);
            net.loadTrainingImages(new Dataset("examples", D, L, px, y));
            for (int s = 0; s < n; s++) {
                f.index[s] = s;
                f.label[s] = y[s];
            }
            float[] lossOut = new float[1];
            List<float[]> g = net.gradients(f, lossOut);
            assertEquals(loss(pd, x, y), lossOut[0], 1e-5, "loss");
            double h = 1e-5;
            int checked = 0;
            for (int k = 0; k < 2; k++) {
                double[] v = pd.get(4 + k);
                for (int i = 0; i < v.length; i++) {
                    double old = v[i];
                    v[i] = old + h;
                    double up = loss(pd, x, y);
                    v[i] = old - h;
                    double down = loss(pd, x, y);
                    v[i] = old;
                    double fd = (up - down) / (2 * h);
                    assertEquals(fd, g.get(k)[i], 1e-5 + 1e-4 * Math.abs(fd), (k == 0 ? "W" : "b") + "[" + i + "]");
                    checked += Math.abs(fd) > 1e-3 ? 1 : 0;
                }
            }
            assertTrue(checked >= 10, "most gradient entries are non-trivial: " + checked);
            // a training step changes only the classifier
            net.trainStep(f, 1);
            List<float[]> after = net.getParams();
            for (int k = 0; k < 4; k++) {
                assertTrue(java.util.Arrays.equals(pf.get(k), after.get(k)), "FF parameter " + k + " is frozen");
            }
            assertTrue(!java.util.Arrays.equals(pf.get(4), after.get(4)), "classifier weight moved");
        }
    }
}
