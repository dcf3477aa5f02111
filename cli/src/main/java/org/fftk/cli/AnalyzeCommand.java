package org.fftk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.fftk.pruner.plot.Charts;
import org.fftk.trainer.history.LayerDynamics;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fftk analyze}: paper 004's layer dynamics from training histories of one configuration
 * (several seeds): per layer, the epoch its accuracy first reaches a target ("delay", RQ1) on the
 * mean curve over the runs and in each run, and Pearson's r and Spearman's ρ between the layer's
 * accuracy and the model's validation accuracy over all (run, epoch) pairs (RQ2).
 * docs/algorithms.md "Layer dynamics".
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Paper 004's layer dynamics from histories of one configuration (seeds): per layer,",
                "the first epoch its accuracy reaches --target (the delay of deeper layers) and the",
                "Pearson and Spearman correlation of its accuracy with the model's over epochs."})
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "HISTORY.json", description = "histories of one configuration (fftk train --history)")
    List<Path> histories;

    @Option(names = "--target", paramLabel = "ACC", defaultValue = "0.7", description = "accuracy a layer must reach (default: ${DEFAULT-VALUE}, paper 004)")
    double target;

    @Option(names = "--metric", paramLabel = "M", defaultValue = "label-accuracy",
            description = "the layer accuracy: label-accuracy (that layer's goodness alone predicts the label; default) or pos-neg")
    String metric;

    @Option(names = "--out", paramLabel = "DIR", description = "also draw delay and correlations against layer depth (PNG + SVG)")
    Path out;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String field;
        switch (metric) {
            case "label-accuracy":
                field = "labelAccuracy";
                break;
            case "pos-neg":
                field = "accuracy";
                break;
            default:
                throw new IllegalArgumentException("--metric is '" + metric + "' (expected label-accuracy or pos-neg)");
        }
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("--target must be in (0, 1]");
        }
        // per run: epoch → record
        List<TreeMap<Integer, JsonNode>> runs = new ArrayList<>();
        int layers = 0;
        for (Path p : histories) {
            TreeMap<Integer, JsonNode> r = new TreeMap<>();
            for (JsonNode e : HistoryFiles.epochs(p)) {
                r.put(e.get("epoch").asInt(), e);
                layers = Math.max(layers, e.path("layers").size());
            }
            runs.add(r);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            // pooled (layer, model) pairs over runs and epochs with both values; the mean curve over runs
            List<double[]> pairs = new ArrayList<>();
            TreeMap<Integer, double[]> sums = new TreeMap<>(); // epoch → {sum, count}
            List<Integer> delays = new ArrayList<>();
            for (TreeMap<Integer, JsonNode> r : runs) {
                List<Integer> ep = new ArrayList<>();
                List<Double> acc = new ArrayList<>();
                for (Map.Entry<Integer, JsonNode> e : r.entrySet()) {
                    JsonNode v = e.getValue().path("layers").path(l).path(field);
                    if (!v.isNumber()) {
                        continue;
                    }
                    ep.add(e.getKey());
                    acc.add(v.asDouble());
                    double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
                    s[0] += v.asDouble();
                    s[1]++;
                    JsonNode m = e.getValue().path("validationAccuracy");
                    if (m.isNumber()) {
                        pairs.add(new double[] {v.asDouble(), m.asDouble()});
                    }
                }
                delays.add(LayerDynamics.firstReach(ep.stream().mapToInt(Integer::intValue).toArray(),
                        acc.stream().mapToDouble(Double::doubleValue).toArray(), target));
            }
            if (pairs.isEmpty() && sums.isEmpty()) {
                continue;
            }
            List<Integer> meanEpochs = new ArrayList<>();
            List<Double> mean = new ArrayList<>();
            for (Map.Entry<Integer, double[]> e : sums.entrySet()) {
                if (e.getValue()[1] == runs.size()) { // epochs every run measured
                    meanEpochs.add(e.getKey());
                    mean.add(e.getValue()[0] / e.getValue()[1]);
                }
            }
            double[] x = new double[pairs.size()];
            double[] y = new double[pairs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pairs.get(i)[0];
                y[i] = pairs.get(i)[1];
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", l);
            row.put("delay", LayerDynamics.firstReach(meanEpochs.stream().mapToInt(Integer::intValue).toArray(),
                    mean.stream().mapToDouble(Double::doubleValue).toArray(), target));
            row.put("delayPerRun", delays);
            row.put("pairs", x.length);
            row.put("pearson", LayerDynamics.pearson(x, y));
            row.put("spearman", LayerDynamics.spearman(x, y));
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the histories hold no per-layer " + metric + " (bpnn and ffnn-c's classifier phase have none)");
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("runs", histories.size());
            r.put("metric", metric);
            r.put("target", target);
            r.put("layers", rows);
            o.println(Json.pretty(r));
        } else {
            o.printf("%d run(s), layer %s, target %s (delay: first epoch the mean over runs reaches it; -1: never)%n",
                    histories.size(), metric, Json.num(target));
            o.printf("%-6s %6s  %-24s %6s %9s %9s%n", "layer", "delay", "per run", "pairs", "pearson", "spearman");
            for (Map<String, Object> r : rows) {
                o.printf("%-6s %6s  %-24s %6s %9.3f %9.3f%n", r.get("layer"), r.get("delay"), r.get("delayPerRun"),
                        r.get("pairs"), (double) r.get("pearson"), (double) r.get("spearman"));
            }
        }
        if (out != null) {
            Files.createDirectories(out);
            draw(rows);
            if (!json) {
                o.printf("wrote %s and %s (.png, .svg)%n", out.resolve("layer-delay"), out.resolve("layer-correlation"));
            }
        }
        o.flush();
        return 0;
    }

    private void draw(List<Map<String, Object>> rows) throws java.io.IOException {
        double[] depth = new double[rows.size()];
        double[] delay = new double[rows.size()];
        double[] p = new double[rows.size()];
        double[] s = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            depth[i] = 1 + (int) rows.get(i).get("layer");
            delay[i] = (int) rows.get(i).get("delay");
            p[i] = (double) rows.get(i).get("pearson");
            s[i] = (double) rows.get(i).get("spearman");
        }
        String delayName = "epoch the mean " + metric + " reaches " + Json.num(target);
        XYChart d = Charts.lineChart("Layer delay (paper 004 RQ1)", "layer depth", "epoch", List.of(delayName));
        style(d.addSeries(delayName, depth, delay), 0);
        Charts.write(d, out.resolve("layer-delay.png"), out.resolve("layer-delay.svg"));
        XYChart c = Charts.lineChart("Layer accuracy vs model accuracy (paper 004 RQ2)", "layer depth", "correlation",
                List.of("Pearson r", "Spearman ρ"));
        style(c.addSeries("Pearson r", depth, p), 0);
        style(c.addSeries("Spearman ρ", depth, s), 1);
        Charts.write(c, out.resolve("layer-correlation.png"), out.resolve("layer-correlation.svg"));
    }

    private static void style(XYSeries s, int i) {
        s.setLineColor(Charts.PALETTE[i]);
        s.setMarkerColor(Charts.PALETTE[i]);
        s.setMarker(SeriesMarkers.CIRCLE);
    }
}
