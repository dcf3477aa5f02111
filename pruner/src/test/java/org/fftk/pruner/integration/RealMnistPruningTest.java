package org.fftk.pruner.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.Split;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.pruner.forward.Forward;
import org.fftk.pruner.io.ModelFiles;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneResult;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.method.Pruner;
import org.fftk.pruner.report.Accuracy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on real MNIST with the real ONNX exporter. The model is a bpnn whose hidden layers are
 * random ReLU features and whose output layer is fitted by ridge regression on training images (a
 * closed-form stand-in for a trained network, built in a second). Skips visibly without MNIST.
 */
class RealMnistPruningTest {
    private static Dataset train;
    private static Dataset test;
    private static Model model;

    static Path mnistDir() {
        String env = System.getenv("FFTK_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Paths.get(env, "mnist"))) {
            return Paths.get(env, "mnist");
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/datasets/mnist");
            if (Files.isRegularFile(c.resolve("t10k-images-idx3-ubyte.gz"))) {
                return c;
            }
        }
        return null;
    }

    @BeforeAll
    static void load() throws Exception {
        Path dir = mnistDir();
        Assumptions.assumeTrue(dir != null,
                "SKIPPED: real MNIST not found ($FFTK_DATA/mnist or shared/datasets/mnist above the working directory)");
        Dataset tr = Datasets.load(DatasetName.fromId("mnist"), dir, Split.TRAIN);
        Dataset te = Datasets.load(DatasetName.fromId("mnist"), dir, Split.TEST);
        train = (tr).head(3000);
        test = (te).head(1000);
        model = fit(train, 160, 80, 7);
    }

    /** Random ReLU feature layers 784 → h0 → h1, output layer by ridge regression on one-hot targets. */
    static Model fit(Dataset d, int h0, int h1, long seed) {
        Random r = new Random(seed);
        DenseLayer l0 = randomLayer(r, h0, 784, 0.05f);
        DenseLayer l1 = randomLayer(r, h1, h0, 0.02f);
        Model features = Model.builder(Architecture.BPNN).addLayer(l0).addLayer(l1)
                .classifier(new DenseLayer(10, h1, new float[10 * h1], new float[10])).build();
        int f = h1 + 1;
        double[][] a = new double[f][f];
        double[][] b = new double[f][10];
        for (int i = 0; i < d.size(); i++) {
            float[] h = Forward.hidden(features, d.images(), d.offset(i), -1)[1];
            double[] x = new double[f];
            for (int j = 0; j < h1; j++) {
                x[j] = h[j];
            }
            x[h1] = 1;
            for (int p = 0; p < f; p++) {
                for (int q = 0; q < f; q++) {
                    a[p][q] += x[p] * x[q];
                }
                b[p][d.label(i)] += x[p];
            }
        }
        for (int p = 0; p < f; p++) {
            a[p][p] += 1e-2;
        }
        double[][] w = solve(a, b);
        float[] cw = new float[10 * h1];
        float[] cb = new float[10];
        for (int c = 0; c < 10; c++) {
            for (int j = 0; j < h1; j++) {
                cw[c * h1 + j] = (float) w[j][c];
            }
            cb[c] = (float) w[h1][c];
        }
        return features.toBuilder().classifier(new DenseLayer(10, h1, cw, cb)).provenance("{\"dataset\":\"mnist\"}")
                .build();
    }

    static DenseLayer randomLayer(Random r, int out, int in, float biasShift) {
        float a = (float) Math.sqrt(6.0 / in);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (r.nextFloat() * 2 - 1) * a;
        }
        float[] b = new float[out];
        for (int j = 0; j < out; j++) {
            b[j] = (r.nextFloat() * 2 - 1) * biasShift;
        }
        return new DenseLayer(out, in, w, b);
    }

    /** Gaussian elimination with partial pivoting: A X = B. */
    static double[][] solve(double[][] a, double[][] b) {
        int n = a.length;
        int k = b[0].length;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            t = b[c];
            b[c] = b[piv];
            b[piv] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int q = c; q < n; q++) {
                    a[r][q] -= f * a[c][q];
                }
                for (int q = 0; q < k; q++) {
                    b[r][q] -= f * b[c][q];
                }
            }
        }
        double[][] x = new double[n][k];
        for (int r = n - 1; r >= 0; r--) {
            for (int q = 0; q < k; q++) {
                double s = b[r][q];
                for (int c = r + 1; c < n; c++) {
                    s -= a[r][c] * x[c][q];
                }
                x[r][q] = s / a[r][r];
            }
        }
        return x;
    }

    @Test
    void pruningARealModelLosesAccuracyAsTheOnnxFileShrinks() {
        double base = Accuracy.parallel(2).accuracy(model, test);
        assertTrue(base > 0.6, "the ridge-fitted model is a real classifier: " + base);
        Pruner pruner = new Pruner(ModelFiles::onnx);
        PruneResult full = pruner.pruneWithReport(model, PruneSpec.of(PruneMethod.RANDOM, KeepCounts.perLayer(model.widths()), 1),
                null, test, Accuracy.serial(), null);
        assertEquals(base, full.report().accuracyAfter(), 0, "keeping every neuron changes nothing");
        PruneResult small = pruner.pruneWithReport(model, PruneSpec.of(PruneMethod.RANDOM, KeepCounts.same(4), 1),
                null, test, Accuracy.serial(), null);
        assertTrue(small.report().accuracyAfter() < base - 0.2, "4 neurons per layer: " + small.report().accuracyAfter());
        // an ONNX file is its float32 parameters plus a small, size-independent overhead (graph, metadata)
        for (org.fftk.pruner.report.ModelMeasures mm : new org.fftk.pruner.report.ModelMeasures[] {
            small.report().before(), small.report().after()}) {
            long overhead = mm.fileBytes() - 4 * mm.parameters();
            assertTrue(overhead > 0 && overhead < 8192, "ONNX overhead " + overhead + " bytes");
        }
        assertEquals((double) small.report().before().fileBytes() / small.report().after().fileBytes(),
                small.report().compressionRatio(), 0);
    }

    @Test
    void mostActiveNeuronsMatterMoreThanLeastActive() {
        PruneSpec most = PruneSpec.of(PruneMethod.ACTIVATION, KeepCounts.perLayer(100, 50), 3).withSampleSize(500);
        double accMost = Accuracy.serial().accuracy(Pruner.prune(model, most, train, "x"), test);
        double accLeast = Accuracy.serial().accuracy(Pruner.prune(model, most.withLeastActive(true), train, "x"), test);
        System.out.printf("[RealMnistPruningTest] unpruned %.3f, keep 100,50 most active %.3f, least active %.3f%n",
                Accuracy.serial().accuracy(model, test), accMost, accLeast);
        assertTrue(accMost > accLeast + 0.1, "most active " + accMost + " vs least active " + accLeast);
    }
}
