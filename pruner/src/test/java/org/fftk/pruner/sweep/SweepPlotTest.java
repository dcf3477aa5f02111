package org.fftk.pruner.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** The sweep's top chart: its y-range follows the best mean, and only curves that reach it are drawn. */
class SweepPlotTest {
    static SweepRow row(String method, String keep, double ratio, double acc) {
        return new SweepRow("m", method, keep, 100, 100, 1000 / ratio, 900 / ratio, ratio, ratio, acc, 0.001, acc - 0.002,
                acc + 0.002, 3);
    }

    @Test
    void topChartZoomsOnTheBestCurves(@TempDir Path dir) throws Exception {
        List<SweepRow> rows = List.of(row("random", "8", 1, 0.9823), row("random", "4", 8, 0.9704),
                row("magnitude", "4", 8, 0.8325), row("lowrank+ft20", "r70;35", 16.4, 0.9827));
        assertArrayEquals(new double[] {95, 99}, SweepPlot.topRange(rows), 0);
        XYChart top = SweepPlot.top(rows, "t", 95, 99);
        assertEquals(95.0, top.getStyler().getYAxisMin(), 0);
        assertEquals(99.0, top.getStyler().getYAxisMax(), 0);
        assertTrue(top.getSeriesMap().containsKey("random"));
        assertTrue(top.getSeriesMap().containsKey("lowrank+ft20"));
        assertTrue(!top.getSeriesMap().containsKey("magnitude"), "a curve that never reaches 95% is left out");
        assertTrue(SweepPlot.chart(rows, "t").getSeriesMap().containsKey("magnitude"));
        // one model: the legend names the methods; several: model · method
        List<SweepRow> two = new java.util.ArrayList<>(rows);
        two.add(new SweepRow("n", "random", "8", 100, 100, 1000, 900, 1, 1, 0.98, 0, 0.98, 0.98, 1));
        assertTrue(SweepPlot.chart(two, "t").getSeriesMap().containsKey("m · random"));
        assertTrue(SweepPlot.chart(two, "t").getSeriesMap().containsKey("n · random"));
        SweepPlot.writeTop(rows, "t", dir.resolve("top.png"), dir.resolve("top.svg"));
        assertTrue(Files.size(dir.resolve("top.png")) > 1000);
    }
}
