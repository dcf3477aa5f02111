package org.fftk.pruner.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.pruner.report.Evaluator;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.Test;

/** The per-layer search, with an evaluator whose answer is known: accuracy falls with layer 0's width only. */
class AutoKeepTest {
    static final Model M = Models.random(Architecture.FFNN, 30, 4, new int[] {50, 40}, 9);
    static final Dataset V = Models.data(10, 30, 4, 1);
    /** Layer 1 costs nothing to shrink; layer 0 one point per neuron removed. */
    static final Evaluator ONLY_LAYER0 = (m, d) -> 0.9 - (50 - m.widths()[0]) / 100.0;

    @Test
    void shrinksTheFreeLayerFirstAndStopsAtTheTarget() {
        PruneSpec spec = PruneSpec.of(PruneMethod.MAGNITUDE, KeepCounts.same(1), 1);
        AutoKeep.Result r = AutoKeep.search(M, spec, null, V, ONLY_LAYER0, Models::serialize, 1.3, Double.NaN);
        AutoKeep.Step last = r.steps().get(r.steps().size() - 1);
        assertTrue(last.compressionRatio() >= 1.3, "target reached: " + last.compressionRatio());
        assertTrue(r.steps().get(r.steps().size() - 2).compressionRatio() < 1.3, "and not overshot by more than a step");
        // layer 1 shrinks (40 → 32 → 25 → ...) before layer 0 loses a neuron
        assertEquals(50, r.steps().get(1).keep()[0]);
        assertTrue(r.steps().get(1).keep()[1] == 32);
        for (AutoKeep.Step s : r.steps()) {
            assertEquals(ONLY_LAYER0.accuracy(Pruner.apply(M, spec, s.keep(), NeuronSelection.head(
                    NeuronSelection.ranking(M, spec, null), s.keep()), ""), V), s.accuracy(), 1e-12);
        }
        assertArrayEquals(last.keep(), r.keep());
    }

    @Test
    void anAccuracyFloorIsNeverCrossed() {
        PruneSpec spec = PruneSpec.of(PruneMethod.RANDOM, KeepCounts.same(1), 3);
        AutoKeep.Result r = AutoKeep.search(M, spec, null, V, ONLY_LAYER0, Models::serialize, 0, 0.9 - 0.105);
        for (AutoKeep.Step s : r.steps()) {
            assertTrue(s.accuracy() >= 0.9 - 0.105 - 1e-12, "step " + java.util.Arrays.toString(s.keep()));
        }
        // layer 1 down to 1 neuron (free), layer 0 down to 40 (10 points) but not 32 (18 points)
        assertArrayEquals(new int[] {40, 1}, r.keep());
        assertThrows(IllegalArgumentException.class,
                () -> AutoKeep.search(M, spec, null, V, ONLY_LAYER0, Models::serialize, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> AutoKeep.search(M,
                PruneSpec.of(PruneMethod.WEIGHTS, KeepCounts.same(1), 1), null, V, ONLY_LAYER0, Models::serialize, 2, Double.NaN));
    }
}
