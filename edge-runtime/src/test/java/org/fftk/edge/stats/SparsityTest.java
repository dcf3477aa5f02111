package org.fftk.edge.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** docs/algorithms.md "Sparsity metrics" formulas against hand computation. */
class SparsityTest {
    @Test
    void extremes() {
        float[] flat = {2, -2, 2, -2};
        float[] one = {0, 0, -3, 0};
        assertEquals(0, Sparsity.hoyer(flat), 1e-12);
        assertEquals(1, Sparsity.hoyer(one), 1e-12);
        assertEquals(0, Sparsity.l1NegEntropy(flat), 1e-12);
        assertEquals(1, Sparsity.l1NegEntropy(one), 1e-12);
        assertEquals(0.5, Sparsity.l2NegEntropy(flat), 1e-12); // 1 + log2(1/4)/log2(16) = 1 − 2/4
        assertEquals(1, Sparsity.l2NegEntropy(one), 1e-12);
        assertEquals(0, Sparsity.gini(flat), 1e-12);
        assertEquals(1 - 2 * (0.5 / 4), Sparsity.gini(one), 1e-12); // 1 − 1/n
    }

    @Test
    void handComputedVector() {
        float[] x = {1, -2, 0, 3};
        // ‖x‖₁ = 6, ‖x‖₂ = √14, n = 4
        assertEquals((2 - 6 / Math.sqrt(14)) / (2 - 1), Sparsity.hoyer(x), 1e-12);
        double l1 = (1 / 6.0) * log2(1 / 6.0) + (2 / 6.0) * log2(2 / 6.0) + (3 / 6.0) * log2(3 / 6.0);
        assertEquals(1 + l1 / 2, Sparsity.l1NegEntropy(x), 1e-12);
        double l2 = (1 / 14.0) * log2(1 / 14.0) + (4 / 14.0) * log2(4 / 14.0) + (9 / 14.0) * log2(9 / 14.0);
        assertEquals(1 + l2 / 4, Sparsity.l2NegEntropy(x), 1e-12);
        // sorted |x|: 0,1,2,3; weights (n − i + 1/2)/n = 3.5/4, 2.5/4, 1.5/4, 0.5/4
        double g = 1 - 2 * ((0 / 6.0) * 3.5 / 4 + (1 / 6.0) * 2.5 / 4 + (2 / 6.0) * 1.5 / 4 + (3 / 6.0) * 0.5 / 4);
        assertEquals(g, Sparsity.gini(x), 1e-12);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }
}
