package org.fftk.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.fftk.edge.data.Split;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.io.ModelFile;
import org.fftk.pruner.io.ModelFiles;
import org.fftk.pruner.sweep.FineTuning;
import org.fftk.pruner.sweep.SweepBest;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.report.Accuracy;
import org.fftk.pruner.sweep.Sweep;
import org.fftk.pruner.sweep.SweepConfig;
import org.fftk.pruner.sweep.SweepListener;
import org.fftk.pruner.sweep.SweepModel;
import org.fftk.pruner.sweep.SweepPoint;
import org.fftk.pruner.sweep.SweepResult;
import org.fftk.pruner.sweep.SweepRow;
import org.fftk.pruner.sweep.SweepSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk sweep}: accuracy against compression over methods, keep-counts and seeds (docs/algorithms.md "Pruning"). */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prune every model with every method, keep-count and seed, evaluate each on the test split, and write",
                "DIR/sweep.json (every measurement), DIR/sweep.csv (mean, sd, min, max per model x method x keep) and",
                "DIR/sweep.png + DIR/sweep.svg (accuracy against compression ratio). An interrupted sweep resumes from DIR/sweep.json."})
final class SweepCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "MODEL.onnx", description = "models to sweep (e.g. several training seeds)")
    List<Path> models;

    @Option(names = "--method", paramLabel = "M,M", split = ",", defaultValue = "random",
            description = "random, activation, magnitude, goodness, greedy, weights (default: ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--int8", description = "also sweep every curve with int8 weights (METHOD+int8)")
    boolean int8;

    @Option(names = "--scratch", paramLabel = "SMALL.onnx", split = ",",
            description = {"models of the same architecture trained small from scratch: measured as points 'scratch' of",
                    "the first model (ratio: its bytes over theirs), the baseline any compression must beat; models made by",
                    "'fftk factor' (low-rank layers) become points 'lowrank' (+ftN when fine-tuned) instead"})
    List<Path> scratch;

    @Option(names = "--keep", paramLabel = "T,T",
            description = {"neurons kept per hidden layer, one sweep point each; T1/T2 gives per-layer counts",
                    "(default: 2000,1500,1024,512,256,128,64,32,16,8,4,2, clipped to the widths)"})
    String keeps;

    @Option(names = "--seeds", converter = PositiveInt.class, paramLabel = "N", defaultValue = "10", description = "random-pruning seeds 1..N (default: ${DEFAULT-VALUE})")
    int seeds;

    @Mixin
    DataOptions data;

    @Mixin
    RankingOptions ranking;

    @Mixin
    FinetuneOptions finetune;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test",
            description = "images to evaluate on: test, or validation (the last 10%% of the training split; use it when the sweep picks a model) (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--limit", converter = PositiveInt.class, paramLabel = "N", description = "evaluate on the first N images only")
    Integer limit;

    @Option(names = "--best-within", paramLabel = "POINTS",
            description = "with --best-out: the largest accuracy drop, in percentage points, that the chosen pruned model may have")
    Double bestWithin;

    @Option(names = "--best-out", paramLabel = "FILE.onnx",
            description = "write the smallest pruned model (fewest file bytes) whose accuracy is within --best-within of its unpruned model")
    Path bestOut;

    @Option(names = "--threads", converter = PositiveInt.class, paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "output folder (created if missing)")
    Path out;

    @Option(names = "--no-plot", description = "skip sweep.png and sweep.svg")
    boolean noPlot;

    @Option(names = "--title", paramLabel = "TEXT", description = "plot title")
    String title;

    @Option(names = "--at", paramLabel = "RATIO", defaultValue = "8",
            description = "summary: mean accuracy at this compression ratio (default: ${DEFAULT-VALUE})")
    double at;

    @Option(names = "--drop", paramLabel = "POINTS", defaultValue = "1",
            description = "summary: compression ratio where the mean accuracy falls this many points below the unpruned model's (default: ${DEFAULT-VALUE})")
    double drop;

    @Option(names = "--json", description = "print the aggregated rows and the summary as JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " exists and is not a folder");
        }
        SweepSummary.of(List.of(), List.of(), at, drop); // refuses a bad --at / --drop before any work
        List<PruneMethod> pms = new ArrayList<>();
        for (String m : methods) {
            pms.add(PruneMethod.fromId(m));
        }
        List<SweepModel> sms = new ArrayList<>();
        for (Path p : models) {
            sms.add(SweepModel.of(name(p), ModelFile.read(p)));
        }
        if ((bestWithin == null) != (bestOut == null)) {
            throw new IllegalArgumentException("--best-within and --best-out go together");
        }
        if (bestWithin != null && bestWithin < 0) {
            throw new IllegalArgumentException("--best-within must not be negative");
        }
        if (bestOut != null) {
            OutputFiles.checkWritable(bestOut);
        }
        Dataset test = (data.loadSplit(split));
        if (limit != null) {
            test = test.head(limit);
        }
        Dataset train = null;
        for (PruneMethod pm : pms) {
            if (pm.needsTrainingData()) {
                train = data.loadTrainingPart();
                break;
            }
        }
        finetune.check();
        FineTuning fineTuning = finetune.epochs == null ? null
                : new FineTuning(finetune.epochs, finetune.tuner(data.load(Split.TRAIN)));
        Files.createDirectories(out);

        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        SweepConfig.Builder b = SweepConfig.builder(out, ModelFiles::onnx).test(test).train(train).threads(n)
                .evaluator(Accuracy.serial()).plot(!noPlot).fineTuning(fineTuning).int8(int8);
        if (scratch != null) {
            for (Path p : scratch) {
                SweepModel r = SweepModel.of(name(p), ModelFile.read(p));
                if (r.model().architecture() != sms.get(0).model().architecture()) {
                    throw new IllegalArgumentException(p + " is " + r.model().architecture() + ", not "
                            + sms.get(0).model().architecture() + " like " + sms.get(0).name());
                }
                b.reference(r);
            }
        }
        if (title != null) {
            b.title(title);
        }
        for (SweepModel m : sms) {
            b.model(m);
        }
        for (PruneMethod pm : pms) {
            b.method(ranking.apply(PruneSpec.of(pm, KeepCounts.same(1), 1)));
        }
        if (keeps != null) {
            for (KeepCounts k : KeepCounts.parseList(keeps)) {
                b.keep(k);
                for (SweepModel m : sms) {
                    if (k.clips(m.model().widths())) {
                        spec.commandLine().getErr().printf("fftk sweep: note: keep %s is more than %s's widths %s: clipped to %s%n",
                                k, m.name(), java.util.Arrays.toString(m.model().widths()),
                                java.util.Arrays.toString(k.clipped(m.model().widths())));
                    }
                }
            }
        }
        long[] s = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            s[i] = i + 1;
        }
        b.seeds(s);
        PrintWriter o = spec.commandLine().getOut();
        SweepResult r;
        try (Progress progress = new Progress(json)) {
            b.listener(progress);
            r = Sweep.run(b.build());
        }
        List<SweepSummary> summary = SweepSummary.of(r.rows(), r.file().baselines(), at, drop);
        Path summaryCsv = out.resolve("summary.csv");
        SweepSummary.write(summary, summaryCsv);
        SweepPoint best = null;
        if (bestOut != null) {
            best = SweepBest.write(r, sms, train, bestWithin / 100.0, bestOut, fineTuning);
        }
        if (json) {
            java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
            j.put("rows", r.rows());
            j.put("summary", summary);
            o.println(Json.pretty(j));
        } else {
            printTable(o, r.rows());
            o.println();
            printSummary(o, summary);
            o.printf("%d points computed, %d reused from an earlier run; wrote %s, %s, %s%s%n", r.computed(), r.reused(),
                    r.json(), r.csv(), summaryCsv, r.png() == null ? "" : ", " + r.png() + ", " + r.svg());
            if (best != null) {
                o.printf("smallest model within %s points of its baseline: %s %s keep %s seed %d, %.2f%% on %s (%.2fx smaller); wrote %s%n",
                        Json.num(bestWithin), best.model(), best.method(), best.keep(), best.seed(), 100 * best.accuracy(),
                        split, best.compressionRatio(), bestOut);
            } else if (bestOut != null) {
                o.printf("no pruned model stays within %s points of its baseline; %s not written%n", Json.num(bestWithin), bestOut);
            }
        }
        if (bestOut != null && best == null) {
            return 3;
        }
        o.flush();
        return 0;
    }

    static String name(Path p) {
        String f = p.getFileName().toString();
        return f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
    }

    static void printSummary(PrintWriter o, List<SweepSummary> summary) {
        if (summary.isEmpty()) {
            return;
        }
        String m = "%-" + nameWidth(summary.stream().map(SweepSummary::model).toList()) + "s"
                + " %-" + Math.max(11, nameWidth(summary.stream().map(SweepSummary::method).toList())) + "s";
        SweepSummary f = summary.get(0);
        o.printf(m + " %9s %12s %18s%n", "model", "method", "unpruned%", "acc% at " + Json.num(f.at()) + "x",
                "ratio at -" + Json.num(f.dropPoints()) + " point" + (f.dropPoints() == 1 ? "" : "s"));
        for (SweepSummary s : summary) {
            o.printf(m + " %9.2f %12s %18s%n", s.model(), s.method(), 100 * s.baseline(),
                    s.accuracyAt() == null ? "not measured" : String.format(java.util.Locale.ROOT, "%.2f", 100 * s.accuracyAt()),
                    (s.dropReached() ? "" : ">") + String.format(java.util.Locale.ROOT, "%.1fx", s.compressionAtDrop()));
        }
        o.println();
    }

    static void printTable(PrintWriter o, List<SweepRow> rows) {
        String m = "%-" + nameWidth(rows.stream().map(SweepRow::model).toList()) + "s"
                + " %-" + Math.max(11, nameWidth(rows.stream().map(SweepRow::method).toList())) + "s";
        o.printf(m + " %-10s %9s %12s %8s %7s %8s %8s %3s%n", "model", "method", "keep", "ratio", "parameters",
                "acc%", "sd", "min%", "max%", "n");
        for (SweepRow r : rows) {
            o.printf(m + " %-10s %8.2fx %,12d %8.2f %7.2f %8.2f %8.2f %3d%n", r.model(), r.method(), r.keep(),
                    r.compressionRatio(), r.parameters(), 100 * r.accuracyMean(), 100 * r.accuracySd(),
                    100 * r.accuracyMin(), 100 * r.accuracyMax(), r.n());
        }
    }

    /** Width of the model column: the longest name, at least 16. */
    private static int nameWidth(List<String> names) {
        int w = 16;
        for (String n : names) {
            w = Math.max(w, n.length());
        }
        return w;
    }

    /** A progress bar on a terminal, nothing otherwise (JSON mode or a pipe). */
    static final class Progress implements SweepListener, AutoCloseable {
        private final boolean quiet;
        private ProgressBar bar;

        Progress(boolean quiet) {
            this.quiet = quiet || System.console() == null;
        }

        @Override
        public synchronized void planned(int total, int alreadyDone) {
            if (!quiet) {
                bar = new ProgressBar("sweep", total);
                bar.stepBy(alreadyDone);
            }
        }

        @Override
        public synchronized void finished(SweepPoint p, int done, int total) {
            if (bar != null) {
                bar.step();
            }
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
