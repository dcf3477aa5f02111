package org.fftk.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.model.ModelFormatException;
import org.fftk.edge.model.Objective;
import org.fftk.edge.model.Tensor;
import org.fftk.edge.onnx.OnnxModelReader;
import org.junit.jupiter.api.Test;

/**
 * Factored (low-rank) ffnn layers, W = U·V (docs/algorithms.md "Low-rank layers"): the exported graph
 * run by ONNX Runtime, the edge runtime and a double-precision reference that multiplies V·x and then
 * U·(V·x) agree (scores to 1e-4 relative, labels exactly), float32 and int8, with every layer or only
 * some factored, ffnn and bpnn; the file keeps the factors exactly and says their ranks.
 */
class FactoredModelTest {
    static final int D = 784;

    @Test
    void factoredFfnnAgreesWithReferenceAndEdge() throws Exception {
        float[] synthetic = TestModels.syntheticImages(41, 10, D);
        float[] mnist = MnistImages.testImages(12);
        Model a = TestModels.factored(TestModels.ffnn(5, D, new int[] {64, 32}, Objective.MINIMIZE, 0.5f, 1.0), 9, 1.0, 12, 5);
        Model b = TestModels.factored(TestModels.ffnn(6, D, new int[] {50, 40, 9}, Objective.MAXIMIZE, 0.3f, 1.0), 10, 1.0,
                0, 20, 3);
        Model c = TestModels.factored(TestModels.ffnn(7, D, new int[] {128, 32}, Objective.MINIMIZE, 0f, 0.0), 11, 0.0, 30, 0);
        Model soft = TestModels.factored(TestModels.ffnn(8, D, new int[] {64, 13}, Objective.MAXIMIZE, 0.5f, 1.0), 12, 1.0, 16, 8)
                .toBuilder().scoreRule(Model.SCORE_SOFTMAX).build();
        Model over = TestModels.factored(OnnxAgreementTest.overwriting(
                TestModels.ffnn(9, D, new int[] {32, 16}, Objective.MINIMIZE, 0.5f, 1.0)), 13, 1.0, 10, 4);
        Model bp = TestModels.factored(TestModels.bpnn(10, D, new int[] {48, 24}), 14, 0.0, 16, 6);
        for (Model m : new Model[] {a, b, c, soft, over, bp}) {
            for (Model v : new Model[] {m, m.quantized()}) {
                OnnxAgreementTest.check(v, synthetic, 10);
                if (mnist != null) {
                    OnnxAgreementTest.check(v, mnist, 12);
                }
                Model back = OnnxModelReader.read(OnnxExporter.toBytes(v));
                assertEquals(v.layers(), back.layers(), "the file keeps the factors exactly");
                assertArrayEquals(v.ranks(), back.ranks());
                assertEquals(v.isInt8(), back.isInt8());
            }
        }
        assertEquals("12,5", ModelFormat.metadata(a).get(ModelFormat.KEY_RANKS));
        assertEquals("0,20,3", ModelFormat.metadata(b).get(ModelFormat.KEY_RANKS));
        // parameters: r·(out + in) + out per factored layer
        assertEquals(12L * (64 + 794) + 64 + 5L * (32 + 64) + 32, a.parameterCount());
    }

    /** The product U·V a factored layer reports is the float sum over k, and int8 factors keep one scale per rank component. */
    @Test
    void factoredLayerWeightsAreTheProduct() {
        float[] u = {1, 2, 3, 4, 5, 6}; // 3 × 2
        float[] v = {0.5f, -1, 2, 0.25f}; // 2 × 2
        DenseLayer l = DenseLayer.factored(3, 2, 2, u, v, new float[3]);
        assertArrayEquals(new float[] {1 * 0.5f + 2 * 2, 1 * -1 + 2 * 0.25f, 3 * 0.5f + 4 * 2, 3 * -1 + 4 * 0.25f,
                5 * 0.5f + 6 * 2, 5 * -1 + 6 * 0.25f}, l.weights());
        assertEquals(3 * 2 + 2 * 2 + 3, l.parameterCount());
        DenseLayer q = l.quantized();
        // one scale per rank component: U's columns (held as the rows of Uᵀ) and V's rows
        assertEquals(2, q.int8FactorU().scales().length);
        assertEquals(2, q.int8FactorV().scales().length);
        assertEquals(5f / 127, q.int8FactorU().scales()[0], 1e-9);
        assertEquals(6f / 127, q.int8FactorU().scales()[1], 1e-9);
        assertEquals(1f / 127, q.int8FactorV().scales()[0], 1e-9);
        assertEquals(2f / 127, q.int8FactorV().scales()[1], 1e-9);
        float[] uq = q.factorU();
        assertEquals(3f, uq[2], 3f * 0.5f / 127, "U[1][0] dequantised to within half a step");
    }

    /** Ranks that do not fit the layers, or factored layers outside ffnn, are refused in one line. */
    @Test
    void badRanksAreRefused() throws Exception {
        Model m = TestModels.factored(TestModels.ffnn(5, D, new int[] {16, 8}, Objective.MINIMIZE, 0.5f, 1.0), 9, 1.0, 4, 2);
        Map<String, Tensor> tensors = new HashMap<>();
        for (Tensor t : ModelFormat.tensors(m)) {
            tensors.put(t.name(), t);
        }
        Map<String, String> meta = new HashMap<>(ModelFormat.metadata(m));
        assertEquals(m.layers(), ModelFormat.fromParts(meta, tensors).layers());
        meta.put(ModelFormat.KEY_RANKS, "4");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFormat.fromParts(meta, tensors)).getMessage()
                .contains("1 ranks for 2 hidden layers"));
        meta.put(ModelFormat.KEY_RANKS, "4,9");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFormat.fromParts(meta, tensors)).getMessage()
                .contains("rank must be 0 (full) or 1..8"));
        meta.put(ModelFormat.KEY_RANKS, "4,3");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFormat.fromParts(meta, tensors)).getMessage()
                .contains("layer1.weight_u"));
        Model ffc = TestModels.ffnnC(3, D, new int[] {8}, 1.0);
        DenseLayer l = ffc.layers().get(0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ffc.toBuilder().layers(java.util.List.of(
                DenseLayer.factored(l.out(), l.in(), 2, new float[l.out() * 2], new float[2 * l.in()], l.biases()))).build())
                .getMessage().contains("low-rank (factored) layers are for ffnn and bpnn, not ffnn-c"));
    }
}
