package org.fftk.pruner.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fftk.pruner.io.CsvFiles;

/** Aggregates sweep points per model × method × keep and writes DIR/sweep.csv (commons-csv). */
public final class SweepCsv {
    public static final String[] HEADER = {"model", "method", "keep", "parameters", "macs", "file_bytes",
        "gzip_bytes", "compression_ratio", "gzip_compression_ratio", "accuracy_mean", "accuracy_sd", "accuracy_min",
        "accuracy_max", "n"};

    private SweepCsv() {
    }

    /**
     * One row per (model, method, keep) over its seeds, ordered by model and method (first appearance)
     * then by the total of kept neurons descending (so compression grows down the file, for every method).
     */
    public static List<SweepRow> aggregate(List<SweepPoint> points) {
        Map<String, List<SweepPoint>> groups = new LinkedHashMap<>();
        Map<String, Integer> modelOrder = new LinkedHashMap<>();
        Map<String, Integer> methodOrder = new LinkedHashMap<>();
        for (SweepPoint p : points) {
            groups.computeIfAbsent(p.model() + "\u0000" + p.method() + "\u0000" + p.keep(), k -> new ArrayList<>()).add(p);
            modelOrder.putIfAbsent(p.model(), modelOrder.size());
            methodOrder.putIfAbsent(p.method(), methodOrder.size());
        }
        List<SweepRow> rows = new ArrayList<>();
        for (List<SweepPoint> g : groups.values()) {
            int n = g.size();
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double ratio = 0;
            double gzRatio = 0;
            double file = 0;
            double gz = 0;
            for (SweepPoint p : g) {
                sum += p.accuracy();
                min = Math.min(min, p.accuracy());
                max = Math.max(max, p.accuracy());
                ratio += p.compressionRatio();
                gzRatio += p.gzipCompressionRatio();
                file += p.fileBytes();
                gz += p.gzipBytes();
            }
            double mean = sum / n;
            double ss = 0;
            for (SweepPoint p : g) {
                ss += (p.accuracy() - mean) * (p.accuracy() - mean);
            }
            double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
            SweepPoint f = g.get(0);
            rows.add(new SweepRow(f.model(), f.method(), f.keep(), f.parameters(), f.macs(), file / n, gz / n,
                    ratio / n, gzRatio / n, mean, sd, min, max, n));
        }
        rows.sort(Comparator.<SweepRow>comparingInt(r -> modelOrder.get(r.model()))
                .thenComparingInt(r -> methodOrder.get(r.method()))
                .thenComparing(Comparator.comparingLong((SweepRow r) -> keptTotal(r.keep())).reversed()));
        return rows;
    }

    /** The neurons kept in all layers, or for a factored reference ("r64;32") the sum of its ranks. */
    private static long keptTotal(String keep) {
        long t = 0;
        for (String p : (keep.startsWith("r") ? keep.substring(1) : keep).split(";")) {
            t += Long.parseLong(p.trim());
        }
        return t;
    }

    /** Writes the rows to a CSV file atomically. Numbers are written exactly (Double.toString, '.' decimals). */
    public static void write(List<SweepRow> rows, Path file) throws IOException {
        List<List<Object>> records = new ArrayList<>();
        for (SweepRow r : rows) {
            records.add(List.of(r.model(), r.method(), r.keep(), r.parameters(), r.macs(), num(r.fileBytes()),
                    num(r.gzipBytes()), num(r.compressionRatio()), num(r.gzipCompressionRatio()),
                    num(r.accuracyMean()), num(r.accuracySd()), num(r.accuracyMin()), num(r.accuracyMax()), r.n()));
        }
        CsvFiles.write(file, HEADER, records);
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
