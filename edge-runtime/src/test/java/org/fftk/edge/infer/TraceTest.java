package org.fftk.edge.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.edge.testutil.RandomModels;
import org.junit.jupiter.api.Test;

/** The trace API: every layer's h and z of every architecture against the literal double-precision reference. */
class TraceTest {
    static final int D = 40;

    /** Everything a trace reported, keyed by image/candidate/layer/frame. */
    static final class Recorder implements LayerSink {
        final Map<String, float[]> h = new HashMap<>();
        final Map<String, Double> z = new HashMap<>();

        @Override
        public synchronized void layer(int image, int candidate, int layer, int frame, float[] values, double zv) {
            String k = image + "/" + candidate + "/" + layer + "/" + frame;
            assertTrue(h.put(k, values.clone()) == null, "reported twice: " + k);
            z.put(k, zv);
        }
    }

    private static double[] image(float[] img, int s) {
        double[] x = new double[D];
        for (int i = 0; i < D; i++) {
            x[i] = img[s * D + i];
        }
        return x;
    }

    private static void assertLayer(double[] want, Recorder r, String key, Model m) {
        float[] got = r.h.get(key);
        assertTrue(got != null, "missing " + key);
        assertEquals(want.length, got.length, key);
        double ss = 0;
        for (int j = 0; j < want.length; j++) {
            assertEquals(want[j], got[j], 1e-4 * Math.max(1, Math.abs(want[j])), key + " unit " + j);
            ss += want[j] * want[j];
        }
        double z = ss / want.length - m.theta();
        assertEquals(z, r.z.get(key), 1e-4 * Math.max(1, Math.abs(z)), key + " z");
    }

    @Test
    void everyArchitectureReportsTheReferencesActivationsAndItsOwnScores() {
        int n = 6;
        float[] img = RandomModels.sparseImages(77, n, D, 0.6);
        for (Architecture a : Architecture.values()) {
            Model m = RandomModels.model(a, Objective.MINIMIZE, D, 10, 21, 24, 16, 9).toBuilder().testFrames(2, 4).build();
            for (int threads : new int[] {1, 4}) {
                Recorder r = new Recorder();
                float[] scores = Trace.run(m, img, 0, n, r, threads);
                float[] plain = new float[n * 10];
                Inference.predictor(m).scores(img, 0, n, plain);
                assertArrayEquals(plain, scores, a + ": the trace's scores are the predictor's");
                ReferencePredictor ref = new ReferencePredictor(m);
                int expected = 0;
                for (int s = 0; s < n; s++) {
                    double[] x = image(img, s);
                    if (a == Architecture.FFRNN) {
                        for (int c = 0; c < 10; c++) {
                            double[][][] f = ref.frames(x, c);
                            for (int t = 0; t < f.length; t++) {
                                for (int l = 0; l < 3; l++) {
                                    if (t == 0 && c == 0) {
                                        assertLayer(f[0][l], r, s + "/-1/" + l + "/0", m);
                                        expected++;
                                    } else if (t > 0) {
                                        assertLayer(f[t][l], r, s + "/" + c + "/" + l + "/" + t, m);
                                        expected++;
                                    }
                                }
                            }
                        }
                    } else if (a == Architecture.FFNN || a == Architecture.FFCNN) {
                        for (int c = 0; c < 10; c++) {
                            double[][] h = ref.hidden(x, c);
                            for (int l = 0; l < 3; l++) {
                                assertLayer(h[l], r, s + "/" + c + "/" + l + "/0", m);
                                expected++;
                            }
                        }
                    } else {
                        double[][] h = ref.hidden(x, -1);
                        for (int l = 0; l < 3; l++) {
                            assertLayer(h[l], r, s + "/-1/" + l + "/0", m);
                            expected++;
                        }
                    }
                }
                assertEquals(expected, r.h.size(), a + ": nothing else reported");
            }
        }
    }

    @Test
    void withoutActivationsOnlyZIsReportedAndTheOffsetIsHonoured() {
        int n = 5;
        float[] img = RandomModels.sparseImages(78, n + 2, D, 0.6);
        Model m = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, D, 10, 22, 12);
        Recorder all = new Recorder();
        Trace.run(m, img, 2 * D, n, all, 1);
        // two threads call the sink at once: the count must be atomic
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Trace.run(m, img, 2 * D, n, new LayerSink() {
            @Override
            public void layer(int image, int candidate, int layer, int frame, float[] h, double z) {
                assertEquals(null, h);
                assertEquals(all.z.get(image + "/" + candidate + "/" + layer + "/" + frame), z, 0);
                calls.incrementAndGet();
            }

            @Override
            public boolean activations() {
                return false;
            }
        }, 2);
        assertEquals(n * 10, calls.get());
        // image 0 of the trace is image 2 of the array
        Recorder shifted = new Recorder();
        Trace.run(m, java.util.Arrays.copyOfRange(img, 2 * D, 3 * D), 0, 1, shifted, 1);
        assertArrayEquals(shifted.h.get("0/3/0/0"), all.h.get("0/3/0/0"));
    }
}
