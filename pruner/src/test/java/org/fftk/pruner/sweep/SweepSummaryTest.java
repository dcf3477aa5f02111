package org.fftk.pruner.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accuracy at a compression ratio and compression at an accuracy drop, against hand interpolation. */
class SweepSummaryTest {
    private static SweepRow row(String model, double ratio, double acc) {
        return new SweepRow(model, "random", "k", 0, 0, 0, 0, ratio, ratio, acc, 0, acc, acc, 3);
    }

    private static SweepBaseline base(String model, double acc) {
        return new SweepBaseline(model, "sha-" + model, "ffnn", new int[] {4}, 0, 0, 0, 0, acc, 100, 0);
    }

    // curve of model a: ratio 1 → 0.98, 2 → 0.975, 8 → 0.96, 32 → 0.90 (rows given out of order)
    private static final List<SweepRow> ROWS = List.of(row("a", 8, 0.96), row("a", 1, 0.98), row("a", 32, 0.90),
            row("a", 2, 0.975), row("b", 4, 0.5));
    private static final List<SweepBaseline> BASES = List.of(base("a", 0.98), base("b", 0.6));

    @Test
    void interpolatesInLog2Compression() {
        SweepSummary a = SweepSummary.of(ROWS, BASES, 4, 1).get(0);
        assertEquals("a", a.model());
        assertEquals(0.98, a.baseline(), 0);
        // log2 4 = 2 lies halfway between log2 2 = 1 (0.975) and log2 8 = 3 (0.96)
        assertEquals(0.9675, a.accuracyAt(), 1e-12);
        // 0.97 is reached a third of the way from log2 2 to log2 8: 1 + 2 · (0.005 / 0.015) = 5/3
        assertTrue(a.dropReached());
        assertEquals(Math.pow(2, 5.0 / 3), a.compressionAtDrop(), 1e-9);
        assertEquals(0.96, SweepSummary.of(ROWS, BASES, 8, 1).get(0).accuracyAt(), 1e-12);
        assertEquals(0.98, SweepSummary.of(ROWS, BASES, 1, 1).get(0).accuracyAt(), 1e-12);
    }

    @Test
    void outsideTheMeasuredRangeSaysSo() {
        SweepSummary a = SweepSummary.of(ROWS, BASES, 64, 10).get(0);
        assertEquals(null, a.accuracyAt());
        assertFalse(a.dropReached()); // 0.88 is never reached: the largest measured ratio is a lower bound
        assertEquals(32, a.compressionAtDrop(), 1e-9);
        // model b has no ratio-1 row: its curve starts at the baseline (1, 0.6), then (4, 0.5)
        SweepSummary b = SweepSummary.of(ROWS, BASES, 2, 5).get(1);
        assertEquals(0.55, b.accuracyAt(), 1e-12);
        assertEquals(2, b.compressionAtDrop(), 1e-9);
    }

    @Test
    void badQuestionsAndMissingBaselinesAreRefused(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> SweepSummary.of(ROWS, BASES, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> SweepSummary.of(ROWS, BASES, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> SweepSummary.of(ROWS, List.of(base("a", 0.98)), 8, 1));
        Path f = dir.resolve("summary.csv");
        SweepSummary.write(SweepSummary.of(ROWS, BASES, 64, 1), f);
        List<String> lines = Files.readAllLines(f);
        assertEquals(String.join(",", SweepSummary.HEADER), lines.get(0));
        assertTrue(lines.get(1).startsWith("a,random,0.98,64.0,,1.0,"), lines.get(1));
    }
}
