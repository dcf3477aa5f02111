package org.fftk.pruner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fftk.edge.stats.Sparsity;
import org.junit.jupiter.api.Test;

/** Metrics of docs/algorithms.md "Sparsity metrics" against values computed by hand. */
class MetricsTest {
    private static final double E = 1e-12;

    @Test
    void hoyer() {
        assertEquals(0, Sparsity.hoyer(new float[] {3, 3, 3, 3}), E);
        assertEquals(0, Sparsity.hoyer(new float[] {-2, 2, 2, -2}), E, "signs are ignored");
        assertEquals(1, Sparsity.hoyer(new float[] {0, 0, -5, 0}), E);
        // [1,1,0,0]: ‖x‖₁/‖x‖₂ = √2 → (2 − √2)/(2 − 1)
        assertEquals(2 - Math.sqrt(2), Sparsity.hoyer(new float[] {1, 1, 0, 0}), E);
        assertEquals(0, Sparsity.hoyer(new float[] {0, 0, 0}), E, "all zero: 0 by convention");
        assertEquals(0, Sparsity.hoyer(new float[] {7}), E, "n = 1: 0 by convention");
    }

    @Test
    void gini() {
        assertEquals(0, Sparsity.gini(new float[] {2, 2, 2, 2}), E);
        assertEquals(0.75, Sparsity.gini(new float[] {0, 9, 0, 0}), E, "one non-zero: 1 − 1/n");
        // sorted 1,2,3,4, ‖x‖₁ = 10: Σ a_i (n − i + ½) = 1·3.5 + 2·2.5 + 3·1.5 + 4·0.5 = 15 → 1 − 2·15/40
        assertEquals(0.25, Sparsity.gini(new float[] {4, -1, 3, -2}), E);
        assertEquals(0.5, Sparsity.gini(new float[] {0, 1}), E);
    }

    @Test
    void l1NegativeEntropy() {
        assertEquals(0, Sparsity.l1NegEntropy(new float[] {5, 5, 5, 5, 5, 5, 5, 5}), E);
        assertEquals(1, Sparsity.l1NegEntropy(new float[] {0, 0, 0, 0.3f}), E);
        // p = ½, ½, 0, 0: Σ p log₂ p = −1, log₂ 4 = 2 → 1 − ½
        assertEquals(0.5, Sparsity.l1NegEntropy(new float[] {1, -1, 0, 0}), E);
        // p = ¼, ¾: Σ = ¼·(−2) + ¾·log₂ ¾; log₂ 2 = 1
        double expect = 1 + (0.25 * -2 + 0.75 * Math.log(0.75) / Math.log(2));
        assertEquals(expect, Sparsity.l1NegEntropy(new float[] {1, 3}), E);
    }

    @Test
    void l2NegativeEntropy() {
        assertEquals(0.5, Sparsity.l2NegEntropy(new float[] {5, 5, 5, 5}), E, "all equal: 1 − log₂ n / log₂ n²");
        assertEquals(1, Sparsity.l2NegEntropy(new float[] {0, -2, 0, 0}), E);
        // q = ½, ½, 0, 0: Σ = −1, log₂ 16 = 4 → ¾
        assertEquals(0.75, Sparsity.l2NegEntropy(new float[] {1, 1, 0, 0}), E);
    }

    @Test
    void weightStatistics() {
        WeightStats s = WeightStats.of(new float[] {1, -2, 3, -4});
        assertEquals(-4, s.min(), E);
        assertEquals(3, s.max(), E);
        assertEquals(-0.5, s.mean(), E);
        assertEquals(Math.sqrt(29.0 / 4), s.std(), E);
        assertEquals(2.0 / 3, WeightStats.polarity(new float[] {1, 2, 3, -1, 0, 2}, 2, 3), E);
        assertEquals(0.5, WeightStats.polarity(new float[] {1, 2, -3, -4}, 2, 2), E);
    }
}
