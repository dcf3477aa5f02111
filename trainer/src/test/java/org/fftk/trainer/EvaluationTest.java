package org.fftk.trainer;

import org.fftk.edge.data.Dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fftk.edge.infer.LayerGoodness;
import org.fftk.edge.model.Objective;
import org.junit.jupiter.api.Test;

/** docs/algorithms.md "Per-layer metrics" per-layer metrics of an ffrnn, from z values chosen by hand. */
class EvaluationTest {
    /** 2 images, 3 labels, 2 layers, 2 counted frames; z[((image·3 + label)·2 + layer)·2 + frame]. */
    private static LayerGoodness goodness(float[] scores) {
        float[] z = {
            // image 0 (true label 1, negative 2)
            /* label 0 */ -1, -1, /**/ 0.5f, 0.5f,
            /* label 1 */ 2, 3, /**/ -1, -2,
            /* label 2 */ -3, 1, /**/ 4, 4,
            // image 1 (true label 0, negative 1)
            /* label 0 */ 1, 1, /**/ 1, -1,
            /* label 1 */ 0, -2, /**/ -5, -5,
            /* label 2 */ 5, -5, /**/ 0, 0,
        };
        return new LayerGoodness(3, 2, 2, z, scores);
    }

    private static final Dataset DATA = new Dataset("by hand", 1, 3, new float[2], new int[] {1, 0});
    private static final int[] NEG = {2, 1};

    @Test
    void ffrnnLayerMetricsByHand() {
        // model scores: image 0 → argmax 1 (right), image 1 → argmax 2 (wrong)
        Evaluation e = Evaluation.goodness(goodness(new float[] {0, 9, 1, 3, 1, 4}), DATA, NEG, Objective.MAXIMIZE);
        assertEquals(0.5, e.accuracy, 0);
        // layer 0 pos/neg, maximize (positive ⇔ z > 0):
        //   image 0: true label 1 z = 2, 3 → 2 right; negative label 2 z = −3, 1 → 1 right (−3)
        //   image 1: true label 0 z = 1, 1 → 2 right; negative label 1 z = 0, −2 → 2 right (0 is not > 0)
        //   7 of 8
        // layer 1: image 0: true z = −1, −2 → 0; neg z = 4, 4 → 0; image 1: true 1, −1 → 1; neg −5, −5 → 2: 3 of 8
        assertArrayEquals(new double[] {7 / 8.0, 3 / 8.0}, e.layerAccuracy, 1e-12);
        // label scores Σ softplus(z) (monotone in z, so compare sums of softplus):
        //   layer 0, image 0: sp(−1)+sp(−1)=0.63, sp(2)+sp(3)=5.17, sp(−3)+sp(1)=1.36 → label 1 right
        //   layer 0, image 1: label 0 2.63, label 1 0.82, label 2 5.01 → label 2, wrong
        //   layer 1, image 0: label 0 1.95, label 1 0.44, label 2 8.04 → 2, wrong
        //   layer 1, image 1: label 0 1.63, label 1 0.013, label 2 1.39 → 0, right
        assertArrayEquals(new double[] {0.5, 0.5}, e.layerLabelAccuracy, 1e-12);
    }

    @Test
    void minimizeFlipsEveryDecision() {
        Evaluation e = Evaluation.goodness(goodness(new float[] {0, 9, 1, 3, 1, 4}), DATA, NEG, Objective.MINIMIZE);
        // argmin of the model scores: image 0 → 0 (wrong), image 1 → 1 (wrong)
        assertEquals(0, e.accuracy, 0);
        // layer 0: image 0 true z 2, 3 → 0; neg −3, 1 → 1 (1 is not < 0); image 1 true 1, 1 → 0; neg 0, −2 → 1: 2/8
        // layer 1: image 0 true −1, −2 → 2; neg 4, 4 → 2; image 1 true 1, −1 → 1; neg −5, −5 → 0: 5/8
        assertArrayEquals(new double[] {2 / 8.0, 5 / 8.0}, e.layerAccuracy, 1e-12);
        // argmin label scores: layer 0 image 0 → 0 (wrong), image 1 → 1 (wrong);
        // layer 1 image 0 → 1 (right), image 1 → 1 (wrong)
        assertArrayEquals(new double[] {0, 0.5}, e.layerLabelAccuracy, 1e-12);
    }

    @Test
    void shapesMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> new LayerGoodness(3, 2, 2, new float[23], new float[6]));
        LayerGoodness g = goodness(new float[6]);
        assertThrows(IllegalArgumentException.class, () -> Evaluation.goodness(g, DATA.head(1), NEG, Objective.MAXIMIZE));
    }
}
