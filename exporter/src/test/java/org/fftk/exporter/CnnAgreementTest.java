package org.fftk.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormatException;
import org.fftk.edge.model.Objective;
import org.fftk.edge.onnx.OnnxModelReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ffcnn (docs/algorithms.md "FF-CNN"): the exported graph in ONNX Runtime, the edge runtime's conv
 * predictor and the plain double-precision convolution of {@link Reference} agree on scores (1e-4
 * relative) and labels, over kernel sizes, strides, paddings, depths, channels and both objectives.
 */
class CnnAgreementTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                // name, channels, side, filters, kernels, strides, pads, objective, scoreFrom
                Arguments.of("paper-like 3 layers 5x5 same", 1, 28, new int[] {6, 5, 4}, new int[] {5, 5, 5}, new int[] {1, 1, 1},
                        new int[] {2, 2, 2}, Objective.MAXIMIZE, 1),
                Arguments.of("valid 7x7 then stride 2", 1, 28, new int[] {4, 3}, new int[] {7, 3}, new int[] {1, 2},
                        new int[] {0, 1}, Objective.MAXIMIZE, 0),
                Arguments.of("colour 3x3 stride 2 minimize", 3, 12, new int[] {5, 6, 2}, new int[] {3, 3, 2},
                        new int[] {2, 1, 1}, new int[] {1, 1, 0}, Objective.MINIMIZE, 2),
                Arguments.of("one layer 1x1", 2, 9, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {0},
                        Objective.MAXIMIZE, 0),
                // paper 004's depths reach the conv architectures too
                Arguments.of("8 layers 3x3", 1, 12, new int[] {3, 4, 3, 4, 3, 4, 3, 4}, new int[] {3, 3, 3, 3, 3, 3, 3, 3},
                        new int[] {1, 1, 1, 1, 2, 1, 1, 1}, new int[] {1, 1, 1, 1, 1, 1, 1, 1}, Objective.MAXIMIZE, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ortEdgeAndReferenceAgree(String name, int ch, int side, int[] filters, int[] kernels, int[] strides, int[] pads,
                                  Objective obj, int scoreFrom) throws Exception {
        Model m = TestModels.ffcnn(name.hashCode(), ch, side, side, filters, kernels, strides, pads, obj, scoreFrom, 0.35f);
        int d = m.inputSize();
        OnnxAgreementTest.check(m, TestModels.syntheticImages(3, 6, d), 6);
        OnnxAgreementTest.check(m.quantized(), TestModels.syntheticImages(4, 3, d), 3);
    }

    /**
     * ffcnn with the softmax score rule (paper 000): per scored layer a softmax over the labels of ‖h_l‖,
     * summed; the file keeps the rule; both label kinds.
     */
    @ParameterizedTest(name = "softmax rule {0}")
    @MethodSource("cases")
    void softmaxScoreRuleAgrees(String name, int ch, int side, int[] filters, int[] kernels, int[] strides, int[] pads,
                                Objective obj, int scoreFrom, @TempDir Path dir) throws Exception {
        if (obj != Objective.MAXIMIZE) {
            return; // the rule is for maximize models
        }
        Model m = TestModels.ffcnn(name.hashCode() + 5, ch, side, side, filters, kernels, strides, pads, obj, scoreFrom, 0.35f)
                .toBuilder().scoreRule(Model.SCORE_SOFTMAX).build();
        int d = m.inputSize();
        OnnxAgreementTest.check(m, TestModels.syntheticImages(13, 5, d), 5);
        Model morph = TestModels.ffcnnMorphology(name.hashCode() + 6, ch, side, side, filters, kernels, strides, pads, obj,
                scoreFrom).toBuilder().scoreRule(Model.SCORE_SOFTMAX).build();
        OnnxAgreementTest.check(morph, TestModels.syntheticImages(14, 4, d), 4);
        assertEquals(Model.SCORE_SOFTMAX, OnnxModelReader.read(writeTo(m, dir.resolve("softmax.onnx"))).scoreRule());
    }

    /** ffcnn with morphological labels: the graph gathers every label's transformed image (Concat, Cast, Gather). */
    @ParameterizedTest(name = "morphology {0}")
    @MethodSource("cases")
    void morphologyLabelsAgree(String name, int ch, int side, int[] filters, int[] kernels, int[] strides, int[] pads,
                               Objective obj, int scoreFrom) throws Exception {
        Model m = TestModels.ffcnnMorphology(name.hashCode() + 2, ch, side, side, filters, kernels, strides, pads, obj, scoreFrom);
        int d = m.inputSize();
        OnnxAgreementTest.check(m, TestModels.syntheticImages(7, 5, d), 5);
        OnnxAgreementTest.check(m.quantized(), TestModels.syntheticImages(8, 3, d), 3);
    }

    /**
     * ffcnn-c (docs/algorithms.md "Linear classifier"): one pass on the unlabelled input (the mean pattern
     * mixed in; with morphological labels the image itself), the classifier on layers 1..n−1; both label kinds.
     */
    @ParameterizedTest(name = "ffcnn-c {0}")
    @MethodSource("cases")
    void classifierRouteAgrees(String name, int ch, int side, int[] filters, int[] kernels, int[] strides, int[] pads,
                               Objective obj, int scoreFrom) throws Exception {
        if (filters.length < 2) {
            return; // ffcnn-c's classifier reads every layer but the first
        }
        Model ff = TestModels.ffcnn(name.hashCode() + 3, ch, side, side, filters, kernels, strides, pads, obj, scoreFrom, 0.3f);
        Model m = TestModels.ffcnnC(ff, 11);
        int d = m.inputSize();
        OnnxAgreementTest.check(m, TestModels.syntheticImages(9, 6, d), 6);
        OnnxAgreementTest.check(m.quantized(), TestModels.syntheticImages(10, 3, d), 3);
        Model morph = TestModels.ffcnnC(TestModels.ffcnnMorphology(name.hashCode() + 4, ch, side, side, filters, kernels,
                strides, pads, obj, scoreFrom), 12);
        OnnxAgreementTest.check(morph, TestModels.syntheticImages(11, 5, d), 5);
        // the goodness route of the same file is the ffcnn of its layers
        assertEquals(org.fftk.edge.model.Architecture.FFCNN, m.goodnessModel().architecture());
        assertEquals(ff.layers(), m.goodnessModel().layers());
        OnnxAgreementTest.check(m.goodnessModel(), TestModels.syntheticImages(12, 3, d), 3);
    }

    /** bpcnn (docs/algorithms.md "BP-CNN"): the same geometries, the logits of the output layer on the flattened maps. */
    @ParameterizedTest(name = "bpcnn {0}")
    @MethodSource("cases")
    void bpcnnAgrees(String name, int ch, int side, int[] filters, int[] kernels, int[] strides, int[] pads,
                     Objective obj, int scoreFrom) throws Exception {
        Model m = TestModels.bpcnn(name.hashCode() + 1, ch, side, side, filters, kernels, strides, pads);
        int d = m.inputSize();
        OnnxAgreementTest.check(m, TestModels.syntheticImages(5, 6, d), 6);
        OnnxAgreementTest.check(m.quantized(), TestModels.syntheticImages(6, 3, d), 3);
    }

    @Test
    void mnistImages() throws Exception {
        float[] x = OnnxAgreementTest.mnist(8);
        Model m = TestModels.ffcnn(8, 1, 28, 28, new int[] {8, 8, 8}, new int[] {5, 5, 5}, new int[] {1, 1, 1},
                new int[] {2, 2, 2}, Objective.MAXIMIZE, 1, 0.35f);
        OnnxAgreementTest.check(m, x, 8);
    }

    @Test
    void fileRoundTripKeepsEverything(@TempDir Path dir) throws Exception {
        Model m = TestModels.ffcnn(5, 3, 10, 10, new int[] {4, 2}, new int[] {3, 3}, new int[] {1, 2}, new int[] {1, 0},
                Objective.MINIMIZE, 1, 0.25f);
        Path f = dir.resolve("cnn.onnx");
        OnnxExporter.write(m, f);
        Model back = OnnxModelReader.read(f);
        assertEquals(m.conv(), back.conv());
        assertEquals(m.scoreFrom(), back.scoreFrom());
        assertEquals(m.labelIntensity(), back.labelIntensity());
        assertArrayEquals(m.labelPatterns(), back.labelPatterns());
        for (int i = 0; i < m.parameters().size(); i++) {
            assertArrayEquals(m.parameters().get(i), back.parameters().get(i));
        }
        Model q = OnnxModelReader.read(writeTo(m.quantized(), dir.resolve("q.onnx")));
        assertEquals(m.quantized().layers(), q.layers());
        Model morph = TestModels.ffcnnMorphology(7, 2, 6, 5, new int[] {3}, new int[] {3}, new int[] {1}, new int[] {1},
                Objective.MAXIMIZE, 0);
        Model morphBack = OnnxModelReader.read(writeTo(morph, dir.resolve("morph.onnx")));
        assertArrayEquals(morph.labelMaps(), morphBack.labelMaps());
        assertEquals(Model.LABEL_ENCODING_MORPHOLOGY, morphBack.labelEncoding());
        Model c = TestModels.ffcnnC(m, 3);
        Model cBack = OnnxModelReader.read(writeTo(c, dir.resolve("c.onnx")));
        assertEquals(org.fftk.edge.model.Architecture.FFCNN_C, cBack.architecture());
        assertEquals(c.classifier(), cBack.classifier());
        assertArrayEquals(c.labelPatterns(), cBack.labelPatterns());
        Model bp = TestModels.bpcnn(6, 3, 10, 10, new int[] {4, 2}, new int[] {3, 3}, new int[] {1, 2}, new int[] {1, 0});
        Model bpBack = OnnxModelReader.read(writeTo(bp, dir.resolve("bp.onnx")));
        assertEquals(bp.conv(), bpBack.conv());
        assertEquals(bp.layers(), bpBack.layers());
        assertEquals(bp.classifier(), bpBack.classifier());
    }

    @Test
    void impossibleGeometryIsRefusedWithOneLine(@TempDir Path dir) throws Exception {
        Model m = TestModels.ffcnn(5, 1, 4, 4, new int[] {2}, new int[] {3}, new int[] {1}, new int[] {1},
                Objective.MAXIMIZE, 0, 0.35f);
        byte[] bytes = OnnxExporter.toBytes(m);
        // a kernel larger than the padded image, written into the metadata of a real file
        byte[] bad = replace(bytes, "fftk.cnn.kernels\u0012\u00013", "fftk.cnn.kernels\u0012\u00019");
        Path f = Files.write(dir.resolve("bad.onnx"), bad);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> OnnxModelReader.read(f));
        System.out.println("[CnnAgreementTest] " + e.getMessage());
    }

    private static Path writeTo(Model m, Path f) throws Exception {
        OnnxExporter.write(m, f);
        return f;
    }

    private static byte[] replace(byte[] b, String from, String to) {
        String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!s.contains(from)) {
            throw new AssertionError("metadata entry not found");
        }
        return s.replace(from, to).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
