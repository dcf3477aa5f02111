package org.fftk.edge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.testutil.RandomModels;
import org.junit.jupiter.api.Test;

/** The one shape description: parameters in a fixed order, and Model ↔ parameter values both ways. */
class LayoutTest {
    @Test
    void shapesOfEveryArchitectureByHand() {
        int[] w = {5, 4, 3};
        assertEquals(List.of("layer0.weight[5, 12]", "layer0.bias[5]", "layer1.weight[4, 5]", "layer1.bias[4]",
                "layer2.weight[3, 4]", "layer2.bias[3]"), names(Architecture.FFNN, w));
        assertEquals(List.of("layer0.weight[5, 12]", "layer0.bias[5]", "layer1.weight[4, 5]", "layer1.bias[4]",
                "layer2.weight[3, 4]", "layer2.bias[3]", "classifier.weight[2, 12]", "classifier.bias[2]"),
                names(Architecture.FFNN_C, w));
        assertEquals(List.of("layer0.weight[5, 10]", "layer0.bias[5]", "layer0.backward_weight[5, 4]",
                "layer1.weight[4, 5]", "layer1.bias[4]", "layer1.backward_weight[4, 3]",
                "layer2.weight[3, 4]", "layer2.bias[3]", "layer2.backward_weight[3, 2]"), names(Architecture.FFRNN, w));
        assertEquals(List.of("layer0.weight[5, 10]", "layer0.bias[5]", "layer1.weight[4, 5]", "layer1.bias[4]",
                "layer2.weight[3, 4]", "layer2.bias[3]", "classifier.weight[2, 3]", "classifier.bias[2]"),
                names(Architecture.BPNN, w));
    }

    private static List<String> names(Architecture a, int[] w) {
        List<String> r = new ArrayList<>();
        for (Layout.Param p : Layout.parameters(a, 10, 2, w)) {
            r.add(p.name() + java.util.Arrays.toString(p.dims()));
        }
        return r;
    }

    @Test
    void parametersRoundTripAndMatchTheFileTensors() {
        for (Architecture a : Architecture.values()) {
            for (int[] w : new int[][] {{7}, {7, 5, 6}}) {
                if (a == Architecture.FFCNN_C && w.length < 2) {
                    continue; // its classifier reads every layer but the first
                }
                Model m = RandomModels.model(a, Objective.MINIMIZE, 9, 3, 17, w);
                List<float[]> p = m.parameters();
                List<Tensor> t = ModelFormat.tensors(m);
                // ffcnn's and ffcnn-c's file also holds the label patterns, after the parameters
                boolean cnn = a.isFfConv();
                assertEquals(t.size(), p.size() + (cnn ? 1 : 0));
                if (cnn) {
                    assertArrayEquals(m.labelPatterns(), t.get(p.size()).data());
                }
                for (int i = 0; i < p.size(); i++) {
                    assertArrayEquals(t.get(i).data(), p.get(i), a + " " + t.get(i).name());
                }
                Model.Builder bb = Model.builder(a).inputSize(9).numLabels(3).objective(Objective.MINIMIZE).theta(m.theta());
                if (cnn) {
                    bb.conv(m.conv()).labelPatterns(m.labelPatterns()).scoreFrom(m.scoreFrom());
                } else if (a == Architecture.BPCNN) {
                    bb.conv(m.conv());
                }
                Model back = bb.parameters(w, p).build();
                assertEquals(m.layers(), back.layers(), a + " layers");
                assertEquals(m.classifier(), back.classifier(), a + " classifier");
                p.get(0)[0] += 1; // parameters() hands out copies
                assertEquals(m.layers().get(0), back.layers().get(0));
            }
        }
    }

    @Test
    void wrongValuesAreRefusedWithTheParameterName() {
        Model m = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, 9, 3, 18, 4, 4);
        List<float[]> p = m.parameters();
        p.set(2, new float[15]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Model.builder(Architecture.FFNN).inputSize(9).numLabels(3).parameters(new int[] {4, 4}, p));
        assertEquals("parameter layer1.weight needs 16 values, got 15", e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> Model.builder(Architecture.FFNN).inputSize(9).numLabels(3).parameters(new int[] {4}, p));
        assertTrue(n.getMessage().contains("has 2 parameter tensors, got 4"), n.getMessage());
    }
}
