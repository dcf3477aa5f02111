package org.fftk.trainer.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig.Device;
import org.fftk.edge.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * The ffrnn training graph runs the same dynamics as the shipped model: with the weights left
 * unchanged, Σ over frames 3..8 and layers of softplus(z) of the training graph's positive rows
 * (label c clamped) and negative rows equals the edge runtime's score for label c (its independent
 * Java implementation of docs/algorithms.md "Architectures"), for 3 layers, on random weights and images.
 */
class RecurrentDynamicsTest {
    static final int D = 6;
    static final int L = 3;
    static final int[] W = {5, 4, 3};

    @Test
    void trainingGraphFramesMatchEdgeRuntimeScores() {
        Random rng = new Random(5);
        int n = 4;
        float theta = 0.05f;
        float[] px = new float[n * D];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextFloat();
        }
        int[] y = new int[n];
        List<float[]> p = new ArrayList<>();
        Model.Builder b = Model.builder(Architecture.FFRNN).inputSize(D).numLabels(L).theta(theta)
                .objective(Objective.MINIMIZE).beta(0.7f).testFrames(3, 8);
        for (int i = 0; i < W.length; i++) {
            int in = i == 0 ? D : W[i - 1];
            int above = i == W.length - 1 ? L : W[i + 1];
            float[] wf = rand(rng, W[i] * in);
            float[] bias = rand(rng, W[i]);
            float[] wb = rand(rng, W[i] * above);
            p.add(wf);
            p.add(bias);
            p.add(wb);
            b.addLayer(new DenseLayer(W[i], in, wf, bias, above, wb));
        }
        Model m = b.build();
        float[] edge = new float[n * L];
        Inference.predictor(m).scores(px, 0, n, edge);

        try (RecurrentNet net = new RecurrentNet(Objective.MINIMIZE, D, L, W, theta, 0.7f, 0.01f,
                Model.DEFAULT_NORM_EPSILON, n, Device.CPU);
             GraphNet.BatchFeed f = net.batchFeed(n)) {
            net.setParams(p);
            net.loadTrainingImages(new Dataset("examples", D, L, px, y));
            double maxErr = 0;
            for (int c = 0; c < L; c++) {
                for (int s = 0; s < n; s++) {
                    f.index[s] = s;
                    f.label[s] = c;
                    f.negative[s] = (c + 1) % L;
                }
                net.start(f);
                float[][][] z = net.goodness(f, 8);
                for (int s = 0; s < n; s++) {
                    double pos = 0;
                    double neg = 0;
                    for (int t = 3; t <= 8; t++) {
                        for (int i = 0; i < W.length; i++) {
                            pos += softplus(z[t - 1][i][s]);
                            neg += softplus(z[t - 1][i][n + s]);
                        }
                    }
                    float want = edge[s * L + c];
                    float wantNeg = edge[s * L + (c + 1) % L];
                    assertEquals(want, pos, 1e-4 * Math.max(1, Math.abs(want)), "image " + s + " label " + c);
                    assertEquals(wantNeg, neg, 1e-4 * Math.max(1, Math.abs(wantNeg)), "negative row, image " + s);
                    maxErr = Math.max(maxErr, Math.abs(want - pos));
                }
            }
            // the scores are not trivially equal across labels (the label reaches every layer by frame 3)
            assertTrue(Math.abs(edge[0] - edge[1]) > 1e-3, "scores differ between labels: " + edge[0] + " " + edge[1]);
        }
    }

    private static float[] rand(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    private static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }
}
