package org.fftk.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.stream.Stream;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported graph, run by ONNX Runtime, against (a) the plain double-precision reference of docs/algorithms.md in
 * {@link Reference} and (b) the edge runtime's predictor: scores to 1e-4 relative, labels exactly.
 */
class OnnxAgreementTest {
    static final double REL = 1e-4;
    static final int D = 784;

    static Stream<Arguments> ffnnCases() {
        return Stream.of(
                Arguments.of(new int[] {7}, Objective.MAXIMIZE, 1.0, 0.5f),
                Arguments.of(new int[] {7, 13}, Objective.MINIMIZE, 1.0, 0.5f),
                Arguments.of(new int[] {33, 17, 9}, Objective.MAXIMIZE, 1.0, 0.3f),
                Arguments.of(new int[] {64, 64}, Objective.MINIMIZE, 2.0, 2f),
                // PyTorch init (tiny activations, θ near their mean square)
                Arguments.of(new int[] {50, 20}, Objective.MAXIMIZE, 0.0, 0.001f),
                Arguments.of(new int[] {128, 32, 7}, Objective.MINIMIZE, 0.0, 0.0f));
    }

    @ParameterizedTest(name = "ffnn {0} {1} gain {2} theta {3}")
    @MethodSource("ffnnCases")
    void ffnnAgreesWithReferenceAndEdgeOnSyntheticImages(int[] widths, Objective obj, double gain, float theta) throws Exception {
        Model m = TestModels.ffnn(Arrays.hashCode(widths) + obj.ordinal(), D, widths, obj, theta, gain);
        check(m, TestModels.syntheticImages(7, 12, D), 12);
    }

    @ParameterizedTest(name = "ffnn {0} {1} gain {2} theta {3}")
    @MethodSource("ffnnCases")
    void ffnnAgreesWithReferenceAndEdgeOnMnist(int[] widths, Objective obj, double gain, float theta) throws Exception {
        float[] mnist = mnist(24);
        Model m = TestModels.ffnn(Arrays.hashCode(widths) + obj.ordinal(), D, widths, obj, theta, gain);
        check(m, mnist, 24);
    }

    @Test
    void ffnn2000WideOnMnist() throws Exception {
        float[] mnist = mnist(4);
        Model m = TestModels.ffnn(2000, D, new int[] {2000, 2000}, Objective.MAXIMIZE, 0.5f, 1.0);
        check(m, mnist, 4);
        check(m, TestModels.syntheticImages(3, 2, D), 2);
    }

    /** ffnn with paper 000's softmax score rule: per layer a softmax over the labels of ‖h_l‖, summed; the file keeps it. */
    @Test
    void ffnnSoftmaxScoreRuleAgrees() throws Exception {
        for (int[] widths : new int[][] {{7}, {64, 13}, {32, 16, 8}}) {
            Model m = TestModels.ffnn(Arrays.hashCode(widths) + 1, D, widths, Objective.MAXIMIZE, 0.5f, 1.0).toBuilder()
                    .scoreRule(Model.SCORE_SOFTMAX).build();
            check(m, TestModels.syntheticImages(17, 10, D), 10);
            float[] mnist = MnistImages.testImages(10);
            if (mnist != null) {
                check(m, mnist, 10);
            }
            assertEquals(Model.SCORE_SOFTMAX,
                    org.fftk.edge.onnx.OnnxModelReader.read(OnnxExporter.toBytes(m)).scoreRule());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TestModels.ffnn(3, D, new int[] {7}, Objective.MINIMIZE, 0.5f, 1.0)
                .toBuilder().scoreRule(Model.SCORE_SOFTMAX).build());
    }

    /**
     * Paper 000's overwrite label encoding (docs/algorithms.md "Label encoding"): layer 0 reads D values,
     * the first L replaced by the label. ffnn (both objectives, both score rules) and ffnn-c, float32
     * and int8, on images whose corner is blank (MNIST) and on synthetic ones where it is not; the file
     * keeps the encoding.
     */
    @Test
    void overwriteLabelEncodingAgrees() throws Exception {
        float[] mnist = MnistImages.testImages(10);
        float[] synthetic = TestModels.syntheticImages(23, 10, D);
        java.util.List<Model> models = new java.util.ArrayList<>();
        for (int[] widths : new int[][] {{7}, {64, 13}, {32, 16, 8}}) {
            Model max = TestModels.ffnn(Arrays.hashCode(widths) + 5, D, widths, Objective.MAXIMIZE, 0.5f, 1.0);
            models.add(overwriting(max));
            models.add(overwriting(max.toBuilder().scoreRule(Model.SCORE_SOFTMAX).build()));
            models.add(overwriting(TestModels.ffnn(Arrays.hashCode(widths) + 6, D, widths, Objective.MINIMIZE, 0.5f, 1.0)));
            models.add(overwriting(TestModels.ffnnC(Arrays.hashCode(widths) + 7, D, widths, 1.0)));
        }
        for (Model m : models) {
            for (Model v : new Model[] {m, m.quantized()}) {
                assertEquals(D, v.layers().get(0).in());
                check(v, synthetic, 10);
                if (mnist != null) {
                    check(v, mnist, 10);
                }
                assertEquals(Model.LABEL_ENCODING_OVERWRITE,
                        org.fftk.edge.onnx.OnnxModelReader.read(OnnxExporter.toBytes(v)).labelEncoding());
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TestModels.bpnn(3, D, new int[] {7}).toBuilder().labelEncoding(Model.LABEL_ENCODING_OVERWRITE).build());
    }

    /** The same layers reading the image only: layer 0 keeps its first D columns, the label now overwrites pixels 0..L−1. */
    static Model overwriting(Model m) {
        org.fftk.edge.model.DenseLayer l0 = m.layers().get(0);
        int d = m.inputSize();
        float[] w = new float[l0.out() * d];
        for (int j = 0; j < l0.out(); j++) {
            for (int i = 0; i < d; i++) {
                w[j * d + i] = l0.weight(j, i);
            }
        }
        java.util.List<org.fftk.edge.model.DenseLayer> ls = new java.util.ArrayList<>(m.layers());
        ls.set(0, new org.fftk.edge.model.DenseLayer(l0.out(), d, w, l0.biases()));
        return m.toBuilder().labelEncoding(Model.LABEL_ENCODING_OVERWRITE).layers(ls).build();
    }

    @Test
    void ffnnOddImageWidth() throws Exception {
        Model m = TestModels.ffnn(5, 13, new int[] {7, 5}, Objective.MAXIMIZE, 0.5f, 1.0);
        check(m, TestModels.syntheticImages(5, 16, 13), 16);
    }

    /** z ≈ 100: naive log(1 + e^z) overflows in float32 (e^z > 3.4e38 for z > 88.7). */
    @Test
    void softplusIsStableForLargeGoodness() throws Exception {
        Model m = TestModels.ffnn(11, D, new int[] {16, 8}, Objective.MAXIMIZE, -100f, 1.0);
        float[] x = TestModels.syntheticImages(1, 6, D);
        try (OrtRunner ort = new OrtRunner(OnnxExporter.toBytes(m))) {
            OrtRunner.Result r = ort.run(x, 6, D);
            for (float[] row : r.scores) {
                for (float v : row) {
                    assertTrue(Float.isFinite(v) && v > 200 && v < 220, "score " + v);
                }
            }
        }
        check(m, x, 6);
    }

    @Test
    void bpnnAgrees() throws Exception {
        for (int[] widths : new int[][] {{7}, {64, 13}, {32, 16, 8}}) {
            Model m = TestModels.bpnn(Arrays.hashCode(widths), D, widths);
            check(m, TestModels.syntheticImages(9, 12, D), 12);
            float[] mnist = MnistImages.testImages(12);
            if (mnist != null) {
                check(m, mnist, 12);
            }
        }
    }

    @Test
    void ffnnClassifierAgrees() throws Exception {
        for (int[] widths : new int[][] {{7}, {64, 13}, {32, 16, 8}}) {
            Model m = TestModels.ffnnC(Arrays.hashCode(widths), D, widths, 1.0);
            check(m, TestModels.syntheticImages(13, 12, D), 12);
            float[] mnist = MnistImages.testImages(12);
            if (mnist != null) {
                check(m, mnist, 12);
            }
        }
    }

    @Test
    void ffrnnAgrees() throws Exception {
        float[] mnist = MnistImages.testImages(10);
        for (Model m : FfrnnCases.exportable()) {
            check(m, TestModels.syntheticImages(17, 10, D), 10);
            if (mnist != null) {
                check(m, mnist, 10);
            }
        }
    }

    /** Paper 004's depths: 8 and 32 hidden layers of every FF architecture, edge = ORT = reference. */
    @Test
    void deepNetworksAgree() throws Exception {
        for (int depth : new int[] {8, 32}) {
            int[] widths = new int[depth];
            for (int i = 0; i < depth; i++) {
                widths[i] = 6 + (i * 5) % 7;
            }
            float[] x = TestModels.syntheticImages(40 + depth, 6, D);
            check(TestModels.ffnn(50 + depth, D, widths, Objective.MINIMIZE, 0.2f, 1.0), x, 6);
            check(TestModels.ffnnC(60 + depth, D, widths, 1.0), x, 6);
            check(TestModels.ffrnn(70 + depth, D, widths, Objective.MAXIMIZE, 0.2f, 1.0).toBuilder().testFrames(2, 4).build(), x, 6);
        }
    }

    /**
     * Trained FF nets are sparse; the edge kernels skip zeros. Shift biases down so most units are off,
     * and kill one layer entirely (h = 0: the next layer normalises 0 / (0 + ε) = 0, no NaN).
     */
    @Test
    void sparseAndDeadActivations() throws Exception {
        float[] x = TestModels.syntheticImages(23, 12, D);
        for (float shift : new float[] {-1.5f, -1000f}) {
            for (Model base : new Model[] {TestModels.ffnn(31, D, new int[] {40, 30, 20}, Objective.MAXIMIZE, 0.2f, 1.0),
                    TestModels.ffnnC(32, D, new int[] {40, 30, 20}, 1.0), FfrnnCases.exportable().get(2)}) {
                java.util.List<org.fftk.edge.model.DenseLayer> ls = new java.util.ArrayList<>(base.layers());
                org.fftk.edge.model.DenseLayer l = ls.get(1);
                float[] b = l.biases();
                for (int j = 0; j < b.length; j++) {
                    b[j] += shift;
                }
                ls.set(1, new org.fftk.edge.model.DenseLayer(l.out(), l.in(), l.weights(), b, l.backIn(), l.backWeights()));
                Model m = base.toBuilder().layers(ls).build();
                check(m, x, 12);
            }
        }
    }

    /** Batch size is dynamic: one image at a time gives the same scores and labels as a batch of 9. */
    @Test
    void singleImagesMatchTheBatch() throws Exception {
        float[] x = TestModels.syntheticImages(19, 9, D);
        for (Model m : new Model[] {TestModels.ffnn(1, D, new int[] {9, 8}, Objective.MAXIMIZE, 0.5f, 1.0),
                TestModels.ffnnC(2, D, new int[] {9, 8}, 1.0), TestModels.bpnn(3, D, new int[] {9}),
                FfrnnCases.exportable().get(1)}) {
            try (OrtRunner ort = new OrtRunner(OnnxExporter.toBytes(m))) {
                OrtRunner.Result all = ort.run(x, 9, D);
                for (int s = 0; s < 9; s++) {
                    OrtRunner.Result one = ort.run(Arrays.copyOfRange(x, s * D, (s + 1) * D), 1, D);
                    for (int c = 0; c < 10; c++) {
                        assertClose(all.scores[s][c], one.scores[0][c], 0, m.architecture() + " sample " + s);
                    }
                    assertEquals(all.labels[s], one.labels[0]);
                }
            }
        }
    }

    static float[] mnist(int n) throws Exception {
        float[] x = MnistImages.testImages(n);
        Assumptions.assumeTrue(x != null,
                "MNIST not found: set FFTK_DATA or put shared/datasets/mnist beside the repository; real-image check skipped");
        return x;
    }

    /** ORT vs reference vs edge runtime on n images. */
    static void check(Model m, float[] images, int n) throws Exception {
        int d = m.inputSize();
        int labels = m.numLabels();
        OrtRunner.Result r;
        try (OrtRunner ort = new OrtRunner(OnnxExporter.toBytes(m))) {
            r = ort.run(images, n, d);
        }
        assertEquals(n, r.scores.length);
        assertEquals(n, r.labels.length);
        float[] edge = null;
        Predictor p = null;
        try {
            p = Inference.predictor(m);
            edge = new float[n * labels];
            p.scores(images, 0, n, edge);
        } catch (UnsupportedOperationException e) {
            System.out.println("[OnnxAgreementTest] edge runtime comparison skipped: " + e.getMessage());
        }
        double worst = 0;
        for (int s = 0; s < n; s++) {
            double[] ref = Reference.scores(m, images, s);
            assertEquals(labels, r.scores[s].length);
            // Goodness scores are sums of positive terms: relative error per score. Logits can cancel to
            // near zero, so there the error is relative to the row's largest |logit| (what argmax compares).
            double floor = 0;
            if (!m.architecture().usesGoodness()) {
                for (double v : ref) {
                    floor = Math.max(floor, Math.abs(v));
                }
            }
            for (int c = 0; c < labels; c++) {
                worst = Math.max(worst, assertClose(ref[c], r.scores[s][c], floor, "ORT vs reference, sample " + s + " label " + c));
                if (edge != null) {
                    assertClose(ref[c], edge[s * labels + c], floor, "edge vs reference, sample " + s + " label " + c);
                    assertClose(edge[s * labels + c], r.scores[s][c], floor, "ORT vs edge, sample " + s + " label " + c);
                }
            }
            int refLabel = Reference.label(m, ref);
            assertEquals(refLabel, r.labels[s], "label of sample " + s + ", scores ref " + Arrays.toString(ref)
                    + " ort " + Arrays.toString(r.scores[s]));
            if (edge != null) {
                assertEquals(p.label(edge, s), r.labels[s], "edge label of sample " + s);
            }
        }
        long distinct = Arrays.stream(r.labels).distinct().count();
        System.out.printf("[OnnxAgreementTest] %s widths %s %s: %d samples, %d distinct labels, worst relative error"
                + " ORT vs reference %.2e%n", m.architecture(), Arrays.toString(m.widths()), m.objective(), n, distinct, worst);
    }

    /** |actual − expected| ≤ 1e-4 · max(|expected|, scale); returns the relative error. */
    static double assertClose(double expected, double actual, double scale, String what) {
        double err = Math.abs(actual - expected);
        double ref = Math.max(Math.abs(expected), scale);
        double rel = err / Math.max(ref, 1e-30);
        if (!(err <= REL * ref + 1e-12)) {
            fail(what + ": expected " + expected + " got " + actual + " (relative error " + rel + ")");
        }
        return err <= 1e-12 ? 0 : rel;
    }
}
