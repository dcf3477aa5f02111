package org.fftk.edge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.edge.testutil.RandomModels;
import org.fftk.edge.testutil.TestImages;
import org.junit.jupiter.api.Test;

/** The fast kernels against {@link ReferencePredictor} (one literal pass per label, double precision). */
class FastInferenceTest {
    private static final int D = 784;

    /**
     * Random model scaled like a trained one: weights ×6 so mean squared activity is of the order
     * of θ = 1 (goodness then varies strongly with the input, which makes the comparison sensitive),
     * and layer-1 label columns ×40 plus a per-label push on every tenth unit, so labels matter at
     * any width (in a wide random net the label's effect on the mean activity otherwise averages out).
     */
    static Model model(Architecture arch, Objective obj, long seed, int... widths) {
        Model m = RandomModels.model(arch, obj, D, 10, seed, widths);
        boolean labelIn = arch == Architecture.FFNN || arch == Architecture.FFNN_C;
        List<DenseLayer> ls = new ArrayList<>();
        for (int k = 0; k < m.layers().size(); k++) {
            DenseLayer l = m.layers().get(k);
            float[] w = l.weights();
            for (int j = 0; j < l.out(); j++) {
                for (int i = 0; i < l.in(); i++) {
                    boolean label = k == 0 && labelIn && i >= D;
                    w[j * l.in() + i] *= label ? 40f : 6f;
                    if (label && j % 10 == i - D) {
                        w[j * l.in() + i] += 2f * (i - D + 1); // label c drives units j ≡ c (mod 10)
                    }
                }
            }
            float[] bw = l.backWeights();
            if (bw != null) {
                for (int i = 0; i < bw.length; i++) {
                    bw[i] *= 6f;
                }
            }
            ls.add(bw == null ? new DenseLayer(l.out(), l.in(), w, l.biases())
                    : new DenseLayer(l.out(), l.in(), w, l.biases(), l.backIn(), bw));
        }
        return m.toBuilder().layers(ls).theta(1f).build();
    }

    /** Checks every score to 1e-4 relative (1e-6 absolute floor) and every label where the reference's top two differ. */
    static void assertAgrees(Model m, float[] images, int n) {
        Predictor ref = new ReferencePredictor(m);
        float[] want = new float[n * 10];
        ref.scores(images, 0, n, want);
        int spread = 0;
        for (int s = 0; s < n; s++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                lo = Math.min(lo, want[s * 10 + c]);
                hi = Math.max(hi, want[s * 10 + c]);
            }
            if (hi - lo > 1e-3f * Math.max(Math.abs(hi), 1e-3f)) {
                spread++;
            }
        }
        assertTrue(spread * 2 >= n, "test model too insensitive: scores barely depend on the label");
        for (int run = 0; run < 6; run++) {
            int block = new int[] {1, 3, Inference.DEFAULT_BLOCK}[run % 3];
            Predictor fast;
            if (m.architecture() == Architecture.FFNN) {
                fast = new GoodnessPredictor(m, block, run < 3); // the row path and the block path
            } else if (m.architecture() == Architecture.FFNN_C || m.architecture() == Architecture.BPNN) {
                fast = new DensePredictor(m, block, run < 3);
            } else if (run < 3) {
                fast = Inference.predictor(m, block);
            } else {
                continue;
            }
            float[] got = new float[n * 10];
            fast.scores(images, 0, n, got);
            for (int i = 0; i < want.length; i++) {
                float tol = Math.max(1e-4f * Math.abs(want[i]), 1e-6f);
                assertEquals(want[i], got[i], tol, m.architecture() + " " + m.objective() + " widths "
                        + java.util.Arrays.toString(m.widths()) + " block " + block + " score " + i);
            }
            // labels only (candidate elimination for ffnn minimize): exactly the labels of the scores
            int[] labels = new int[n];
            fast.labels(images, 0, n, labels);
            for (int s = 0; s < n; s++) {
                int r = ref.label(want, s);
                if (secondGap(want, s) > 1e-5f * Math.abs(want[s * 10 + r])) {
                    assertEquals(r, fast.label(got, s), "label of image " + s);
                }
                assertEquals(fast.label(got, s), labels[s], m.architecture() + " " + m.objective() + " block " + block
                        + ": labels() of image " + s);
            }
        }
    }

    private static float secondGap(float[] sc, int row) {
        float best = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        float lo = Float.POSITIVE_INFINITY;
        float lo2 = Float.POSITIVE_INFINITY;
        for (int c = 0; c < 10; c++) {
            float v = sc[row * 10 + c];
            if (v > best) {
                second = best;
                best = v;
            } else if (v > second) {
                second = v;
            }
            if (v < lo) {
                lo2 = lo;
                lo = v;
            } else if (v < lo2) {
                lo2 = v;
            }
        }
        return Math.min(best - second, lo2 - lo);
    }

    @Test
    void ffnnAgreesWithTheReferenceOnManyShapes() {
        float[] img = TestImages.mixed(8);
        long seed = 10;
        for (Objective obj : Objective.values()) {
            assertAgrees(model(Architecture.FFNN, obj, seed++, 7), img, 8);
            assertAgrees(model(Architecture.FFNN, obj, seed++, 50, 30), img, 8);
            assertAgrees(model(Architecture.FFNN, obj, seed++, 64, 7, 33), img, 8);
        }
    }

    /**
     * The ffnn row path against the block path (which the reference and ONNX Runtime check) where the
     * reference has no counterpart: both label encodings, both score rules, both objectives, float32
     * and int8, full and factored layers, traced layer values, and labels() with candidate elimination.
     */
    @Test
    void rowPathEqualsBlockPathForEveryEncodingAndScoreRule() {
        int n = 8;
        float[] img = TestImages.mixed(n);
        long seed = 40;
        for (String enc : new String[] {Model.LABEL_ENCODING_CONCAT, Model.LABEL_ENCODING_OVERWRITE}) {
            for (String rule : new String[] {Model.SCORE_SUM, Model.SCORE_SOFTMAX}) {
                for (Objective obj : Objective.values()) {
                    if (Model.SCORE_SOFTMAX.equals(rule) && obj == Objective.MINIMIZE) {
                        continue; // the softmax rule reads maximize models only
                    }
                    for (int[] widths : new int[][] {{7}, {50, 30}, {64, 7, 33}}) {
                        Model m = model(Architecture.FFNN, obj, seed++, widths);
                        if (Model.LABEL_ENCODING_OVERWRITE.equals(enc)) {
                            DenseLayer l0 = m.layers().get(0); // keep the image columns; the label overwrites pixels 0..9
                            float[] w = new float[l0.out() * D];
                            for (int j = 0; j < l0.out(); j++) {
                                System.arraycopy(l0.weights(), j * l0.in(), w, j * D, D);
                            }
                            List<DenseLayer> ls = new ArrayList<>(m.layers());
                            ls.set(0, new DenseLayer(l0.out(), D, w, l0.biases()));
                            m = m.toBuilder().labelEncoding(enc).layers(ls).build();
                        }
                        m = m.toBuilder().scoreRule(rule).build();
                        for (Model mm : new Model[] {m, m.quantized(), factored(m, 5), factored(m, 5).quantized()}) {
                            String what = enc + " " + rule + " " + obj + " " + java.util.Arrays.toString(widths)
                                    + (mm.isInt8() ? " int8" : "") + (mm.layers().get(0).rank() > 0 ? " factored" : "");
                            float[][] sc = new float[2][n * 10];
                            int[][] lab = new int[2][n];
                            List<List<Float>> traced = new ArrayList<>();
                            for (int path = 0; path < 2; path++) {
                                GoodnessPredictor p = new GoodnessPredictor(mm, 3, path == 0);
                                List<Float> t = new ArrayList<>();
                                float[][] layerValues = new float[n * 10 * widths.length][];
                                double[] zs = new double[n * 10 * widths.length];
                                p.trace(img, 0, n, sc[path], new LayerSink() {
                                    @Override
                                    public void layer(int image, int candidate, int layer, int frame, float[] h, double z) {
                                        int k = (image * 10 + candidate) * widths.length + layer;
                                        layerValues[k] = h.clone();
                                        zs[k] = z;
                                    }

                                    @Override
                                    public boolean activations() {
                                        return true;
                                    }
                                });
                                for (int k = 0; k < zs.length; k++) {
                                    t.add((float) zs[k]);
                                    for (float v : layerValues[k]) {
                                        t.add(v);
                                    }
                                }
                                traced.add(t);
                                p.labels(img, 0, n, lab[path]);
                            }
                            for (int i = 0; i < n * 10; i++) {
                                assertEquals(sc[1][i], sc[0][i], Math.max(1e-4f * Math.abs(sc[1][i]), 1e-6f), what + " score " + i);
                            }
                            assertEquals(traced.get(1).size(), traced.get(0).size(), what);
                            for (int i = 0; i < traced.get(0).size(); i++) {
                                float want = traced.get(1).get(i);
                                assertEquals(want, traced.get(0).get(i), Math.max(1e-4f * Math.abs(want), 1e-5f), what + " traced " + i);
                            }
                            for (int s = 0; s < n; s++) {
                                int r = LabelRule.best(sc[1], s * 10, 10, LabelRule.argmin(mm));
                                if (secondGap(sc[1], s) > 1e-4f * Math.abs(sc[1][s * 10 + r])) {
                                    assertEquals(lab[1][s], lab[0][s], what + " label of image " + s);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The model with every layer replaced by a random rank-r factored layer (W = U·V), same biases. */
    static Model factored(Model m, int rank) {
        java.util.Random r = new java.util.Random(rank);
        List<DenseLayer> ls = new ArrayList<>();
        for (DenseLayer l : m.layers()) {
            int k = Math.min(rank, Math.min(l.out(), l.in()));
            ls.add(DenseLayer.factored(l.out(), l.in(), k, RandomModels.uniform(r, l.out() * k, 1f),
                    RandomModels.uniform(r, k * l.in(), 0.5f), l.biases()));
        }
        return m.toBuilder().layers(ls).build();
    }

    @Test
    void ffnnAgreesAtFullWidth() {
        float[] img = TestImages.mixed(3);
        assertAgrees(model(Architecture.FFNN, Objective.MAXIMIZE, 77, 2000), img, 3);
        assertAgrees(model(Architecture.FFNN, Objective.MINIMIZE, 78, 2000, 2000), img, 2);
    }

    @Test
    void bpnnAgreesWithTheReference() {
        float[] img = TestImages.mixed(8);
        assertAgrees(model(Architecture.BPNN, Objective.MAXIMIZE, 5, 7), img, 8);
        assertAgrees(model(Architecture.BPNN, Objective.MAXIMIZE, 6, 40, 2, 9), img, 8);
        assertAgrees(model(Architecture.BPNN, Objective.MAXIMIZE, 6, 40, 2, 9).quantized(), img, 8);
        assertAgrees(factored(model(Architecture.BPNN, Objective.MAXIMIZE, 6, 40, 2, 9), 2), img, 8);
        assertAgrees(model(Architecture.BPNN, Objective.MAXIMIZE, 7, 2000, 2000), img, 3);
    }

    @Test
    void ffnnCAgreesWithTheReference() {
        float[] img = TestImages.mixed(8);
        assertAgrees(model(Architecture.FFNN_C, Objective.MAXIMIZE, 8, 7), img, 8);
        assertAgrees(model(Architecture.FFNN_C, Objective.MINIMIZE, 9, 30, 20, 10), img, 8);
        assertAgrees(model(Architecture.FFNN_C, Objective.MINIMIZE, 9, 30, 20, 10).quantized(), img, 8);
        assertAgrees(model(Architecture.FFNN_C, Objective.MAXIMIZE, 10, 2000, 2000), img, 2);
    }

    @Test
    void ffrnnAgreesWithTheReference() {
        float[] img = TestImages.mixed(6);
        assertAgrees(model(Architecture.FFRNN, Objective.MAXIMIZE, 11, 7), img, 6);
        assertAgrees(model(Architecture.FFRNN, Objective.MINIMIZE, 12, 30, 20), img, 6);
        assertAgrees(model(Architecture.FFRNN, Objective.MAXIMIZE, 13, 25, 7, 12), img, 6);
        Model wide = model(Architecture.FFRNN, Objective.MAXIMIZE, 14, 300, 200).toBuilder().testFrames(2, 4).build();
        assertAgrees(wide, img, 2);
    }

    /** FFLib's start (imported models): every unit at a constant s, then a sequential pass with the full rule. */
    @Test
    void ffrnnWithAConstantStartAgreesWithTheReference() {
        float[] img = TestImages.mixed(6);
        for (float s : new float[] {0.5f, 0f, 2f}) {
            assertAgrees(model(Architecture.FFRNN, Objective.MAXIMIZE, 41, 9).toBuilder().startState(s).build(), img, 6);
            assertAgrees(model(Architecture.FFRNN, Objective.MINIMIZE, 42, 30, 20).toBuilder().startState(s).build(), img, 6);
            assertAgrees(model(Architecture.FFRNN, Objective.MAXIMIZE, 43, 25, 7, 12).toBuilder().startState(s)
                    .testFrames(1, 3).build(), img, 6);
        }
    }

    @Test
    void ffrnnLayerGoodnessIsTheReferencesZOfEveryLayerAndFrame() {
        int n = 5;
        float[] img = TestImages.mixed(n);
        Model m = model(Architecture.FFRNN, Objective.MINIMIZE, 15, 30, 20, 12).toBuilder().testFrames(2, 6).build();
        LayerGoodness g = LayerGoodness.of(m, img, 0, n);
        assertEquals(n, g.images());
        assertEquals(3, g.layers());
        assertEquals(5, g.frames());
        float[] scores = new float[n * 10];
        Inference.predictor(m).scores(img, 0, n, scores);
        ReferencePredictor ref = new ReferencePredictor(m);
        for (int s = 0; s < n; s++) {
            double[] x = new double[D];
            for (int i = 0; i < D; i++) {
                x[i] = img[s * D + i];
            }
            for (int c = 0; c < 10; c++) {
                assertEquals(scores[s * 10 + c], g.score(s, c), 0f, "the predictor's own score");
                double[][] want = ref.recurrentZ(x, c);
                for (int l = 0; l < 3; l++) {
                    for (int f = 0; f < 5; f++) {
                        double w = want[l][f];
                        assertEquals(w, g.z(s, c, l, f), 1e-4 * Math.max(1, Math.abs(w)),
                                "image " + s + " label " + c + " layer " + l + " frame " + (f + 2));
                    }
                }
            }
        }
        LayerGoodness split = LayerGoodness.of(m, img, 0, n, 3); // parts of 1, 2 and 2 images
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < 10; c++) {
                assertEquals(g.score(s, c), split.score(s, c), 1e-6f * Math.abs(g.score(s, c)));
                for (int l = 0; l < 3; l++) {
                    for (int f = 0; f < 5; f++) {
                        assertEquals(g.z(s, c, l, f), split.z(s, c, l, f), 1e-5f * Math.max(1, Math.abs(g.z(s, c, l, f))));
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> LayerGoodness.of(model(Architecture.BPNN, Objective.MAXIMIZE, 1, 7), img, 0, 1));
    }

    @Test
    void threadedScoresEqualOnePredictorsAndFailuresReachTheCaller() {
        int n = 11;
        float[] img = TestImages.mixed(n);
        for (Model m : new Model[] {model(Architecture.FFNN, Objective.MINIMIZE, 16, 40, 30),
                model(Architecture.FFRNN, Objective.MAXIMIZE, 17, 20, 10)}) {
            float[] one = new float[n * 10];
            Inference.predictor(m).scores(img, 0, n, one);
            float[] four = new float[n * 10 + 3];
            Inference.scores(m, img, 0, n, four, 4);
            for (int i = 0; i < n * 10; i++) {
                assertEquals(one[i], four[i], 1e-6f * Math.max(1, Math.abs(one[i])), m.architecture() + " score " + i);
            }
            assertEquals(0f, four[n * 10], "nothing written past n × labels");
            assertArrayEquals(Inference.predictor(m).predict(img, 0, n), Inference.predict(m, img, 0, n, 4));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.split(10, 3, (w, a, b) -> {
            if (w == 2) {
                throw new IllegalStateException("worker " + w + " got " + a + ".." + b);
            }
        }));
        assertEquals("worker 2 got 6..10", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Inference.scores(model(Architecture.FFNN, Objective.MINIMIZE, 16, 4), img, 0, n, new float[n], 2));
    }

    @Test
    void agreesOnRealMnistImages() throws java.io.IOException {
        java.nio.file.Path root = TestImages.datasetsRoot();
        org.junit.jupiter.api.Assumptions.assumeTrue(root != null && org.fftk.edge.data.Datasets.isPresent(
                org.fftk.edge.data.DatasetName.MNIST, root, org.fftk.edge.data.Split.TEST),
                "SKIPPED: real MNIST not found ($FFTK_DATA or shared/datasets); synthetic sparse images are tested above");
        org.fftk.edge.data.Dataset d = org.fftk.edge.data.Datasets.load(org.fftk.edge.data.DatasetName.MNIST, root,
                org.fftk.edge.data.Split.TEST).head(9);
        float[] img = d.images();
        assertAgrees(model(Architecture.FFNN, Objective.MAXIMIZE, 31, 300, 200), img, 9);
        assertAgrees(model(Architecture.FFNN, Objective.MINIMIZE, 32, 500, 400, 300), img, 4);
        assertAgrees(model(Architecture.BPNN, Objective.MAXIMIZE, 33, 300, 200), img, 9);
        assertAgrees(model(Architecture.FFNN_C, Objective.MAXIMIZE, 34, 300, 200), img, 9);
        assertAgrees(model(Architecture.FFRNN, Objective.MAXIMIZE, 35, 100, 80), img, 5);
    }

    @Test
    void handComputedTinyFfnn() {
        // D = 2, 2 labels, one layer of 2 units: W = [[1, 0, 2, 0], [0, 1, 0, -1]], b = [0, 0.5], θ = 0.25
        Model m = Model.builder(Architecture.FFNN).inputSize(2).numLabels(2).theta(0.25f)
                .addLayer(new DenseLayer(2, 4, new float[] {1, 0, 2, 0, 0, 1, 0, -1}, new float[] {0, 0.5f})).build();
        float[] x = {0.6f, 0.8f}; // ‖x ⊕ onehot‖ = √2
        double n = Math.sqrt(2) + 1e-4;
        double[] h0 = {(0.6 + 2) / n, 0.8 / n + 0.5};   // label 0
        double[] h1 = {0.6 / n, Math.max(0, (0.8 - 1) / n + 0.5)}; // label 1
        double g0 = softplus((h0[0] * h0[0] + h0[1] * h0[1]) / 2 - 0.25);
        double g1 = softplus((h1[0] * h1[0] + h1[1] * h1[1]) / 2 - 0.25);
        float[] out = new float[2];
        Predictor p = Inference.predictor(m);
        p.scores(x, 0, 1, out);
        assertArrayEquals(new float[] {(float) g0, (float) g1}, out, 1e-6f);
        assertEquals(0, p.label(out, 0));
        Predictor min = Inference.predictor(m.toBuilder().objective(Objective.MINIMIZE).build());
        assertEquals(1, min.label(out, 0));
    }

    @Test
    void bpnnLabelIsArgmaxEvenWithMinimizeObjective() {
        Model m = model(Architecture.BPNN, Objective.MINIMIZE, 3, 5);
        Predictor p = Inference.predictor(m);
        float[] s = new float[20];
        s[3] = 5;
        s[10 + 7] = -1;
        s[10 + 2] = -0.5f;
        for (int c = 0; c < 10; c++) {
            if (c != 7 && c != 2) {
                s[10 + c] = -2;
            }
        }
        assertEquals(3, p.label(s, 0));
        assertEquals(2, p.label(s, 1));
    }

    @Test
    void batchesOffsetsAndPredictAreConsistent() {
        Model m = model(Architecture.FFNN, Objective.MAXIMIZE, 21, 40, 20);
        int n = 11;
        float[] img = TestImages.mixed(n);
        Predictor p = Inference.predictor(m, 4);
        float[] all = new float[n * 10];
        p.scores(img, 0, n, all);
        float[] one = new float[10];
        for (int s = 0; s < n; s++) {
            p.scores(img, s * D, 1, one);
            for (int c = 0; c < 10; c++) {
                assertEquals(all[s * 10 + c], one[c], 1e-6f * Math.abs(one[c]) + 1e-7f);
            }
        }
        int[] labels = p.predict(img, 2 * D, 5);
        for (int s = 0; s < 5; s++) {
            assertEquals(p.label(all, s + 2), labels[s]);
        }
    }

    @Test
    void scoresAllocatesNothingPerCall() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean,
                "SKIPPED: this JVM cannot count allocated bytes per thread");
        com.sun.management.ThreadMXBean tm = (com.sun.management.ThreadMXBean) mx;
        float[] img = TestImages.mixed(9);
        float[] out = new float[90];
        for (Architecture a : Architecture.values()) {
            // ffcnn: a few filters (each one runs over all 784 pixels of every label's image)
            boolean cnn = a.isConv();
            Predictor p = Inference.predictor(cnn ? model(a, Objective.MAXIMIZE, 4, 3, 2) : model(a, Objective.MAXIMIZE, 40, 30, 20));
            for (int i = 0; i < (cnn ? 300 : 3000); i++) {
                p.scores(img, 0, 9, out); // warm up: the JIT compiles the kernels
            }
            long tid = Thread.currentThread().getId();
            long before = tm.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 200; i++) {
                p.scores(img, 0, 9, out);
            }
            long bytes = tm.getThreadAllocatedBytes(tid) - before;
            assertTrue(bytes < 2048, a + ": 200 calls allocated " + bytes + " bytes");
        }
    }

    @Test
    void predictorsSharingWeightsWorkConcurrently() throws Exception {
        float[] img = TestImages.mixed(12);
        for (Architecture a : Architecture.values()) {
            Model m = a.isConv() ? model(a, Objective.MAXIMIZE, 4, 3, 2) : model(a, Objective.MAXIMIZE, 50, 30, 20);
            float[] want = new float[120];
            Inference.predictor(m).scores(img, 0, 12, want);
            java.util.List<Predictor> ps = Inference.predictors(m, 3);
            assertEquals(3, ps.size());
            float[][] got = new float[3][120];
            Thread[] ts = new Thread[3];
            java.util.concurrent.atomic.AtomicReference<Throwable> fail = new java.util.concurrent.atomic.AtomicReference<>();
            for (int t = 0; t < 3; t++) {
                int tt = t;
                ts[t] = new Thread(() -> {
                    try {
                        for (int rep = 0; rep < 50; rep++) {
                            ps.get(tt).scores(img, 0, 12, got[tt]);
                            if (!java.util.Arrays.equals(want, got[tt])) {
                                throw new AssertionError(a + ": thread " + tt + " differs in round " + rep);
                            }
                        }
                    } catch (Throwable e) {
                        fail.compareAndSet(null, e);
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) {
                t.join();
            }
            if (fail.get() != null) {
                throw new AssertionError(fail.get().getMessage(), fail.get());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Inference.predictors(model(Architecture.FFNN, Objective.MAXIMIZE, 1, 5), 0));
    }

    @Test
    void badArgumentsAreRefused() {
        Predictor p = Inference.predictor(model(Architecture.FFNN, Objective.MAXIMIZE, 1, 5));
        float[] img = new float[2 * D];
        assertThrows(IllegalArgumentException.class, () -> p.scores(img, 0, 3, new float[30]));
        assertThrows(IllegalArgumentException.class, () -> p.scores(img, D + 1, 1, new float[10]));
        assertThrows(IllegalArgumentException.class, () -> p.scores(img, 0, 2, new float[19]));
        assertThrows(IllegalArgumentException.class, () -> p.scores(img, -1, 1, new float[10]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Inference.predictor(model(Architecture.FFNN, Objective.MAXIMIZE, 1, 5), 0));
        assertTrue(e.getMessage().contains("block"));
    }

    private static double softplus(double u) {
        return Math.log1p(Math.exp(u));
    }

    /**
     * Candidate elimination on a trained model, where it drops most candidates: labels() equals the
     * argmin of the full scores on all 10,000 MNIST test images, and the int8 form of the model too
     * (its bounds come from other sums).
     */
    @Test
    void candidateEliminationGivesTheLabelsOfTheFullScoresOnATrainedModel() throws Exception {
        java.nio.file.Path root = TestImages.datasetsRoot();
        java.nio.file.Path file = java.nio.file.Paths.get("..", "models", "mnist-ffnn-2x200.onnx");
        org.junit.jupiter.api.Assumptions.assumeTrue(root != null && java.nio.file.Files.isRegularFile(file),
                "SKIPPED: needs MNIST (shared/datasets or $FFTK_DATA) and models/mnist-ffnn-2x200.onnx");
        Model trained = org.fftk.edge.onnx.OnnxModelReader.read(file);
        assertEquals(Objective.MINIMIZE, trained.objective());
        float[] x = org.fftk.edge.data.IdxFiles.readImages(root.resolve("mnist").resolve("t10k-images-idx3-ubyte.gz"))
                .toFloats();
        int n = x.length / D;
        for (Model m : new Model[] {trained, trained.quantized()}) {
            Predictor p = Inference.predictor(m);
            float[] sc = new float[n * 10];
            p.scores(x, 0, n, sc);
            int[] labels = new int[n];
            p.labels(x, 0, n, labels);
            assertArrayEquals(LabelRule.labels(m, sc, n), labels, m.isInt8() ? "int8" : "float32");
        }
    }
}
