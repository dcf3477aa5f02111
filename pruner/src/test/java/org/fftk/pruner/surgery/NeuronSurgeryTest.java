package org.fftk.pruner.surgery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.junit.jupiter.api.Test;

/** Surgery on hand-built models against hand-written expected matrices. */
class NeuronSurgeryTest {

    // ffnn / ffnn-c: image width 2, 2 labels → layer 0 reads 4 values; widths 4, 3.
    private static final float[] W0 = {
        1, 2, 3, 4,
        11, 12, 13, 14,
        21, 22, 23, 24,
        31, 32, 33, 34};
    private static final float[] B0 = {0.1f, 0.2f, 0.3f, 0.4f};
    private static final float[] W1 = {
        101, 102, 103, 104,
        111, 112, 113, 114,
        121, 122, 123, 124};
    private static final float[] B1 = {1, 2, 3};

    private static Model ffnn() {
        return Model.builder(Architecture.FFNN).inputSize(2).numLabels(2).provenance("{\"dataset\":\"toy\"}")
                .addLayer(new DenseLayer(4, 4, W0, B0))
                .addLayer(new DenseLayer(3, 4, W1, B1)).build();
    }

    @Test
    void ffnnRowsAndNextLayerColumnsGo() {
        Model p = NeuronSurgery.keep(ffnn(), new int[][] {{1, 3}, {0, 2}});
        assertArrayEquals(new int[] {2, 2}, p.widths());
        DenseLayer l0 = p.layers().get(0);
        assertEquals(4, l0.in(), "layer 0 keeps all input columns (image ⊕ label)");
        assertArrayEquals(new float[] {11, 12, 13, 14, 31, 32, 33, 34}, l0.weights());
        assertArrayEquals(new float[] {0.2f, 0.4f}, l0.biases());
        DenseLayer l1 = p.layers().get(1);
        assertEquals(2, l1.in());
        assertArrayEquals(new float[] {102, 104, 122, 124}, l1.weights());
        assertArrayEquals(new float[] {1, 3}, l1.biases());
        assertEquals("{\"dataset\":\"toy\"}", p.provenance(), "surgery itself leaves provenance alone");
        assertEquals(ffnn().theta(), p.theta());
    }

    @Test
    void keepingEverythingIsTheIdentity() {
        Model m = ffnn();
        Model p = NeuronSurgery.keep(m, new int[][] {{0, 1, 2, 3}, {0, 1, 2}});
        assertEquals(m.layers(), p.layers());
    }

    @Test
    void bpnnOutputLayerLosesColumns() {
        float[] w0 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};   // 4 x 3
        float[] w1 = {21, 22, 23, 24, 31, 32, 33, 34, 41, 42, 43, 44}; // 3 x 4
        float[] c = {5, 6, 7, 8, 9, 10};                          // 2 x 3
        Model m = Model.builder(Architecture.BPNN).inputSize(3).numLabels(2)
                .addLayer(new DenseLayer(4, 3, w0, new float[] {1, 2, 3, 4}))
                .addLayer(new DenseLayer(3, 4, w1, new float[] {5, 6, 7}))
                .classifier(new DenseLayer(2, 3, c, new float[] {-1, -2})).build();
        Model p = NeuronSurgery.keep(m, new int[][] {{0, 2}, {1, 2}});
        assertArrayEquals(new float[] {1, 2, 3, 7, 8, 9}, p.layers().get(0).weights());
        assertArrayEquals(new float[] {1, 3}, p.layers().get(0).biases());
        assertArrayEquals(new float[] {31, 33, 41, 43}, p.layers().get(1).weights());
        assertArrayEquals(new float[] {6, 7}, p.layers().get(1).biases());
        assertArrayEquals(new float[] {6, 7, 9, 10}, p.classifier().weights());
        assertArrayEquals(new float[] {-1, -2}, p.classifier().biases());
        assertEquals(2 * 3 + 2 + 2 * 2 + 2 + 2 * 2 + 2, p.parameterCount());
    }

    @Test
    void ffnnCClassifierColumnsShiftPerLayer() {
        float[] c = {0, 1, 2, 3, 4, 5, 6, 100, 101, 102, 103, 104, 105, 106}; // 2 x (4 + 3)
        Model m = Model.builder(Architecture.FFNN_C).inputSize(2).numLabels(2)
                .addLayer(new DenseLayer(4, 4, W0, B0))
                .addLayer(new DenseLayer(3, 4, W1, B1))
                .classifier(new DenseLayer(2, 7, c, new float[] {9, 8})).build();
        Model p = NeuronSurgery.keep(m, new int[][] {{1, 3}, {0, 2}});
        assertArrayEquals(new float[] {102, 104, 122, 124}, p.layers().get(1).weights());
        // layer 0 keeps columns 1, 3; layer 1's columns start at 4: keeps 4 + 0, 4 + 2.
        assertArrayEquals(new float[] {1, 3, 4, 6, 101, 103, 104, 106}, p.classifier().weights());
        assertArrayEquals(new float[] {9, 8}, p.classifier().biases());
    }

    @Test
    void ffrnnBackwardWeightsLoseRowsAndColumns() {
        // image 2, labels 2, widths 3, 2
        float[] f0 = {1, 2, 3, 4, 5, 6};            // 3 x 2 (reads image)
        float[] b0 = {7, 8, 9, 10, 11, 12};         // 3 x 2 (reads layer 1)
        float[] f1 = {13, 14, 15, 16, 17, 18};      // 2 x 3 (reads layer 0)
        float[] b1 = {19, 20, 21, 22};              // 2 x 2 (reads the label)
        Model m = Model.builder(Architecture.FFRNN).inputSize(2).numLabels(2)
                .addLayer(new DenseLayer(3, 2, f0, new float[] {.1f, .2f, .3f}, 2, b0))
                .addLayer(new DenseLayer(2, 3, f1, new float[] {.4f, .5f}, 2, b1)).build();
        Model p = NeuronSurgery.keep(m, new int[][] {{0, 2}, {1}});
        DenseLayer l0 = p.layers().get(0);
        assertArrayEquals(new float[] {1, 2, 5, 6}, l0.weights());
        assertArrayEquals(new float[] {.1f, .3f}, l0.biases());
        assertEquals(1, l0.backIn());
        assertArrayEquals(new float[] {8, 12}, l0.backWeights());
        DenseLayer l1 = p.layers().get(1);
        assertArrayEquals(new float[] {16, 18}, l1.weights());
        assertArrayEquals(new float[] {.5f}, l1.biases());
        assertEquals(2, l1.backIn(), "the label columns never change");
        assertArrayEquals(new float[] {21, 22}, l1.backWeights());
        assertEquals(p.beta(), m.beta());
    }

    @Test
    void badKeepListsAreRejectedWithOneLineMessages() {
        Model m = ffnn();
        assertMessage(() -> NeuronSurgery.keep(m, new int[][] {{0}}), "hidden layers");
        assertMessage(() -> NeuronSurgery.keep(m, new int[][] {{}, {0}}), "at least one");
        assertMessage(() -> NeuronSurgery.keep(m, new int[][] {{2, 1}, {0}}), "increasing");
        assertMessage(() -> NeuronSurgery.keep(m, new int[][] {{1, 1}, {0}}), "increasing");
        assertMessage(() -> NeuronSurgery.keep(m, new int[][] {{0, 4}, {0}}), "outside");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
        assertTrue(!ex.getMessage().contains("\n"), "one line");
    }
}
