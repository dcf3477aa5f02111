package org.fftk.trainer.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.infer.LayerSink;
import org.fftk.edge.infer.Trace;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.ConvShape;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig.Device;
import org.junit.jupiter.api.Test;

/**
 * ffcnn's training graph computes the layers the model file will hold (docs/algorithms.md
 * "FF-CNN"): with the same weights, TensorFlow's per-layer FF losses on a batch (NHWC, padded,
 * transposed weights, the label patterns mixed in) equal the losses computed from the edge
 * runtime's traced activations of the same images and labels, softplus(∓N·(mean h² − θ)) (or with
 * N = 1, the mean form) averaged over the positive and negative rows; and a layer before
 * --loss-from does not move.
 */
class ConvGraphTest {
    @Test
    void trainingLossesAreThoseOfTheEdgeRuntimesLayers() {
        for (Objective obj : Objective.values()) {
            Random r = new Random(obj.ordinal() + 3);
            ConvShape cs = new ConvShape(2, 6, 5, new int[] {3, 3, 2}, new int[] {1, 2, 1}, new int[] {1, 1, 0});
            int[] f = {4, 3, 2};
            int d = cs.inputSize();
            int labels = 3;
            float[] pat = uniform(r, labels * d);
            float theta = 0.3f;
            Model.Builder b = Model.builder(Architecture.FFCNN).inputSize(d).numLabels(labels).conv(cs).labelPatterns(pat)
                    .labelIntensity(0.4f).theta(theta).objective(obj);
            randomLayers(b, r, cs, f, 1, 0.3);
            Model m = b.build();
            int n = 5;
            Batch batch = Batch.random(r, n, d, labels);
            float[] px = batch.px();
            int[] y = batch.y();
            int[] wrong = batch.wrong();
            double[][][] z = edgeZ(m, px, n);
            double sign = obj == Objective.MAXIMIZE ? 1 : -1;
            boolean sum = obj == Objective.MAXIMIZE; // paper 002's sum form with maximize, the mean form with minimize
            try (Net net = new Net(Architecture.FFCNN, obj, d, labels, f, theta, Optimizer.adam(0.01f), m.normEpsilon(), n,
                    Device.CPU, Net.FfOptions.DEFAULT, new Net.Conv(cs, pat, 0.4f, 1, sum))) {
                net.setParams(m.parameters());
                net.loadTrainingImages(new Dataset("examples", d, labels, px, y));
                try (GraphNet.BatchFeed feed = net.batchFeed(n)) {
                    batch.feed(feed);
                    float[] tf = new float[3];
                    List<float[]> grads = net.gradients(feed, tf);
                    if (!sum) {
                        // the mean form is smooth enough for central differences of the edge runtime's
                        // float32 losses: with the gradient stopped between layers, TensorFlow's gradient
                        // w.r.t. layer l's weights and biases is that of layer l's own loss (l = 1, 2;
                        // layer 0's loss carries weight 0 here)
                        Random pick = new Random(9);
                        for (int t = 0; t < 12; t++) {
                            int k = 2 + pick.nextInt(4);
                            int i = pick.nextInt(grads.get(k).length);
                            double step = 1e-2;
                            double up = lossAt(m, k, i, step, px, n, y, wrong, sign, f);
                            double down = lossAt(m, k, i, -step, px, n, y, wrong, sign, f);
                            double fd = (up - down) / (2 * step);
                            assertEquals(fd, grads.get(k)[i], 2e-3 * Math.max(1, Math.abs(fd)),
                                    "d loss / d parameter " + k + "[" + i + "]");
                        }
                    }
                    for (int l = 0; l < 3; l++) {
                        double units = sum ? cs.units(l, f) : 1;
                        double total = 0;
                        for (int i = 0; i < n; i++) {
                            total += softplus(-sign * units * z[i][y[i]][l]) + softplus(sign * units * z[i][wrong[i]][l]);
                        }
                        double want = total / (2 * n);
                        assertEquals(want, tf[l], 1e-4 * Math.max(1, Math.abs(want)), obj + " layer " + l + " loss");
                    }
                    // --loss-from 1: one step moves layers 1 and 2 but not layer 0
                    net.trainStep(feed, 1);
                    List<float[]> after = net.getParams();
                    List<float[]> before = m.parameters();
                    assertEquals(0, maxDiff(before.get(0), after.get(0)), obj + ": layer 0 weights stay");
                    assertEquals(0, maxDiff(before.get(1), after.get(1)), obj + ": layer 0 bias stays");
                    assertTrue(maxDiff(before.get(2), after.get(2)) > 1e-4, obj + ": layer 1 learns");
                    assertTrue(maxDiff(before.get(4), after.get(4)) > 1e-4, obj + ": layer 2 learns");
                }
            }
        }
    }

    /**
     * --ff-loss pairwise (paper 000): each layer's loss is the mean over the batch's images of
     * softplus(s·β·(z_neg − z_pos)) with z from the edge runtime's trace (θ cancels); the sum form
     * multiplies z by the layer's units first.
     */
    @Test
    void pairwiseLossesAreThoseOfTheEdgeRuntimesLayers() {
        for (Objective obj : Objective.values()) {
            for (boolean sum : new boolean[] {false, true}) {
                Random r = new Random(obj.ordinal() * 2 + (sum ? 1 : 0) + 11);
                ConvShape cs = new ConvShape(1, 7, 6, new int[] {3, 3}, new int[] {1, 2}, new int[] {1, 0});
                int[] f = {3, 2};
                int d = cs.inputSize();
                int labels = 4;
                float[] pat = uniform(r, labels * d);
                Model.Builder b = Model.builder(Architecture.FFCNN).inputSize(d).numLabels(labels).conv(cs).labelPatterns(pat)
                        .labelIntensity(0.3f).theta(0.7f).objective(obj);
                randomLayers(b, r, cs, f, 0.5, 0.2);
                Model m = b.build();
                int n = 6;
                Batch batch = Batch.random(r, n, d, labels);
                float[] px = batch.px();
                int[] y = batch.y();
                int[] wrong = batch.wrong();
                double[][][] z = edgeZ(m, px, n);
                float beta = sum ? 0.05f : 3f;
                double s = obj == Objective.MAXIMIZE ? beta : -beta;
                try (Net net = new Net(Architecture.FFCNN, obj, d, labels, f, 0.7f, Optimizer.adam(0.01f), m.normEpsilon(), n,
                        Device.CPU, new Net.FfOptions(false, false, 0f, beta), new Net.Conv(cs, pat, 0.3f, 0, sum))) {
                    float[] tf = new float[2];
                    gradientsAt(net, m, batch, tf);
                    for (int l = 0; l < 2; l++) {
                        double units = sum ? cs.units(l, f) : 1;
                        double total = 0;
                        for (int i = 0; i < n; i++) {
                            total += softplus(s * units * (z[i][wrong[i]][l] - z[i][y[i]][l]));
                        }
                        double want = total / n;
                        assertEquals(want, tf[l], 1e-4 * Math.max(1, Math.abs(want)),
                                obj + (sum ? " sum" : " mean") + " layer " + l + " pairwise loss");
                    }
                }
            }
        }
    }

    /**
     * Morphological labels: TensorFlow gathers every row's transformed image by its label's map
     * (index D reading zero); the losses equal those from the edge runtime's traced z.
     */
    @Test
    void morphologyLabelsGiveTheEdgeRuntimesLosses() {
        Random r = new Random(41);
        ConvShape cs = new ConvShape(2, 5, 6, new int[] {3, 3}, new int[] {1, 2}, new int[] {1, 1});
        int[] f = {3, 2};
        int d = cs.inputSize();
        int labels = 3;
        int[] maps = new int[labels * d];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = r.nextInt(d + 1);
        }
        Model.Builder b = Model.builder(Architecture.FFCNN).inputSize(d).numLabels(labels).conv(cs).labelMaps(maps).theta(0.4f);
        randomLayers(b, r, cs, f, 0.6, 0);
        Model m = b.build();
        int n = 4;
        Batch batch = Batch.random(r, n, d, labels);
        float[] px = batch.px();
        int[] y = batch.y();
        int[] wrong = batch.wrong();
        double[][][] z = edgeZ(m, px, n);
        try (Net net = new Net(Architecture.FFCNN, Objective.MAXIMIZE, d, labels, f, 0.4f, Optimizer.adam(0.01f), m.normEpsilon(), n,
                Device.CPU, Net.FfOptions.DEFAULT, new Net.Conv(cs, null, 0f, 0, false, maps))) {
            float[] tf = new float[2];
            gradientsAt(net, m, batch, tf);
            for (int l = 0; l < 2; l++) {
                double total = 0;
                for (int i = 0; i < n; i++) {
                    total += softplus(-z[i][y[i]][l]) + softplus(z[i][wrong[i]][l]);
                }
                assertEquals(total / (2 * n), tf[l], 1e-4 * Math.max(1, total / (2 * n)), "layer " + l);
            }
        }
    }

    /**
     * bpcnn (docs/algorithms.md "BP-CNN"): TensorFlow's loss on a batch (NHWC convolutions, the last
     * maps flattened back to channel-major) is the mean softmax cross-entropy of the edge runtime's
     * logits for the same weights and images, and its gradient matches central differences of it.
     */
    @Test
    void bpcnnLossIsTheCrossEntropyOfTheEdgeRuntimesLogits() {
        Random r = new Random(31);
        ConvShape cs = new ConvShape(2, 6, 5, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0});
        int[] f = {3, 4};
        int d = cs.inputSize();
        int labels = 3;
        Model.Builder b = Model.builder(Architecture.BPCNN).inputSize(d).numLabels(labels).conv(cs);
        randomLayers(b, r, cs, f, 0.6, 0.2);
        Model m = withRandomClassifier(b, r, Architecture.BPCNN, cs, f, labels);
        int n = 5;
        Batch batch = Batch.random(r, n, d, labels);
        float[] px = batch.px();
        int[] y = batch.y();
        int[] wrong = batch.wrong();
        try (Net net = new Net(Architecture.BPCNN, Objective.MAXIMIZE, d, labels, f, 0f, Optimizer.adam(0.01f), m.normEpsilon(),
                n, Device.CPU, Net.FfOptions.DEFAULT, new Net.Conv(cs, null, 0f, 0, false))) {
            float[] tf = new float[1];
            List<float[]> grads = gradientsAt(net, m, batch, tf);
            double want = crossEntropy(m, px, y, n);
            assertEquals(want, tf[0], 1e-5 * Math.max(1, want), "bpcnn loss");
            Random pick = new Random(4);
            for (int t = 0; t < 12; t++) {
                int k = pick.nextInt(grads.size());
                int i = pick.nextInt(grads.get(k).length);
                assertCrossEntropySlope(m, f, batch, k, i, grads.get(k)[i]);
            }
        }
    }

    /**
     * ffcnn-c's classifier phase (docs/algorithms.md "Linear classifier"): TensorFlow's loss on a batch
     * (the unlabelled input, every layer but the first flattened back to channel-major) is the mean
     * cross-entropy of the edge runtime's ffcnn-c logits, for Fourier patterns and for morphological
     * maps; its gradient w.r.t. the classifier matches central differences of it.
     */
    @Test
    void ffcnnClassifierLossIsTheCrossEntropyOfTheEdgeRuntimesLogits() {
        Random r = new Random(51);
        ConvShape cs = new ConvShape(2, 6, 5, new int[] {3, 3, 2}, new int[] {1, 2, 1}, new int[] {1, 1, 0});
        int[] f = {3, 4, 2};
        int d = cs.inputSize();
        int labels = 3;
        int[] maps = new int[labels * d];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = r.nextInt(d + 1);
        }
        for (boolean morph : new boolean[] {false, true}) {
            Model.Builder b = Model.builder(Architecture.FFCNN_C).inputSize(d).numLabels(labels).conv(cs).labelIntensity(0.3f);
            float[] pat = uniform(r, labels * d);
            if (morph) {
                b.labelMaps(maps);
            } else {
                b.labelPatterns(pat);
            }
            randomLayers(b, r, cs, f, 0.6, 0.2);
            Model m = withRandomClassifier(b, r, Architecture.FFCNN_C, cs, f, labels);
            int n = 5;
            Batch batch = Batch.random(r, n, d, labels);
            try (ClassifierNet net = new ClassifierNet(d, labels, f, m.normEpsilon(), Optimizer.adam(0.01f), n, Device.CPU,
                    new Net.Conv(cs, morph ? null : pat, 0.3f, 0, false, morph ? maps : null))) {
                net.setParams(m.parameters());
                net.loadTrainingImages(new Dataset("examples", d, labels, batch.px(), batch.y()));
                try (GraphNet.BatchFeed feed = net.batchFeed(n)) {
                    batch.feed(feed);
                    float[] tf = new float[1];
                    List<float[]> grads = net.gradients(feed, tf);
                    double want = crossEntropy(m, batch.px(), batch.y(), n);
                    assertEquals(want, tf[0], 1e-5 * Math.max(1, want), "ffcnn-c loss, morphology " + morph);
                    int k = f.length * 2; // the classifier's weights
                    Random pick = new Random(5);
                    for (int t = 0; t < 8; t++) {
                        int i = pick.nextInt(grads.get(0).length);
                        assertCrossEntropySlope(m, f, batch, k, i, grads.get(0)[i]);
                    }
                }
            }
        }
    }

    /** {@code net}'s gradients at the model's parameters on the batch (its rows 0..n−1), the losses in {@code losses}. */
    private static List<float[]> gradientsAt(Net net, Model m, Batch batch, float[] losses) {
        net.setParams(m.parameters());
        net.loadTrainingImages(new Dataset("examples", m.inputSize(), m.numLabels(), batch.px(), batch.y()));
        try (GraphNet.BatchFeed feed = net.batchFeed(batch.y().length)) {
            batch.feed(feed);
            return net.gradients(feed, losses);
        }
    }

    /** TensorFlow's gradient {@code g} of parameter k's entry i against central differences of the edge runtime's cross-entropy. */
    private static void assertCrossEntropySlope(Model m, int[] f, Batch batch, int k, int i, float g) {
        double step = 2e-3;
        int n = batch.y().length;
        List<float[]> up = m.parameters();
        up.get(k)[i] += (float) step;
        List<float[]> down = m.parameters();
        down.get(k)[i] -= (float) step;
        double fd = (crossEntropy(m.toBuilder().parameters(f, up).build(), batch.px(), batch.y(), n)
                - crossEntropy(m.toBuilder().parameters(f, down).build(), batch.px(), batch.y(), n)) / (2 * step);
        assertEquals(fd, g, 2e-3 * Math.max(1, Math.abs(fd)), "d loss / d parameter " + k + "[" + i + "]");
    }

    /** Mean softmax cross-entropy of the edge runtime's logits, in double. */
    private static double crossEntropy(Model m, float[] px, int[] y, int n) {
        int labels = m.numLabels();
        float[] s = new float[n * labels];
        org.fftk.edge.infer.Inference.predictor(m).scores(px, 0, n, s);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < labels; c++) {
                max = Math.max(max, s[i * labels + c]);
            }
            double sum = 0;
            for (int c = 0; c < labels; c++) {
                sum += Math.exp(s[i * labels + c] - max);
            }
            total += max + Math.log(sum) - s[i * labels + y[i]];
        }
        return total / n;
    }

    /** The model with an output layer of the architecture's input, weights N(0, 0.25), biases 0.1, −0.2, 0.3 (3 labels). */
    private static Model withRandomClassifier(Model.Builder b, Random r, Architecture a, ConvShape cs, int[] f, int labels) {
        int units = org.fftk.edge.model.Layout.classifierInput(a, f, cs);
        float[] cw = new float[labels * units];
        for (int i = 0; i < cw.length; i++) {
            cw[i] = (float) (r.nextGaussian() * 0.5);
        }
        return b.classifier(new DenseLayer(labels, units, cw, new float[] {0.1f, -0.2f, 0.3f})).build();
    }

    /** Adds one random conv layer per width of {@code f} in the shape's geometry: weights N(0, ws²), biases N(0, bs²). */
    static void randomLayers(Model.Builder b, Random r, ConvShape cs, int[] f, double ws, double bs) {
        for (int l = 0; l < f.length; l++) {
            int in = cs.layerInput(l, f);
            float[] w = new float[f[l] * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextGaussian() * ws);
            }
            float[] bias = new float[f[l]];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = (float) (r.nextGaussian() * bs);
            }
            b.addLayer(new DenseLayer(f[l], in, w, bias));
        }
    }

    /** n values uniform in [0, 1) (label patterns). */
    static float[] uniform(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    /** n images (about a third of the pixels exact zeros, the rest in [0, 1)), their labels and one wrong label each. */
    record Batch(float[] px, int[] y, int[] wrong) {
        static Batch random(Random r, int n, int d, int labels) {
            float[] px = new float[n * d];
            int[] y = new int[n];
            int[] wrong = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(labels);
                wrong[i] = (y[i] + 1 + r.nextInt(labels - 1)) % labels;
                for (int k = 0; k < d; k++) {
                    px[i * d + k] = r.nextInt(3) == 0 ? 0f : r.nextFloat();
                }
            }
            return new Batch(px, y, wrong);
        }

        /** Rows 0..n−1 with their true and wrong labels. */
        void feed(GraphNet.BatchFeed feed) {
            for (int i = 0; i < y.length; i++) {
                feed.index[i] = i;
                feed.label[i] = y[i];
                feed.negative[i] = wrong[i];
            }
        }
    }

    /** The mean-form loss of parameter k's layer from the edge runtime, parameter k's entry i moved by {@code delta}. */
    private static double lossAt(Model m, int k, int i, double delta, float[] px, int n, int[] y, int[] wrong, double sign,
                                 int[] f) {
        List<float[]> p = m.parameters();
        p.get(k)[i] += (float) delta;
        double[][][] z = edgeZ(m.toBuilder().parameters(f, p).build(), px, n);
        int l = k / 2;
        double total = 0;
        for (int s = 0; s < n; s++) {
            total += (softplus(-sign * z[s][y[s]][l]) + softplus(sign * z[s][wrong[s]][l])) / (2 * n);
        }
        return total;
    }

    /** The edge runtime's z = mean h² − θ of every image, candidate and layer ([image][candidate][layer]). */
    private static double[][][] edgeZ(Model m, float[] px, int n) {
        double[][][] z = new double[n][m.numLabels()][m.layers().size()];
        Trace.run(m, px, 0, n, new LayerSink() {
            @Override
            public void layer(int image, int candidate, int layer, int frame, float[] h, double zv) {
                z[image][candidate][layer] = zv;
            }

            @Override
            public boolean activations() {
                return false;
            }
        }, 1);
        return z;
    }

    private static double softplus(double u) {
        return Math.max(u, 0) + Math.log1p(Math.exp(-Math.abs(u)));
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
