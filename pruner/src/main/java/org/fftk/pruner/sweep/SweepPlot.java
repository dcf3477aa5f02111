package org.fftk.pruner.sweep;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fftk.pruner.plot.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Accuracy vs compression ratio, like paper 003 Figure 19: one line per model × method (mean over
 * seeds), a shaded ±1 sd band, and the minimum and maximum as dashed lines of the same colour. The x
 * axis is log2 of the compression ratio, labelled as ratios (1×, 2×, 4× …). The unstructured
 * {@code weights} method keeps the file size, so its points are placed at their gzip compression ratio
 * (its legend says so).
 */
public final class SweepPlot {
    private SweepPlot() {
    }

    /** The mean curves' markers, one per round of the palette. */
    private static final org.knowm.xchart.style.markers.Marker[] ROUND_MARKERS = {SeriesMarkers.CIRCLE,
        SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE};

    /** Builds the chart from aggregated rows, accuracy 0–100%. */
    public static XYChart chart(List<SweepRow> rows, String title) {
        return chart(rows, title, 0, 100);
    }

    /**
     * The top of the chart: accuracy from {@code yMin} to {@code yMax} (%), only the curves with a
     * mean at or above {@code yMin} somewhere; where the full chart piles the good curves into one
     * band at the top, this one tells them apart.
     */
    public static XYChart top(List<SweepRow> rows, String title, double yMin, double yMax) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (SweepRow r : rows) {
            if (100 * r.accuracyMean() >= yMin) {
                keep.add(r.model() + " · " + r.method());
            }
        }
        List<SweepRow> shown = new ArrayList<>();
        for (SweepRow r : rows) {
            if (keep.contains(r.model() + " · " + r.method())) {
                shown.add(r);
            }
        }
        return chart(shown, title + " (top)", yMin, yMax);
    }

    /**
     * The y-range shown by {@link #top}: from 3 points below the best mean accuracy (rounded down) to
     * half a point above it (rounded up).
     */
    public static double[] topRange(List<SweepRow> rows) {
        double best = 0;
        for (SweepRow r : rows) {
            best = Math.max(best, 100 * r.accuracyMean());
        }
        return new double[] {Math.max(0, Math.floor(best - 3)), Math.min(100, Math.ceil(best + 0.5))};
    }

    /** A curve's legend name: its method, prefixed with its model when the chart shows several models. */
    private static String curve(SweepRow r, boolean oneModel) {
        return oneModel ? r.method() : r.model() + " · " + r.method();
    }

    private static XYChart chart(List<SweepRow> rows, String title, double yMin, double yMax) {
        boolean oneModel = rows.stream().map(SweepRow::model).distinct().count() <= 1;
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (SweepRow r : rows) {
            names.add(curve(r, oneModel));
        }
        XYChart c = Charts.lineChart(title, "compression ratio = original / compressed file bytes (log2 scale)",
                "test accuracy (%)", names);
        XYStyler st = c.getStyler();
        c.getStyler().setxAxisTickLabelsFormattingFunction(SweepPlot::ratioLabel);
        c.getStyler().setYAxisDecimalPattern("0.#");

        Map<String, List<SweepRow>> lines = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            lines.computeIfAbsent(curve(r, oneModel), k -> new ArrayList<>()).add(r);
        }
        double xmax = 0;
        int ci = 0;
        for (Map.Entry<String, List<SweepRow>> e : lines.entrySet()) {
            List<SweepRow> g = new ArrayList<>(e.getValue());
            boolean gzip = "weights".equals(g.get(0).method());
            g.sort((a, b) -> Double.compare(x(a, gzip), x(b, gzip)));
            int n = g.size();
            double[] x = new double[n];
            double[] mean = new double[n];
            double[] min = new double[n];
            double[] max = new double[n];
            double[] bx = new double[2 * n];
            double[] by = new double[2 * n];
            for (int i = 0; i < n; i++) {
                SweepRow r = g.get(i);
                x[i] = log2(x(r, gzip));
                mean[i] = 100 * r.accuracyMean();
                min[i] = 100 * r.accuracyMin();
                max[i] = 100 * r.accuracyMax();
                bx[i] = x[i];
                by[i] = Math.min(100, mean[i] + 100 * r.accuracySd());
                bx[2 * n - 1 - i] = x[i];
                by[2 * n - 1 - i] = Math.max(0, mean[i] - 100 * r.accuracySd());
                xmax = Math.max(xmax, x[i]);
            }
            // past ten curves the colours repeat: the marker shape and line style tell the rounds apart
            int round = ci / Charts.PALETTE.length;
            Color col = Charts.PALETTE[ci++ % Charts.PALETTE.length];
            String name = e.getKey() + (gzip ? " (gzip ratio)" : "");
            XYSeries band = c.addSeries(name + " ±1 sd", bx, by);
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 45));
            band.setLineColor(new Color(0, 0, 0, 0));
            band.setMarker(SeriesMarkers.NONE);
            band.setShowInLegend(false);
            BasicStroke dash = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f);
            for (String which : new String[] {"min", "max"}) {
                XYSeries s = c.addSeries(name + " " + which, x, which.equals("min") ? min : max);
                s.setLineColor(col);
                s.setLineStyle(dash);
                s.setMarker(SeriesMarkers.NONE);
                s.setShowInLegend(false);
            }
            XYSeries m = c.addSeries(name, x, mean);
            m.setLineColor(col);
            m.setMarkerColor(col);
            m.setMarker(ROUND_MARKERS[round % ROUND_MARKERS.length]);
            m.setLineStyle(round == 0 ? new BasicStroke(2.2f) : new BasicStroke(2.2f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, round == 1 ? new float[] {9f, 3f} : new float[] {2f, 3f}, 0f));
        }
        st.setXAxisMin(-0.25);
        st.setXAxisMax(Math.max(1, Math.ceil(xmax)) + 0.25);
        st.setYAxisMin(yMin);
        st.setYAxisMax(yMax);
        return c;
    }

    /** Writes PNG and SVG atomically. */
    public static void write(List<SweepRow> rows, String title, Path png, Path svg) throws IOException {
        Charts.write(chart(rows, title), png, svg);
    }

    /** Writes the top chart ({@link #top} over {@link #topRange}) as PNG and SVG atomically. */
    public static void writeTop(List<SweepRow> rows, String title, Path png, Path svg) throws IOException {
        double[] range = topRange(rows);
        Charts.write(top(rows, title, range[0], range[1]), png, svg);
    }

    private static double x(SweepRow r, boolean gzip) {
        return gzip ? r.gzipCompressionRatio() : r.compressionRatio();
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** Tick label for log2 position v: the ratio 2^v, e.g. "1×", "8×", "2.8×". */
    static String ratioLabel(Double v) {
        double r = Math.pow(2, v);
        if (Math.abs(r - Math.rint(r)) < 1e-9 * Math.max(1, r)) {
            return String.format(Locale.ROOT, "%d×", (long) Math.rint(r));
        }
        return String.format(Locale.ROOT, "%.2g×", r);
    }
}
