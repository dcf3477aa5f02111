package org.fftk.trainer.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig.Device;
import org.junit.jupiter.api.Test;

/**
 * SGD with momentum and weight decay (paper 004's optimizer): two steps of the training graph equal
 * PyTorch's rule applied by hand to the graph's own gradients (themselves checked against finite
 * differences in FfGradientTest): v₁ = g₁ + wd·w₀, w₁ = w₀ − lr·v₁; v₂ = μ·v₁ + g₂ + wd·w₁, w₂ = w₁ − lr·v₂.
 */
class SgdTest {
    @Test
    void twoStepsFollowPyTorchsMomentumRule() {
        int d = 4;
        int labels = 2;
        int[] widths = {3, 2};
        float lr = 0.05f;
        float mu = 0.9f;
        float wd = 0.01f;
        Random rng = new Random(5);
        int n = 6;
        float[] px = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(labels);
        }
        for (Architecture arch : new Architecture[] {Architecture.FFNN, Architecture.BPNN}) {
            try (Net net = new Net(arch, Objective.MAXIMIZE, d, labels, widths, 0.3f,
                    new Optimizer(Optimizer.Kind.SGD, lr, mu, wd), 1e-4f, n, Device.CPU, Net.FfOptions.DEFAULT);
                 GraphNet.BatchFeed f = net.batchFeed(n)) {
                List<float[]> w0 = new ArrayList<>();
                for (long[] s : net.paramShapes()) {
                    float[] a = new float[(int) (s.length == 2 ? s[0] * s[1] : s[0])];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) rng.nextGaussian() + (s.length == 1 ? 0.5f : 0f);
                    }
                    w0.add(a);
                }
                net.setParams(w0);
                net.loadTrainingImages(new Dataset("examples", d, labels, px, y));
                for (int i = 0; i < n; i++) {
                    f.index[i] = i;
                    f.label[i] = y[i];
                    f.negative[i] = 1 - y[i];
                }
                float[] losses = new float[widths.length];
                List<float[]> g1 = net.gradients(f, losses);
                net.trainStep(f, 1);
                List<float[]> w1 = net.getParams();
                List<float[]> g2 = net.gradients(f, losses);
                net.trainStep(f, 2);
                List<float[]> w2 = net.getParams();
                for (int k = 0; k < w0.size(); k++) {
                    for (int i = 0; i < w0.get(k).length; i++) {
                        double v1 = g1.get(k)[i] + wd * (double) w0.get(k)[i];
                        double e1 = w0.get(k)[i] - lr * v1;
                        assertEquals(e1, w1.get(k)[i], 1e-5 * Math.max(1, Math.abs(e1)), arch + " step 1, param " + k + "[" + i + "]");
                        double v2 = mu * v1 + g2.get(k)[i] + wd * (double) w1.get(k)[i];
                        double e2 = w1.get(k)[i] - lr * v2;
                        assertEquals(e2, w2.get(k)[i], 1e-5 * Math.max(1, Math.abs(e2)), arch + " step 2, param " + k + "[" + i + "]");
                    }
                }
            }
        }
    }
}
