package org.fftk.trainer.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Paper 004's layer-dynamics statistics against values computed independently (by hand and with numpy). */
class LayerDynamicsTest {
    @Test
    void firstReachIsTheFirstEpochAtOrAboveTheTarget() {
        int[] epochs = {4, 8, 12, 16};
        assertEquals(12, LayerDynamics.firstReach(epochs, new double[] {0.5, 0.69, 0.7, 0.9}, 0.7));
        assertEquals(4, LayerDynamics.firstReach(epochs, new double[] {0.8, 0.6, 0.9, 0.9}, 0.7));
        assertEquals(-1, LayerDynamics.firstReach(epochs, new double[] {0.1, 0.2, 0.3, 0.4}, 0.7));
    }

    @Test
    void pearsonAndSpearmanMatchIndependentValues() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        // numpy.corrcoef
        assertEquals(0.8806397028096019, LayerDynamics.pearson(x, new double[] {2, 1, 4, 3, 7, 8, 6, 8}), 1e-12);
        // no ties: 1 − 6Σd²/(n(n²−1)) with Σd² = 22, n = 8
        assertEquals(1 - 6.0 * 22 / (8 * 63), LayerDynamics.spearman(x, new double[] {2, 1, 4, 3, 7, 8, 6, 5}), 1e-12);
        // ties share their mean rank (8 and 8 → 7.5): the ranked data's Pearson r
        assertArrayEquals(new double[] {2, 1, 4, 3, 6, 7.5, 5, 7.5},
                LayerDynamics.ranks(new double[] {2, 1, 4, 3, 7, 8, 6, 8}), 0);
        assertEquals(0.8622909085775463, LayerDynamics.spearman(x, new double[] {2, 1, 4, 3, 7, 8, 6, 8}), 1e-12);
        // a monotone but non-linear relation: ρ = 1, r < 1
        double[] cube = {1, 8, 27, 64, 125, 216, 343, 512};
        assertEquals(1.0, LayerDynamics.spearman(x, cube), 1e-12);
        assertTrue(LayerDynamics.pearson(x, cube) < 0.95);
        assertTrue(Double.isNaN(LayerDynamics.pearson(x, new double[] {3, 3, 3, 3, 3, 3, 3, 3})));
    }
}
