package org.fftk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.pruner.plot.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fftk plot}: training histories ({@code fftk train --history}) as charts over epochs, several
 * runs overlaid: validation accuracy, training loss, per-layer pos/neg accuracy and label accuracy
 * (paper 004 Figs 2–4: do deeper layers lag?), and the four weight-sparsity metrics per layer
 * (paper 003 Figs 15–18). Definitions: docs/algorithms.md "Per-layer metrics" and "Sparsity metrics".
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw training histories (fftk train --history FILE) over epochs, several runs overlaid:",
                "validation accuracy, loss, per-layer accuracy and label accuracy, and the four weight-sparsity",
                "metrics per layer. Writes PNG and SVG per chart into DIR."})
final class PlotCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "HISTORY.json", description = "histories written by fftk train --history")
    List<Path> histories;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "folder for the charts (created)")
    Path out;

    @Option(names = "--names", paramLabel = "A,B", split = ",", description = "legend names, one per history (default: file names)")
    List<String> names;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One history: per epoch, the epoch number and its record. */
    private static final class Run {
        final String name;
        final List<JsonNode> epochs = new ArrayList<>();

        Run(String name) {
            this.name = name;
        }
    }

    /** A per-layer quantity (or, with layer null, a per-run one): where it is and how to show it. */
    private static final class Quantity {
        final String file;
        final String title;
        final String axis;
        final String field;
        final boolean perLayer;
        final double scale;

        Quantity(String file, String title, String axis, String field, boolean perLayer, double scale) {
            this.file = file;
            this.title = title;
            this.axis = axis;
            this.field = field;
            this.perLayer = perLayer;
            this.scale = scale;
        }
    }

    private static final List<Quantity> QUANTITIES = List.of(
            new Quantity("validation-accuracy", "Validation accuracy", "validation accuracy (%)", "validationAccuracy", false, 100),
            new Quantity("loss", "Training loss (mean over the epoch's batches)", "loss", "trainLoss", false, 1),
            new Quantity("layer-accuracy", "Per-layer accuracy (positive vs negative, z > 0)", "accuracy (%)", "accuracy", true, 100),
            new Quantity("label-accuracy", "Per-layer label accuracy (that layer's goodness alone)", "label accuracy (%)",
                    "labelAccuracy", true, 100),
            new Quantity("layer-loss", "Per-layer FF loss", "loss", "trainLoss", true, 1),
            new Quantity("sparsity-hoyer", "Weight sparsity per layer: Hoyer", "Hoyer", "hoyer", true, 1),
            new Quantity("sparsity-gini", "Weight sparsity per layer: Gini", "Gini", "gini", true, 1),
            new Quantity("sparsity-l1-neg-entropy", "Weight sparsity per layer: L1 negative entropy", "L1 negative entropy",
                    "l1NegEntropy", true, 1),
            new Quantity("sparsity-l2-neg-entropy", "Weight sparsity per layer: L2 negative entropy", "L2 negative entropy",
                    "l2NegEntropy", true, 1));

    @Override
    public Integer call() throws Exception {
        if (names != null && names.size() != histories.size()) {
            throw new IllegalArgumentException("--names gives " + names.size() + " names for " + histories.size() + " histories");
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            runs.add(read(histories.get(i), names == null ? HistoryFiles.stem(histories.get(i)) : names.get(i)));
        }
        Files.createDirectories(out);
        PrintWriter o = spec.commandLine().getOut();
        int written = 0;
        for (Quantity q : QUANTITIES) {
            XYChart c = chart(q, runs);
            if (c == null) {
                continue;
            }
            Charts.write(c, out.resolve(q.file + ".png"), out.resolve(q.file + ".svg"));
            o.printf("wrote %s (.png, .svg)%n", out.resolve(q.file));
            written++;
        }
        if (written == 0) {
            throw new IllegalArgumentException("the histories hold no values to plot");
        }
        o.flush();
        return 0;
    }

    /** The chart of one quantity, or null when no run has a value of it. */
    private static XYChart chart(Quantity q, List<Run> runs) {
        // series name → (x, y), in run order then layer order
        Map<String, double[][]> series = new LinkedHashMap<>();
        Map<String, int[]> style = new LinkedHashMap<>(); // {run, layer}
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            int layers = 0;
            for (JsonNode e : run.epochs) {
                layers = Math.max(layers, e.path("layers").size());
            }
            for (int l = 0; l < (q.perLayer ? layers : 1); l++) {
                List<double[]> pts = new ArrayList<>();
                for (JsonNode e : run.epochs) {
                    JsonNode v = q.perLayer ? e.path("layers").path(l).path(q.field) : e.path(q.field);
                    if (v.isNumber() && Double.isFinite(v.asDouble())) {
                        pts.add(new double[] {e.path("epoch").asDouble(), q.scale * v.asDouble()});
                    }
                }
                if (pts.isEmpty()) {
                    continue;
                }
                double[][] xy = new double[2][pts.size()];
                for (int i = 0; i < pts.size(); i++) {
                    xy[0][i] = pts.get(i)[0];
                    xy[1][i] = pts.get(i)[1];
                }
                String name = q.perLayer ? (runs.size() > 1 ? run.name + " · layer " + l : "layer " + l) : run.name;
                series.put(name, xy);
                style.put(name, new int[] {r, l});
            }
        }
        if (series.isEmpty()) {
            return null;
        }
        XYChart c = Charts.lineChart(q.title, "epoch", q.axis, series.keySet());
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            int[] rl = style.get(e.getKey());
            // per-layer charts: colour = layer, dash = run; per-run charts: colour = run
            Color col = Charts.PALETTE[(q.perLayer ? rl[1] : rl[0]) % Charts.PALETTE.length];
            XYSeries s = c.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setLineColor(col);
            s.setMarkerColor(col);
            s.setMarker(e.getValue()[0].length > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            s.setLineStyle(q.perLayer ? dash(rl[0]) : new BasicStroke(2.2f));
        }
        return c;
    }

    private static BasicStroke dash(int run) {
        if (run == 0) {
            return new BasicStroke(2.2f);
        }
        float[][] patterns = {{8f, 5f}, {2f, 4f}, {12f, 4f, 2f, 4f}};
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, patterns[(run - 1) % patterns.length], 0f);
    }

    private static Run read(Path p, String name) throws java.io.IOException {
        Run r = new Run(name);
        r.epochs.addAll(HistoryFiles.epochs(p));
        return r;
    }
}
