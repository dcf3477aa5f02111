package org.fftk.pruner.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fftk.pruner.io.CsvFiles;

/**
 * How well one model × method survives pruning, read off its sweep curve (mean accuracy over seeds
 * against compression ratio, the unpruned model at ratio 1), the two numbers paper 003 §3.4 quotes:
 * the accuracy at a given compression ratio, and the compression ratio at which the accuracy first
 * falls a given number of points below the unpruned model's. Between measured keep-counts both are
 * interpolated linearly in log2(compression ratio), the plot's axis.
 *
 * @param baseline          accuracy of the unpruned model, in [0, 1]
 * @param at                the compression ratio asked about
 * @param accuracyAt        mean accuracy at {@code at}; null when {@code at} lies outside the measured ratios
 * @param dropPoints        the accuracy drop asked about, in percentage points
 * @param compressionAtDrop ratio where the mean accuracy first reaches baseline − dropPoints; when the
 *                          curve never gets that low, the largest measured ratio
 * @param dropReached       whether the curve got that low at all (else compressionAtDrop is a lower bound)
 */
public record SweepSummary(String model, String method, double baseline, double at, Double accuracyAt,
                           double dropPoints, double compressionAtDrop, boolean dropReached) {
    public static final String[] HEADER = {"model", "method", "baseline_accuracy", "at_compression", "accuracy_at",
        "drop_points", "compression_at_drop", "drop_reached"};

    /** One summary per model × method of {@code rows}, in their order. */
    public static List<SweepSummary> of(List<SweepRow> rows, List<SweepBaseline> baselines, double at,
                                        double dropPoints) {
        if (!(at >= 1) || Double.isInfinite(at)) {
            throw new IllegalArgumentException("the compression ratio to read accuracy at must be at least 1, got " + at);
        }
        if (!(dropPoints > 0) || Double.isInfinite(dropPoints)) {
            throw new IllegalArgumentException("the accuracy drop must be a positive number of points, got " + dropPoints);
        }
        Map<String, Double> base = new HashMap<>();
        for (SweepBaseline b : baselines) {
            base.put(b.model(), b.accuracy());
        }
        Map<String, List<SweepRow>> groups = new LinkedHashMap<>();
        for (SweepRow r : rows) {
            groups.computeIfAbsent(r.model() + "\u0000" + r.method(), k -> new ArrayList<>()).add(r);
        }
        List<SweepSummary> out = new ArrayList<>();
        for (List<SweepRow> g : groups.values()) {
            SweepRow first = g.get(0);
            Double b = base.get(first.model());
            if (b == null) {
                throw new IllegalArgumentException("no unpruned accuracy for model " + first.model());
            }
            List<double[]> curve = new ArrayList<>(); // (log2 ratio, mean accuracy), ascending ratio
            curve.add(new double[] {0, b});
            List<SweepRow> sorted = new ArrayList<>(g);
            sorted.sort(Comparator.comparingDouble(SweepRow::compressionRatio));
            for (SweepRow r : sorted) {
                double x = Math.log(r.compressionRatio()) / Math.log(2);
                if (x > 1e-9) {
                    curve.add(new double[] {x, r.accuracyMean()});
                }
            }
            double lx = Math.log(at) / Math.log(2);
            Double accAt = null;
            for (int i = 0; i < curve.size(); i++) {
                double[] p = curve.get(i);
                if (Math.abs(p[0] - lx) < 1e-12) {
                    accAt = p[1];
                    break;
                }
                if (i > 0 && curve.get(i - 1)[0] < lx && lx < p[0]) {
                    double[] q = curve.get(i - 1);
                    accAt = q[1] + (p[1] - q[1]) * (lx - q[0]) / (p[0] - q[0]);
                    break;
                }
            }
            double level = b - dropPoints / 100;
            double cross = curve.get(curve.size() - 1)[0];
            boolean reached = false;
            for (int i = 1; i < curve.size(); i++) {
                double[] q = curve.get(i - 1);
                double[] p = curve.get(i);
                if (p[1] <= level) {
                    cross = q[0] + (p[0] - q[0]) * (q[1] - level) / (q[1] - p[1]); // q[1] > level here
                    reached = true;
                    break;
                }
            }
            out.add(new SweepSummary(first.model(), first.method(), b, at, accAt, dropPoints, Math.pow(2, cross), reached));
        }
        return out;
    }

    /** Writes summaries to a CSV file atomically (numbers as Double.toString; an unmeasured accuracy is empty). */
    public static void write(List<SweepSummary> summaries, Path file) throws IOException {
        List<List<Object>> records = new ArrayList<>();
        for (SweepSummary s : summaries) {
            records.add(List.of(s.model(), s.method(), s.baseline(), s.at(), s.accuracyAt() == null ? "" : s.accuracyAt(),
                    s.dropPoints(), s.compressionAtDrop(), s.dropReached()));
        }
        CsvFiles.write(file, HEADER, records);
    }
}
