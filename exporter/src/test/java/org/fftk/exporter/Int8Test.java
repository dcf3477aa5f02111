package org.fftk.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.edge.onnx.OnnxModelReader;
import org.junit.jupiter.api.Test;

/**
 * int8 weights (docs/algorithms.md, "int8 weights"): every architecture quantised, written as int8
 * initializers + DequantizeLinear, read back exactly, and run by ONNX Runtime and the edge runtime
 * against the plain double-precision reference on the dequantised weights.
 */
class Int8Test {
    static List<Model> quantized() {
        List<Model> q = new ArrayList<>();
        for (Model m : OnnxFileTest.allModels()) {
            q.add(m.quantized());
        }
        return q;
    }

    @Test
    void quantisationIsSymmetricPerNeuronWithinHalfAStep() {
        for (Model m : OnnxFileTest.allModels()) {
            Model q = m.quantized();
            assertTrue(q.isInt8() && !m.isInt8());
            for (int l = 0; l < m.layers().size(); l++) {
                DenseLayer f = m.layers().get(l);
                DenseLayer.Int8 w = q.layers().get(l).int8Weights();
                float[] s = w.scales();
                byte[] v = w.values();
                float[] orig = f.weights();
                for (int j = 0; j < f.out(); j++) {
                    float max = 0;
                    int maxQ = 0;
                    for (int i = 0; i < f.in(); i++) {
                        max = Math.max(max, Math.abs(orig[j * f.in() + i]));
                        maxQ = Math.max(maxQ, Math.abs(v[j * f.in() + i]));
                        assertTrue(Math.abs(orig[j * f.in() + i] - s[j] * v[j * f.in() + i]) <= s[j] / 2 * 1.0001f + 1e-12f,
                                "layer " + l + " weight " + j + "," + i);
                    }
                    assertEquals(max / 127f, s[j], 0f, "scale = max|w| / 127");
                    assertTrue(max == 0 || maxQ == 127, "the largest weight of a row is ±127 steps");
                }
                assertEquals(f.biases()[0], q.layers().get(l).biases()[0], 0f, "biases stay float");
            }
        }
    }

    @Test
    void int8FilesReadBackExactlyAndAreAQuarterOfTheSize() throws Exception {
        for (Model q : quantized()) {
            byte[] bytes = OnnxExporter.toBytes(q);
            Model back = OnnxModelReader.read(bytes);
            assertTrue(back.isInt8());
            assertEquals(q.layers(), back.layers(), q.architecture() + " layers");
            assertEquals(q.classifier(), back.classifier(), q.architecture() + " classifier");
        }
        Model big = TestModels.ffnn(3, 784, new int[] {300, 300}, Objective.MINIMIZE, 0.5f, 1.0);
        double ratio = (double) OnnxExporter.toBytes(big).length / OnnxExporter.toBytes(big.quantized()).length;
        assertTrue(ratio > 3.8 && ratio < 4.0, "float32 / int8 file size " + ratio);
    }

    @Test
    void ortAndEdgeAgreeWithTheDequantisedReference() throws Exception {
        for (Model q : quantized()) {
            OnnxAgreementTest.check(q, TestModels.syntheticImages(17, 10, q.inputSize()), 10);
        }
    }
}
